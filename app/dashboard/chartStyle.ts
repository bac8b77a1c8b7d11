import { formatCompact } from './colormap';
import type { dashboardTexts } from '../i18n/catalogs/dashboard';

type AxisTexts = Pick<(typeof dashboardTexts)['en'], 'step' | 'epoch' | 'stepTooltip'>;

/**
 * Props shared by the dashboard's line charts. They are spread onto recharts' own elements
 * (<XAxis {...stepAxis} />) rather than wrapped in components, because recharts finds its axes,
 * grid and tooltip by looking at the chart's direct children.
 */

export const CHART_MARGIN = { top: 8, right: 16, bottom: 4, left: 0 };

export const GRID_PROPS = { strokeDasharray: '3 3', stroke: '#e3e7ec' };

const axisLabel = (value: string) => ({ value, position: 'insideBottomRight' as const, offset: -2, fontSize: 11 });

/** X axis over training steps, fitted to the data; labelled in the interface's language. */
export function stepAxisProps(tx: AxisTexts) {
  return {
    dataKey: 'step',
    type: 'number' as const,
    domain: ['dataMin', 'dataMax'] as [string, string],
    allowDecimals: false,
    label: axisLabel(tx.step),
  };
}

/** X axis over epochs: half an epoch either side, so a single epoch sits mid-chart instead of on the axis. */
export function epochAxisProps(epochs: number, ticks: number[], tx: AxisTexts) {
  return { dataKey: 'epoch', type: 'number' as const, domain: [0.5, epochs + 0.5], ticks, allowDecimals: false, label: axisLabel(tx.epoch) };
}

/** Tooltip for per-step series of loss-like values. */
export function stepTooltipProps(tx: AxisTexts) {
  return {
    isAnimationActive: false,
    formatter: (value: unknown) => formatCompact(Number(value)),
    labelFormatter: (step: unknown) => tx.stepTooltip(String(step)),
  };
}

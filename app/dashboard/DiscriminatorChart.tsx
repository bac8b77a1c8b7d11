import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../store';
import type { LossSeries } from '../store/runSlice';
import { ChartLegend, type LegendItem } from './ChartLegend';
import { SERIES_COLORS } from './chartData';
import { CHART_MARGIN, GRID_PROPS, stepAxisProps } from './chartStyle';
import { Panel } from './Panel';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

const ACCURACY = ':discriminatorAccuracy';

/** The phase with adversarial metrics that reported last, and its discriminators' accuracy keys. */
function adversarialSeries(lossSeries: Readonly<Record<string, LossSeries>>): { series: LossSeries; keys: string[] } | null {
  for (const series of Object.values(lossSeries).reverse()) {
    const keys = [...new Set(series.points.flatMap((point) => Object.keys(point.metrics).filter((key) => key.endsWith(ACCURACY))))];
    if (keys.length > 0) return { series, keys };
  }
  return null;
}

/**
 * Adversarial KD: how often each discriminator tells the teacher's logits from the student's, per
 * step. Near 50 % the student fools it; near 100 % the student's logits are still easy to tell apart.
 * Shown only when the experiment has an adversarial block.
 */
export function DiscriminatorChart() {
  const tx = useTexts(dashboardTexts);
  const lossSeries = useStudio((s) => s.run.lossSeries);
  const nodes = useStudio((s) => s.experiment.nodes);
  const found = useMemo(() => adversarialSeries(lossSeries), [lossSeries]);
  const rows = useMemo<Record<string, number>[]>(() => found?.series.points.map((point) => ({
    step: point.step,
    ...Object.fromEntries(found.keys.map((key) => [key, (point.metrics[key] ?? Number.NaN) * 100])),
  })) ?? [], [found]);
  const legend = useMemo<LegendItem[]>(() => (found?.keys ?? []).map((key, index) => {
    const nodeId = key.slice(0, -ACCURACY.length);
    const last = rows.at(-1)?.[key];
    return {
      key,
      label: tx.discriminatorAccuracy(nodes.find((node) => node.id === nodeId)?.label ?? nodeId),
      color: SERIES_COLORS[index % SERIES_COLORS.length],
      value: last === undefined || Number.isNaN(last) ? undefined : `${last.toFixed(0)}%`,
    };
  }), [found, rows, nodes, tx]);
  if (!found) return null;

  return (
    <Panel title={tx.discriminatorTitle} testId="discriminator-chart">
      <p className="dash-panel__note">{tx.discriminatorNote(found.series.label)}</p>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={rows} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID_PROPS} />
          <XAxis {...stepAxisProps(tx)} />
          <YAxis width={44} domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" />
          <ReferenceLine y={50} stroke="#8c959f" strokeDasharray="4 4" />
          <Tooltip isAnimationActive={false} formatter={(value: unknown) => `${Number(value).toFixed(1)}%`} labelFormatter={(step: unknown) => tx.stepTooltip(String(step))} />
          {legend.map((item) => (
            <Line key={item.key} dataKey={item.key} name={String(item.label)} stroke={item.color} dot={false} isAnimationActive={false} strokeWidth={1.5} />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <ChartLegend items={legend} />
    </Panel>
  );
}

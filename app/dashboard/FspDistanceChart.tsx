import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FspDistancePoint } from '../store/runSlice';
import { ChartLegend, type LegendItem } from './ChartLegend';
import { fspDistanceRows, fspSeries, latestValue, type FspLine } from './chartData';
import { formatCompact } from './colormap';
import { CHART_MARGIN, GRID_PROPS, stepAxisProps, stepTooltipProps } from './chartStyle';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';
import type { PhaseStyle } from './phaseStyles';

/** Lines share their phase's colour; pairs of one phase differ by dash pattern. */
const PAIR_DASHES = [undefined, '6 3', '2 3', '8 3 2 3'];
const FALLBACK_COLOR = '#57606a';

function seriesName(line: FspLine, phases: ReadonlyMap<string, PhaseStyle>, pairLabels: ReadonlyMap<string, string>): string {
  return `${phases.get(line.phaseId)?.label ?? line.phaseId}: ${pairLabels.get(line.pairId) ?? line.pairId}`;
}

function pairDash(pairOrder: readonly string[], pairId: string): string | undefined {
  return PAIR_DASHES[pairOrder.indexOf(pairId) % PAIR_DASHES.length];
}

/** Distance between the two sides' FSP matrices per pair over training steps (one line per phase and pair). */
export const FspDistanceChart = memo(function FspDistanceChart({
  history,
  pairLabels,
  phases,
}: {
  history: Readonly<Record<string, readonly FspDistancePoint[]>>;
  pairLabels: ReadonlyMap<string, string>;
  phases: ReadonlyMap<string, PhaseStyle>;
}) {
  const tx = useTexts(dashboardTexts);
  const rows = useMemo(() => fspDistanceRows(history), [history]);
  const series = useMemo(() => fspSeries(history), [history]);
  const pairOrder = useMemo(() => [...new Set(series.map((line) => line.pairId))], [series]);
  const legend = useMemo<LegendItem[]>(
    () =>
      series.map((line) => {
        const latest = latestValue(rows, line.key);
        return {
          key: line.key,
          label: seriesName(line, phases, pairLabels),
          color: phases.get(line.phaseId)?.color ?? FALLBACK_COLOR,
          dashed: pairDash(pairOrder, line.pairId) !== undefined,
          value: latest === null ? undefined : formatCompact(latest),
        };
      }),
    [series, rows, phases, pairLabels, pairOrder],
  );
  // Few points: draw dots so a line of two samples is still visible.
  const showDots = rows.length <= 12;

  if (rows.length === 0) return <p className="dash-panel__empty">{tx.fspOverTrainingEmpty}</p>;
  return (
    <div className="fsp-distance">
      <h4>{tx.fspOverTraining}</h4>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={rows} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID_PROPS} />
          <XAxis {...stepAxisProps(tx)} />
          <YAxis width={56} tickFormatter={formatCompact} domain={[0, 'auto']} />
          <Tooltip {...stepTooltipProps(tx)} />
          {series.map((line) => (
            <Line
              key={line.key}
              dataKey={line.key}
              name={seriesName(line, phases, pairLabels)}
              stroke={phases.get(line.phaseId)?.color ?? FALLBACK_COLOR}
              strokeDasharray={pairDash(pairOrder, line.pairId)}
              strokeWidth={2}
              dot={showDots ? { r: 3 } : false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <ChartLegend items={legend} />
    </div>
  );
});

import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunPhase } from '../../src/train/plan';
import type { FspDistancePoint } from '../store/runSlice';
import { ChartLegend, type LegendItem } from './ChartLegend';
import { fspDistanceRows, fspSeries, latestValue, PHASE_COLORS, PHASE_LABELS } from './chartData';

/** Lines share their phase's colour; pairs of one phase differ by dash pattern. */
const PAIR_DASHES = [undefined, '6 3', '2 3', '8 3 2 3'];

function seriesName(line: { phase: RunPhase; pairId: string }, pairLabels: ReadonlyMap<string, string>): string {
  return `${PHASE_LABELS[line.phase]}: ${pairLabels.get(line.pairId) ?? line.pairId}`;
}

function pairDash(pairOrder: readonly string[], pairId: string): string | undefined {
  return PAIR_DASHES[pairOrder.indexOf(pairId) % PAIR_DASHES.length];
}
import { formatCompact } from './colormap';
import { CHART_MARGIN, GRID_PROPS, STEP_AXIS_PROPS, STEP_TOOLTIP_PROPS } from './chartStyle';

/** Distance between teacher and student FSP matrices per pair over training steps (one line per phase and pair). */
export const FspDistanceChart = memo(function FspDistanceChart({
  history,
  pairLabels,
}: {
  history: readonly FspDistancePoint[];
  pairLabels: ReadonlyMap<string, string>;
}) {
  const rows = useMemo(() => fspDistanceRows(history), [history]);
  const series = useMemo(() => fspSeries(history), [history]);
  const pairOrder = useMemo(() => [...new Set(series.map((line) => line.pairId))], [series]);
  const legend = useMemo<LegendItem[]>(
    () =>
      series.map((line) => {
        const latest = latestValue(rows, line.key);
        return {
          key: line.key,
          label: seriesName(line, pairLabels),
          color: PHASE_COLORS[line.phase],
          dashed: pairDash(pairOrder, line.pairId) !== undefined,
          value: latest === null ? undefined : formatCompact(latest),
        };
      }),
    [series, rows, pairLabels, pairOrder],
  );
  // Few points: draw dots so a line of two samples is still visible.
  const showDots = rows.length <= 12;

  if (rows.length === 0) return <p className="dash-panel__empty">The FSP distance over time appears after the first probe.</p>;
  return (
    <div className="fsp-distance">
      <h4>FSP distance over training</h4>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={rows} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID_PROPS} />
          <XAxis {...STEP_AXIS_PROPS} />
          <YAxis width={56} tickFormatter={formatCompact} domain={[0, 'auto']} />
          <Tooltip {...STEP_TOOLTIP_PROPS} />
          {series.map((line) => (
            <Line
              key={line.key}
              dataKey={line.key}
              name={seriesName(line, pairLabels)}
              stroke={PHASE_COLORS[line.phase]}
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

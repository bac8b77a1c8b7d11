import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../store';
import { ChartLegend, type LegendItem } from './ChartLegend';
import { CHART_MARGIN, epochAxisProps, GRID_PROPS } from './chartStyle';
import { accuracyDomain, accuracyRows, latestValue, PHASE_COLORS, PHASE_LABELS, PHASES } from './chartData';
import { EmptyState, Panel } from './Panel';

const formatPercentValue = (value: unknown) => `${Number(value).toFixed(2)}%`;

/** Train (dashed, hollow dots) and test (solid) accuracy per epoch for teacher, baseline and distilled student. */
export function AccuracyChart() {
  const epochMetrics = useStudio((s) => s.run.epochMetrics);
  const rows = useMemo(() => accuracyRows(epochMetrics), [epochMetrics]);
  const domain = useMemo(() => accuracyDomain(rows), [rows]);
  const phases = useMemo(() => PHASES.filter((phase) => epochMetrics.some((m) => m.phase === phase)), [epochMetrics]);
  const epochTicks = rows.map((row) => row.epoch);

  const legend = useMemo<LegendItem[]>(
    () =>
      phases.flatMap((phase) => {
        const test = latestValue(rows, `${phase}Test`);
        const train = latestValue(rows, `${phase}Train`);
        return [
          { key: `${phase}Test`, label: `${PHASE_LABELS[phase]} test`, color: PHASE_COLORS[phase], value: test === null ? undefined : formatPercentValue(test) },
          { key: `${phase}Train`, label: `${PHASE_LABELS[phase]} train`, color: PHASE_COLORS[phase], dashed: true, value: train === null ? undefined : formatPercentValue(train) },
        ];
      }),
    [phases, rows],
  );

  return (
    <Panel title="Accuracy per epoch" testId="accuracy-chart">
      {rows.length === 0 ? (
        <EmptyState>Accuracy appears here after the first epoch.</EmptyState>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={rows} margin={CHART_MARGIN}>
              <CartesianGrid {...GRID_PROPS} />
              <XAxis {...epochAxisProps(rows.length, epochTicks)} />
              <YAxis width={52} domain={domain} unit="%" allowDataOverflow tickCount={6} />
              <Tooltip isAnimationActive={false} formatter={formatPercentValue} labelFormatter={(epoch) => `Epoch ${String(epoch)}`} />
              {phases.flatMap((phase) => [
                <Line
                  key={`${phase}Test`}
                  dataKey={`${phase}Test`}
                  name={`${PHASE_LABELS[phase]} test`}
                  stroke={PHASE_COLORS[phase]}
                  strokeWidth={2.5}
                  dot={{ r: 4, fill: PHASE_COLORS[phase], strokeWidth: 0 }}
                  activeDot={{ r: 6 }}
                  isAnimationActive={false}
                />,
                <Line
                  key={`${phase}Train`}
                  dataKey={`${phase}Train`}
                  name={`${PHASE_LABELS[phase]} train`}
                  stroke={PHASE_COLORS[phase]}
                  strokeWidth={1.5}
                  strokeDasharray="4 3"
                  dot={{ r: 3.5, fill: '#fff', stroke: PHASE_COLORS[phase], strokeWidth: 1.5 }}
                  isAnimationActive={false}
                />,
              ])}
            </LineChart>
          </ResponsiveContainer>
          <ChartLegend items={legend} />
        </>
      )}
    </Panel>
  );
}

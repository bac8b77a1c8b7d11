import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../store';
import { accuracyRows, PHASE_LABELS, PHASES } from './chartData';
import { EmptyState, Panel } from './Panel';

const PHASE_COLORS = { teacher: '#1f6feb', baseline: '#9a6700', student: '#1a7f37' } as const;

/** Train (dashed) and test (solid) accuracy per epoch for teacher, baseline and distilled student. */
export function AccuracyChart() {
  const epochMetrics = useStudio((s) => s.run.epochMetrics);
  const rows = useMemo(() => accuracyRows(epochMetrics), [epochMetrics]);
  const phases = PHASES.filter((phase) => epochMetrics.some((m) => m.phase === phase));

  return (
    <Panel title="Accuracy per epoch" testId="accuracy-chart">
      {rows.length === 0 ? (
        <EmptyState>Accuracy appears here after the first epoch.</EmptyState>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} />
            <YAxis width={52} domain={[0, 100]} unit="%" />
            <Tooltip isAnimationActive={false} formatter={(value) => `${Number(value).toFixed(2)}%`} />
            <Legend />
            {phases.flatMap((phase) => [
              <Line
                key={`${phase}Test`}
                dataKey={`${phase}Test`}
                name={`${PHASE_LABELS[phase]} test`}
                stroke={PHASE_COLORS[phase]}
                isAnimationActive={false}
              />,
              <Line
                key={`${phase}Train`}
                dataKey={`${phase}Train`}
                name={`${PHASE_LABELS[phase]} train`}
                stroke={PHASE_COLORS[phase]}
                strokeDasharray="4 3"
                dot={false}
                isAnimationActive={false}
              />,
            ])}
          </LineChart>
        </ResponsiveContainer>
      )}
    </Panel>
  );
}

import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunPhase } from '../../src/train/plan';
import { useStudio } from '../store';
import { lossRows, lossTermKeys, PHASE_LABELS, PHASES, SERIES_COLORS } from './chartData';
import { EmptyState, Panel } from './Panel';

/** Every weighted loss term and the total, per step, for one phase at a time. */
export function LossChart() {
  const lossSeries = useStudio((s) => s.run.lossSeries);
  const nodes = useStudio((s) => s.experiment.nodes);
  const [chosen, setChosen] = useState<RunPhase | null>(null);

  const phasesWithData = PHASES.filter((phase) => lossSeries[phase].points.length > 0);
  // Follow the phase that is training unless the user picked one.
  const phase = chosen !== null && phasesWithData.includes(chosen) ? chosen : (phasesWithData.at(-1) ?? 'teacher');
  const series = lossSeries[phase];
  const rows = useMemo(() => lossRows(series), [series]);
  const terms = useMemo(() => lossTermKeys(series), [series]);
  const labels = useMemo(() => {
    const byId = new Map<string, string>(nodes.map((node) => [node.id, node.label]));
    byId.set('ce', 'Cross-entropy');
    return byId;
  }, [nodes]);

  return (
    <Panel title="Loss per step" testId="loss-chart">
      <div className="dash-tabs" role="tablist">
        {PHASES.map((p) => (
          <button
            key={p}
            type="button"
            role="tab"
            aria-selected={p === phase}
            disabled={lossSeries[p].points.length === 0}
            onClick={() => setChosen(p)}
          >
            {PHASE_LABELS[p]}
          </button>
        ))}
      </div>
      {rows.length === 0 ? (
        <EmptyState>Loss curves appear here once training starts.</EmptyState>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
            <YAxis width={48} />
            <Tooltip isAnimationActive={false} />
            <Legend />
            <Line dataKey="total" name="Total" stroke="#24292f" strokeWidth={2} dot={false} isAnimationActive={false} />
            {terms.map((term, index) => (
              <Line
                key={term}
                dataKey={term}
                name={labels.get(term) ?? term}
                stroke={SERIES_COLORS[index % SERIES_COLORS.length]}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </Panel>
  );
}

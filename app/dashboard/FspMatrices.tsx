import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../store';
import { fspDistanceRows, fspSeries, PHASE_LABELS, SERIES_COLORS } from './chartData';
import { Heatmap } from './Heatmap';
import { EmptyState, Panel } from './Panel';

/** FSP matrices (Yim et al.) of teacher and student side by side, and their distance over training. */
export function FspMatrices() {
  const fsp = useStudio((s) => s.run.probe?.fsp);
  const phase = useStudio((s) => s.run.probe?.phase);
  const history = useStudio((s) => s.run.fspHistory);
  const rows = useMemo(() => fspDistanceRows(history), [history]);
  const series = useMemo(() => fspSeries(history), [history]);
  const pairs = fsp ?? [];
  const pairLabels = new Map(pairs.map((pair) => [pair.id, pair.label]));

  return (
    <Panel title="FSP matrices" testId="fsp-matrices" wide>
      {pairs.length === 0 ? (
        <EmptyState>FSP matrices appear during training when the graph has an FSP block.</EmptyState>
      ) : (
        <>
          <div className="fsp-pairs">
            {pairs.map((pair) => (
              <figure key={pair.id} className="fsp-pair">
                <figcaption>
                  {pair.label} ({pair.rows}×{pair.cols}) · distance {pair.distance.toExponential(2)}
                </figcaption>
                <div className="fsp-pair__maps">
                  <div>
                    <Heatmap matrix={pair.teacher} label={`Teacher FSP, ${pair.label}`} size={120} testId="fsp-heatmap" />
                    <span>teacher</span>
                  </div>
                  <div>
                    <Heatmap matrix={pair.student} label={`Student FSP, ${pair.label}`} size={120} testId="fsp-heatmap" />
                    <span>{phase === undefined ? 'student' : PHASE_LABELS[phase].toLowerCase()}</span>
                  </div>
                </div>
              </figure>
            ))}
          </div>
          {rows.length > 1 && (
            <ResponsiveContainer width="100%" height={160}>
              <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
                <YAxis width={56} tickFormatter={(v: number) => v.toExponential(1)} />
                <Tooltip isAnimationActive={false} />
                <Legend />
                {series.map((line, index) => (
                  <Line
                    key={line.key}
                    dataKey={line.key}
                    name={`${PHASE_LABELS[line.phase]}: ${pairLabels.get(line.pairId) ?? line.pairId}`}
                    stroke={SERIES_COLORS[index % SERIES_COLORS.length]}
                    dot={false}
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          )}
        </>
      )}
    </Panel>
  );
}

import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunPhase } from '../../src/train/plan';
import { useStudio } from '../store';
import { ChartLegend, type LegendItem } from './ChartLegend';
import { latestValue, logDomain, lossRows, lossTermKeys, magnitudeSpread, PHASE_LABELS, PHASES, positiveRows, SERIES_COLORS } from './chartData';
import { formatCompact } from './colormap';
import { CHART_MARGIN, GRID_PROPS, STEP_AXIS_PROPS, STEP_TOOLTIP_PROPS } from './chartStyle';
import { EmptyState, Panel } from './Panel';

/** Terms whose typical sizes differ by this many orders of magnitude are hard to read on a linear axis. */
const LOG_SCALE_SPREAD = 1.5;
const TOTAL_COLOR = '#24292f';

/** Every weighted loss term and the total, per step, for one phase at a time. */
export function LossChart() {
  const lossSeries = useStudio((s) => s.run.lossSeries);
  const nodes = useStudio((s) => s.experiment.nodes);
  const [chosen, setChosen] = useState<RunPhase | null>(null);
  const [chosenLog, setChosenLog] = useState<boolean | null>(null);

  const phasesWithData = PHASES.filter((phase) => lossSeries[phase].points.length > 0);
  // Follow the phase that is training unless the user picked one.
  const phase = chosen !== null && phasesWithData.includes(chosen) ? chosen : (phasesWithData.at(-1) ?? 'teacher');
  const series = lossSeries[phase];
  const rows = useMemo(() => lossRows(series), [series]);
  const terms = useMemo(() => lossTermKeys(series), [series]);
  const spread = useMemo(() => magnitudeSpread(rows, ['total', ...terms]), [rows, terms]);
  // Log scale by default when the terms span orders of magnitude, until the user decides.
  const logScale = chosenLog ?? spread >= LOG_SCALE_SPREAD;
  const plotted = useMemo(() => (logScale ? positiveRows(rows) : rows), [rows, logScale]);
  const yDomain = useMemo(() => (logScale ? logDomain(rows, ['total', ...terms]) : ([0, 'auto'] as const)), [rows, terms, logScale]);
  const labels = useMemo(() => {
    const byId = new Map<string, string>(nodes.map((node) => [node.id, node.label]));
    byId.set('ce', 'Cross-entropy');
    return byId;
  }, [nodes]);

  const legend = useMemo<LegendItem[]>(() => {
    const latest = (key: string) => {
      const value = latestValue(rows, key);
      return value === null ? undefined : formatCompact(value);
    };
    return [
      { key: 'total', label: 'Total', color: TOTAL_COLOR, value: latest('total') },
      ...terms.map((term, index) => ({
        key: term,
        label: labels.get(term) ?? term,
        color: SERIES_COLORS[index % SERIES_COLORS.length],
        value: latest(term),
      })),
    ];
  }, [rows, terms, labels]);

  return (
    <Panel title="Loss per step" testId="loss-chart">
      <div className="dash-toolbar">
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
        <label className="dash-toggle" title={`Terms span ${spread.toFixed(1)} orders of magnitude`}>
          <input type="checkbox" checked={logScale} onChange={(event) => setChosenLog(event.target.checked)} />
          log scale
        </label>
      </div>
      {rows.length === 0 ? (
        <EmptyState>Loss curves appear here once training starts.</EmptyState>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={plotted} margin={CHART_MARGIN}>
              <CartesianGrid {...GRID_PROPS} />
              <XAxis {...STEP_AXIS_PROPS} />
              <YAxis
                width={56}
                scale={logScale ? 'log' : 'auto'}
                domain={yDomain}
                tickFormatter={formatCompact}
              />
              <Tooltip {...STEP_TOOLTIP_PROPS} />
              <Line dataKey="total" name="Total" stroke={TOTAL_COLOR} strokeWidth={2.5} dot={false} connectNulls isAnimationActive={false} />
              {terms.map((term, index) => (
                <Line
                  key={term}
                  dataKey={term}
                  name={labels.get(term) ?? term}
                  stroke={SERIES_COLORS[index % SERIES_COLORS.length]}
                  strokeWidth={1.5}
                  dot={false}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
          <ChartLegend items={legend} />
        </>
      )}
    </Panel>
  );
}

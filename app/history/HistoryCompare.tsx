import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { diffExperiments, formatDiffValue, isEmptyDiff } from '../../src/graph/experimentDiff';
import { accuracyDomain, type ChartRow } from '../dashboard/chartData';
import { CHART_MARGIN, epochAxisProps, GRID_PROPS, stepAxisProps, stepTooltipProps } from '../dashboard/chartStyle';
import { formatPercent, formatPoints } from '../dashboard/format';
import { overlayAccuracyRows, overlayLossRows, runColor } from './compareData';
import { runSummary, type HistoryRun } from './historyRecord';
import { formatRunDate } from './HistoryRunItem';
import { useTexts } from '../i18n/texts';
import { historyTexts } from '../i18n/catalogs/history';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

function OverlayChart({ title, testId, rows, runs, axis }: {
  title: string; testId: string; rows: ChartRow[]; runs: readonly HistoryRun[]; axis: 'epoch' | 'step';
}) {
  const tx = useTexts(historyTexts);
  const axisTexts = useTexts(dashboardTexts);
  if (rows.length === 0) return <p className="dash-panel__empty" data-testid={testId}>{tx.noPoints(title)}</p>;
  return (
    <figure className="history-compare__chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={rows} margin={CHART_MARGIN}>
          <CartesianGrid {...GRID_PROPS} />
          {axis === 'epoch' ? <XAxis {...epochAxisProps(rows.length, rows.map((row) => row.epoch), axisTexts)} /> : <XAxis {...stepAxisProps(axisTexts)} />}
          {axis === 'epoch'
            ? <YAxis width={52} unit="%" domain={accuracyDomain(rows)} allowDataOverflow />
            : <YAxis width={52} />}
          <Tooltip {...(axis === 'step' ? stepTooltipProps(axisTexts) : { isAnimationActive: false })} />
          <Legend />
          {/* Inline, not a component: recharts reads its lines from the chart's direct children. */}
          {runs.map((run, index) => (
            <Line key={run.id} dataKey={run.id} name={run.name} stroke={runColor(index)} strokeWidth={2} dot={rows.length < 3}
              connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** What changed in the settings from the first compared run to one other. */
function SettingsDiff({ reference, run }: { reference: HistoryRun; run: HistoryRun }) {
  const tx = useTexts(historyTexts);
  const diff = useMemo(() => diffExperiments(reference.experiment, run.experiment), [reference, run]);
  return (
    <section className="history-diff" data-testid="settings-diff" aria-label={tx.settingsOf(run.name, reference.name)}>
      <h4>{run.name} <small>{tx.against}</small> {reference.name}</h4>
      {isEmptyDiff(diff) ? <p data-testid="settings-diff-empty">{tx.sameSettings}</p> : (
        <ul>
          {diff.addedNodes.map((node) => <li key={`+${node.nodeId}`} data-testid="diff-added">{tx.added(node.kind, node.label)}</li>)}
          {diff.removedNodes.map((node) => <li key={`-${node.nodeId}`} data-testid="diff-removed">{tx.removed(node.kind, node.label)}</li>)}
          {diff.changedParams.map((change) => (
            <li key={`${change.nodeId}:${change.path}`} data-testid="diff-param">
              {change.label} <code>{change.path}</code>: {formatDiffValue(change.before)} → {formatDiffValue(change.after)}
            </li>
          ))}
          {diff.addedEdges.map((edge) => <li key={`+${edge}`} data-testid="diff-edge">{tx.connected(edge)}</li>)}
          {diff.removedEdges.map((edge) => <li key={`-${edge}`} data-testid="diff-edge">{tx.disconnected(edge)}</li>)}
        </ul>
      )}
    </section>
  );
}

/** Two or more kept runs side by side: headline numbers, overlaid curves, and their settings' differences. */
export function HistoryCompare({ runs }: { runs: readonly HistoryRun[] }) {
  const tx = useTexts(historyTexts);
  const accuracy = useMemo(() => overlayAccuracyRows(runs), [runs]);
  const loss = useMemo(() => overlayLossRows(runs), [runs]);
  const [reference, ...others] = runs;
  return (
    <section className="history-compare" data-testid="history-compare" aria-label={tx.compareRegion}>
      <table className="history-compare__table" data-testid="compare-results">
        <thead>
          <tr>
            <th>{tx.run}</th><th>{tx.date}</th><th>{tx.backend}</th><th>{tx.teacher}</th><th>{tx.baseline}</th><th>{tx.distilled}</th><th>{tx.gain}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run, index) => {
            const summary = runSummary(run);
            return (
              <tr key={run.id} data-testid="compare-row">
                <th scope="row"><span className="history-swatch" style={{ background: runColor(index) }} />{run.name}</th>
                <td>{formatRunDate(run.startedAt)}</td>
                <td>{summary.backend}</td>
                <td>{formatPercent(summary.teacherAccuracy)}</td>
                <td>{formatPercent(summary.baselineAccuracy)}</td>
                <td data-testid="compare-distilled">{formatPercent(summary.distilledAccuracy)}</td>
                <td>{formatPoints(summary.gain)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="history-compare__charts">
        <OverlayChart title={tx.accuracyChart} testId="compare-accuracy-chart" rows={accuracy} runs={runs} axis="epoch" />
        <OverlayChart title={tx.lossChart} testId="compare-loss-chart" rows={loss} runs={runs} axis="step" />
      </div>
      {others.map((run) => <SettingsDiff key={run.id} reference={reference} run={run} />)}
    </section>
  );
}

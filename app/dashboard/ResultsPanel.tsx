import { useMemo } from 'react';
import { headlineDistillation, modelResultById, type ExperimentResults } from '../../src/results';
import { useStudio } from '../store';
import { isRunActive } from '../store/runSlice';
import { EmptyState, Panel } from './Panel';
import { DistillationsTable } from './DistillationsTable';
import { ResultsHeadline } from './ResultsHeadline';
import { ResultsTable } from './ResultsTable';
import { resultRows } from './resultRows';
import { ensembleRows } from './ensembleRows';
import { EnsemblesTable } from './EnsemblesTable';
import { SeedSweepResults } from './SeedSweepResults';
import { ParamSweepResults } from './ParamSweepResults';
import { currentSeed } from '../run/seedSweep';
import { runIndexOf } from '../run/paramSweep';
import { describeSweepValues } from '../../src/graph/sweepVariants';
import { downloadFile, fileSlug } from '../download';
import { useTexts } from '../i18n/texts';
import { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

function downloadResults(results: ExperimentResults): void {
  downloadFile(JSON.stringify(results, null, 2), `${fileSlug(results.experimentName, 'experiment')}-results.json`, 'application/json');
}

/** The seed of a sweep's run: its headline student's, else its first learner's. */
function runSeed(results: ExperimentResults): number | null {
  const headline = headlineDistillation(results);
  return (modelResultById(results, headline?.studentId) ?? results.models.find((model) => model.role !== 'teacher'))?.seed ?? null;
}

/** Every model of the run side by side, and what each distillation bought (the first one large). */
export function ResultsPanel() {
  const tx = useTexts(dashboardResultsTexts);
  const results = useStudio((s) => s.run.results);
  const plan = useStudio((s) => s.run.plan);
  const selection = useStudio((s) => s.run.selection);
  const active = useStudio((s) => isRunActive(s.run.status));
  const restored = useStudio((s) => s.run.restored);
  const sweep = useStudio((s) => s.run.sweep);
  const paramSweep = useStudio((s) => s.run.paramSweep);
  const stoppedAt = useStudio((s) => s.run.stoppedAt);
  // Results arrive model by model: a selected model not done yet is pending, not "not run".
  const rows = useMemo(() => resultRows(plan, selection, results, stoppedAt), [plan, selection, results, stoppedAt]);
  const ensembles = useMemo(() => ensembleRows(plan, selection, results), [plan, selection, results]);
  const headline = results === null ? null : headlineDistillation(results);

  return (
    <Panel title={tx.title} testId="results-panel" wide>
      {restored !== null && (
        <p className="results-restored" data-testid="results-restored">
          {restored.notice ?? tx.restored}
        </p>
      )}
      {sweep !== null && <SeedSweepResults sweep={sweep} />}
      {paramSweep !== null && <ParamSweepResults sweep={paramSweep} />}
      {results === null ? (
        sweep === null && paramSweep === null && <EmptyState>{tx.empty}</EmptyState>
      ) : (
        <>
          {sweep !== null && (
            <h4 className="seed-sweep__title" data-testid="seed-sweep-run-title">
              {tx.seedRunTitle(String(runSeed(results) ?? currentSeed(sweep).seed))}
            </h4>
          )}
          {paramSweep !== null && (
            <h4 className="seed-sweep__title" data-testid="param-sweep-run-title">
              {tx.paramRunTitle(runIndexOf(paramSweep, results) + 1, describeSweepValues(paramSweep.axes, paramSweep.points[runIndexOf(paramSweep, results)]))}
            </h4>
          )}
          {headline !== null && <ResultsHeadline results={results} report={headline} />}
          <ResultsTable rows={rows} active={active} />
          {ensembles.length > 0 && <EnsemblesTable rows={ensembles} active={active} />}
          {results.distillations.length > 1 && <DistillationsTable results={results} />}
          <div className="results-footer">
            <span className="results-meta">
              {tx.backend} <b data-testid="result-backend">{results.backend}</b>{tx.meta(results.datasetId, results.trainCount, results.testCount)}
            </span>
            <button type="button" data-testid="download-results" onClick={() => downloadResults(results)}>
              {tx.downloadJson}
            </button>
          </div>
        </>
      )}
    </Panel>
  );
}

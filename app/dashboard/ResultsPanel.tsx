import type { ExperimentResults, ModelResult } from '../../src/results';
import { useStudio } from '../store';
import { isRunActive } from '../store/runSlice';
import { formatBytes, formatCount, formatMs, formatPercent, formatSeconds } from './format';
import { EmptyState, Panel } from './Panel';
import { ResultsHeadline } from './ResultsHeadline';
import { SeedSweepResults } from './SeedSweepResults';
import { currentSeed } from '../run/seedSweep';
import { downloadFile, fileSlug } from '../download';

function downloadResults(results: ExperimentResults): void {
  downloadFile(JSON.stringify(results, null, 2), `${fileSlug(results.experimentName, 'experiment')}-results.json`, 'application/json');
}

const MODELS: { key: 'teacher' | 'baseline' | 'student'; label: string }[] = [
  { key: 'teacher', label: 'Teacher' },
  { key: 'baseline', label: 'Baseline student' },
  { key: 'student', label: 'Distilled student' },
];

const COLUMNS: { label: string; value: (m: ModelResult) => string; testId: string }[] = [
  { label: 'Test accuracy', value: (m) => formatPercent(m.testAccuracy), testId: 'accuracy' },
  { label: 'Validation', value: (m) => formatPercent(m.validationAccuracy), testId: 'validation' },
  { label: 'Params', value: (m) => formatCount(m.params), testId: 'params' },
  { label: 'Size', value: (m) => formatBytes(m.bytes), testId: 'bytes' },
  { label: 'FLOPs', value: (m) => formatCount(m.flops), testId: 'flops' },
  { label: 'Inference / sample', value: (m) => formatMs(m.inferenceMsPerSample), testId: 'inference' },
  { label: 'Training time', value: (m) => formatSeconds(m.trainingSeconds), testId: 'training-time' },
  { label: 'Seed', value: (m) => String(m.seed), testId: 'seed' },
];

/** Teacher, baseline and distilled student side by side, and what distillation bought. */
export function ResultsPanel() {
  const results = useStudio((s) => s.run.results);
  const selection = useStudio((s) => s.run.selection);
  const active = useStudio((s) => isRunActive(s.run.status));
  // Results arrive phase by phase: a selected model not done yet is pending, not "not run".
  const missing = (key: (typeof MODELS)[number]['key']): string => (active && selection?.[key] ? 'pending' : 'not run');
  const restored = useStudio((s) => s.run.restored);
  const sweep = useStudio((s) => s.run.sweep);

  return (
    <Panel title="Results" testId="results-panel" wide>
      {restored !== null && (
        <p className="results-restored" data-testid="results-restored">
          {restored.notice ?? 'Results of the last run, from before the page was reloaded.'}
        </p>
      )}
      {sweep !== null && <SeedSweepResults sweep={sweep} />}
      {results === null ? (
        sweep === null && <EmptyState>Results appear as each model finishes training.</EmptyState>
      ) : (
        <>
          {sweep !== null && (
            <h4 className="seed-sweep__title" data-testid="seed-sweep-run-title">
              Seed {results.student?.seed ?? results.baseline?.seed ?? currentSeed(sweep).seed}: this run's models
            </h4>
          )}
          <ResultsHeadline results={results} />
          <table className="results-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                {COLUMNS.map((column) => (
                  <th key={column.testId} scope="col">
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {MODELS.map(({ key, label }) => {
                const model = results[key];
                return (
                  <tr key={key} data-testid={`result-row-${key}`}>
                    <th scope="row">
                      <span className={`dash-swatch dash-swatch--${key}`} />
                      {label}
                      {model?.pretrained ? ' (pretrained)' : model?.fromCache ? ' (cached)' : ''}
                    </th>
                    {COLUMNS.map((column) => (
                      <td key={column.testId} data-testid={`result-${key}-${column.testId}`}>
                        {model === null ? missing(key) : column.value(model)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="results-footer">
            <span className="results-meta">
              Backend <b data-testid="result-backend">{results.backend}</b> · {results.datasetId}: {results.trainCount} train,{' '}
              {results.testCount} test images
            </span>
            <button type="button" data-testid="download-results" onClick={() => downloadResults(results)}>
              Download results JSON
            </button>
          </div>
        </>
      )}
    </Panel>
  );
}

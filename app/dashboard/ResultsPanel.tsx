import type { ExperimentResults, ModelResult } from '../../src/results';
import { useStudio } from '../store';
import { isRunActive } from '../store/runSlice';
import { formatBytes, formatCount, formatMs, formatPercent, formatSeconds } from './format';
import { EmptyState, Panel } from './Panel';
import { ResultsHeadline } from './ResultsHeadline';

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

function downloadJson(results: ExperimentResults): void {
  const blob = new Blob([JSON.stringify(results, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${results.experimentName.replace(/[^\w.-]+/g, '_') || 'experiment'}-results.json`;
  link.click();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Teacher, baseline and distilled student side by side, and what distillation bought. */
export function ResultsPanel() {
  const results = useStudio((s) => s.run.results);
  const selection = useStudio((s) => s.run.selection);
  const active = useStudio((s) => isRunActive(s.run.status));
  // Results arrive phase by phase: a selected model not done yet is pending, not "not run".
  const missing = (key: (typeof MODELS)[number]['key']): string => (active && selection?.[key] ? 'pending' : 'not run');
  const restored = useStudio((s) => s.run.restored);

  return (
    <Panel title="Results" testId="results-panel" wide>
      {restored !== null && (
        <p className="results-restored" data-testid="results-restored">
          {restored.notice ?? 'Results of the last run, from before the page was reloaded.'}
        </p>
      )}
      {results === null ? (
        <EmptyState>Results appear as each model finishes training.</EmptyState>
      ) : (
        <>
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
            <button type="button" data-testid="download-results" onClick={() => downloadJson(results)}>
              Download results JSON
            </button>
          </div>
        </>
      )}
    </Panel>
  );
}

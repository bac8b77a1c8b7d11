import type { ExperimentResults, ModelResult } from '../../src/results';
import { useStudio } from '../store';
import { formatBytes, formatCount, formatMs, formatPercent, formatPoints, formatSeconds } from './format';
import { EmptyState, Panel } from './Panel';

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

  return (
    <Panel title="Results" testId="results-panel" wide>
      {results === null ? (
        <EmptyState>Results appear when a run finishes.</EmptyState>
      ) : (
        <>
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
                      {label}
                      {model?.fromCache ? ' (cached)' : ''}
                    </th>
                    {COLUMNS.map((column) => (
                      <td key={column.testId} data-testid={`result-${key}-${column.testId}`}>
                        {model === null ? 'not run' : column.value(model)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <dl className="results-summary">
            <dt>Compression ratio</dt>
            <dd data-testid="result-compression">
              {results.compressionRatio === null ? '—' : `${results.compressionRatio.toFixed(1)}×`}
            </dd>
            <dt>Accuracy drop (teacher − student)</dt>
            <dd data-testid="result-accuracy-drop">{formatPoints(results.accuracyDrop)}</dd>
            <dt>Distillation gain (student − baseline)</dt>
            <dd data-testid="result-distillation-gain">{formatPoints(results.distillationGain)}</dd>
            <dt>Backend</dt>
            <dd data-testid="result-backend">{results.backend}</dd>
            <dt>Data</dt>
            <dd>
              {results.datasetId}: {results.trainCount} train, {results.testCount} test images
            </dd>
          </dl>
          <button type="button" data-testid="download-results" onClick={() => downloadJson(results)}>
            Download results JSON
          </button>
        </>
      )}
    </Panel>
  );
}

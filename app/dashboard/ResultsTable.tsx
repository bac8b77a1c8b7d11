import type { ModelResult } from '../../src/results';
import { formatBytes, formatCount, formatMs, formatPercent, formatSeconds } from './format';
import { modelColors, ROLE_NAMES } from './modelColors';
import { missingResultText, type ResultRow } from './resultRows';

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

function provenance(result: ModelResult | null): string {
  return result?.pretrained ? ' (pretrained)' : result?.fromCache ? ' (cached)' : '';
}

/**
 * A row per model: role, label and its numbers; a model without a result yet is pending while its
 * phase may still run, or says where a stop caught it (in its first column, the rest blank).
 */
export function ResultsTable({ rows, active }: { rows: readonly ResultRow[]; active: boolean }) {
  const colors = modelColors(rows);
  return (
    <table className="results-table">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Role</th>
          {COLUMNS.map((column) => (
            <th key={column.testId} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const missing = missingResultText(row, active);
          return (
            <tr key={row.modelId} data-testid={`result-row-${row.testId}`} data-model-id={row.modelId}>
              <th scope="row">
                <span className="dash-swatch" style={{ background: colors.get(row.modelId) }} />
                {row.label}
                {provenance(row.result)}
              </th>
              <td className="results-table__role" data-testid={`result-${row.testId}-role`}>{ROLE_NAMES[row.role]}</td>
              {COLUMNS.map((column, i) => (
                <td key={column.testId} data-testid={`result-${row.testId}-${column.testId}`}>
                  {row.result !== null ? column.value(row.result) : row.stoppedAt !== null && i > 0 ? '—' : missing}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

import type { ModelResult } from '../../src/results';
import { formatBytes, formatCount, formatMs, formatPercent, formatSeconds } from './format';
import { modelColors, roleNames } from './modelColors';
import { missingResultText, type ResultRow } from './resultRows';
import { useTexts } from '../i18n/texts';
import { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';
import { pruningTexts } from '../i18n/catalogs/pruning';
import { pruningColumns } from './pruningColumns';
import { quantizationTexts } from '../i18n/catalogs/quantization';

type ResultsTexts = (typeof dashboardResultsTexts)['en'];

const columns = (tx: ResultsTexts): { label: string; value: (m: ModelResult) => string; testId: string }[] => [
  { label: tx.testAccuracy, value: (m) => formatPercent(m.testAccuracy), testId: 'accuracy' },
  { label: tx.validation, value: (m) => formatPercent(m.validationAccuracy), testId: 'validation' },
  { label: tx.params, value: (m) => formatCount(m.params), testId: 'params' },
  { label: tx.size, value: (m) => formatBytes(m.bytes), testId: 'bytes' },
  { label: tx.flops, value: (m) => formatCount(m.flops), testId: 'flops' },
  { label: tx.inference, value: (m) => formatMs(m.inferenceMsPerSample), testId: 'inference' },
  { label: tx.trainingTime, value: (m) => formatSeconds(m.trainingSeconds), testId: 'training-time' },
  { label: tx.seed, value: (m) => String(m.seed), testId: 'seed' },
];

type Column = ReturnType<typeof columns>[number];

/** With an INT8 model among the rows (QAT or PTQ), INT8 test accuracy, size and method sit next to the FP32 ones. */
function withInt8(shown: Column[], rows: readonly ResultRow[], qx: (typeof quantizationTexts)['en']): Column[] {
  if (!rows.some((row) => row.result?.int8TestAccuracy !== undefined)) return shown;
  const int8: Column[] = [
    { label: qx.int8Accuracy, value: (m) => (m.int8TestAccuracy === undefined ? '—' : formatPercent(m.int8TestAccuracy)), testId: 'int8-accuracy' },
    { label: qx.int8Size, value: (m) => (m.int8Bytes === undefined ? '—' : formatBytes(m.int8Bytes)), testId: 'int8-bytes' },
    { label: qx.int8Method, value: (m) => (m.int8TestAccuracy === undefined ? '—' : m.int8Method === 'ptq' ? qx.methodPtq : qx.methodQat), testId: 'int8-method' },
  ];
  const after = shown.findIndex((column) => column.testId === 'bytes') + 1;
  return [...shown.slice(0, after), ...int8, ...shown.slice(after)];
}

function provenance(result: ModelResult | null, tx: ResultsTexts): string {
  return result?.pretrained ? tx.pretrained : result?.fromCache ? tx.cached : '';
}

/**
 * A row per model: role, label and its numbers; a model without a result yet is pending while its
 * phase may still run, or says where a stop caught it (in its first column, the rest blank).
 */
export function ResultsTable({ rows, active }: { rows: readonly ResultRow[]; active: boolean }) {
  const tx = useTexts(dashboardResultsTexts);
  const colors = modelColors(rows);
  const ptx = useTexts(pruningTexts);
  const qx = useTexts(quantizationTexts);
  const shownColumns = [...withInt8(columns(tx), rows, qx), ...pruningColumns(rows, ptx)];
  return (
    <table className="results-table">
      <thead>
        <tr>
          <th scope="col">{tx.model}</th>
          <th scope="col">{tx.role}</th>
          {shownColumns.map((column) => (
            <th key={column.testId} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const missing = missingResultText(row, active, tx);
          return (
            <tr key={row.modelId} data-testid={`result-row-${row.testId}`} data-model-id={row.modelId}>
              <th scope="row">
                <span className="dash-swatch" style={{ background: colors.get(row.modelId) }} />
                {row.label}
                {provenance(row.result, tx)}
              </th>
              <td className="results-table__role" data-testid={`result-${row.testId}-role`}>{roleNames(tx)[row.role]}</td>
              {shownColumns.map((column, i) => (
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

import type { ModelResult } from '../../src/results';
import { formatBytes, formatCount, formatPercent } from './format';
import type { ResultRow } from './resultRows';
import type { pruningTexts } from '../i18n/catalogs/pruning';

type PruningTexts = (typeof pruningTexts)['en'];

/**
 * The results table's columns for pruned models, shown only when a row has them: measured sparsity
 * of the pruned kernels, non-zero parameters, the bitmap-sparse size (an estimate, src/compress/sparsity.ts),
 * and the real sizes of the dense ONNX file and of the smaller pruned one, slimmed or sparse
 * (src/compress/prunedOnnx.ts; default export settings).
 * Unpruned rows show a dash (the formatters' text for a missing number).
 */
export function pruningColumns(rows: readonly ResultRow[], tx: PruningTexts): { label: string; value: (m: ModelResult) => string; testId: string }[] {
  if (!rows.some((row) => row.result?.sparsity !== undefined)) return [];
  return [
    { label: tx.sparsity, value: (m) => formatPercent(m.sparsity, 1), testId: 'sparsity' },
    { label: tx.nonzeroParams, value: (m) => formatCount(m.nonzeroParams), testId: 'nonzero-params' },
    { label: tx.sparseSize, value: (m) => formatBytes(m.sparseBytes), testId: 'sparse-bytes' },
    { label: tx.onnxFile, value: (m) => formatBytes(m.onnxBytes), testId: 'onnx-bytes' },
    {
      label: tx.prunedOnnxFile,
      value: (m) => (m.prunedOnnxBytes === undefined || m.prunedOnnxForm === undefined ? formatBytes(undefined) : `${formatBytes(m.prunedOnnxBytes)} (${tx.form(m.prunedOnnxForm)})`),
      testId: 'pruned-onnx-bytes',
    },
  ];
}

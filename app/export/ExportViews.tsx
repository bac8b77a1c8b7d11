import type { ModelCard } from '../../src/export/exportRequest';
import type { VerificationReport } from '../../src/protocol';
import type { ExportJobState } from './useExportJob';
import { useTexts } from '../i18n/texts';
import { exportTexts } from '../i18n/catalogs/export';

type ExportTexts = (typeof exportTexts)['en'];

/** The export panel's read-outs: the verification verdict and the card of the model exported. */

const formatBytes = (bytes: number): string =>
  bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
const percent = (value: number | null, tx: ExportTexts): string => (value === null ? tx.notAvailable : `${(value * 100).toFixed(2)} %`);
const points = (value: number, tx: ExportTexts): string => tx.points(`${value > 0 ? '+' : ''}${(value * 100).toFixed(2)}`);

export function VerifyResult({ state }: { state: ExportJobState }) {
  const tx = useTexts(exportTexts);
  if (state.status === 'idle') return <p data-testid="export-verify-result" data-status="idle">{tx.idle}</p>;
  if (state.status === 'running') return <p data-testid="export-verify-result" data-status="running">{tx.running}</p>;
  if (state.status === 'failed') {
    return (
      <p className="export-panel__error" role="alert" data-testid="export-verify-result" data-status="error">
        {tx.failed(state.layerId ?? null, state.message)}
      </p>
    );
  }
  const report: VerificationReport = state.result.report;
  const facts = tx.facts(report.maxAbsDiff.toExponential(2), report.tolerance.toExponential(0), (report.classAgreement * 100).toFixed(1), report.samples);
  return report.ok
    ? <p className="export-panel__ok" data-testid="export-verify-result" data-status="ok">{tx.verified(facts)}</p>
    : (
      <p className="export-panel__error" role="alert" data-testid="export-verify-result" data-status="mismatch">
        {tx.mismatch(facts)}
      </p>
    );
}

export function ModelCardView({ card }: { card: ModelCard }) {
  const tx = useTexts(exportTexts);
  const rows: [string, string][] = [
    [tx.cardModel, card.name],
    [tx.cardTestAccuracy, percent(card.testAccuracy, tx)],
    [tx.cardTeacherAccuracy, percent(card.teacherAccuracy, tx)],
    [tx.cardBaseline, percent(card.baselineAccuracy, tx)],
    [tx.cardGain, card.distillationGain === null ? tx.notAvailable : points(card.distillationGain, tx)],
    [tx.cardSeed, card.seed === null ? '—' : String(card.seed)],
    [tx.cardParameters, `${card.params.toLocaleString('en-US')} (${formatBytes(card.parameterBytes)} float32)`],
    [tx.cardFlops, card.flops.toLocaleString('en-US')],
    ['ONNX', `${formatBytes(card.onnxBytes)}, opset ${card.opset}, IR ${card.irVersion}`],
    [tx.cardInputOutputs, `[${card.inputShape.join(', ')}] float32 NCHW -> ${card.outputs.join(', ')}`],
    [tx.cardOperators, card.ops.join(', ')],
  ];
  if (card.bundleBytes !== null) rows.push([tx.cardBundle, `${formatBytes(card.bundleBytes)}, ${card.socVersion}${card.aipp ? ', AIPP' : ''}`]);
  const noGain = card.distillationGain !== null && card.distillationGain <= 0;
  return (
    <>
      {noGain && (
        <p className="export-panel__warning" role="status" data-testid="export-no-gain">
          {tx.noGain(percent(card.baselineAccuracy, tx), points(card.distillationGain as number, tx))}
        </p>
      )}
      <dl className="export-panel__card" data-testid="export-model-card">
        {rows.map(([term, value]) => (
          <div key={term}><dt>{term}</dt><dd>{value}</dd></div>
        ))}
      </dl>
    </>
  );
}


import type { ModelCard } from '../../src/export/exportRequest';
import type { VerificationReport } from '../../src/protocol';
import type { ExportJobState } from './useExportJob';

/** The export panel's read-outs: the verification verdict and the card of the model exported. */

const formatBytes = (bytes: number): string =>
  bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
const percent = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`);
const points = (value: number): string => `${value > 0 ? '+' : ''}${(value * 100).toFixed(2)} points`;

export function VerifyResult({ state }: { state: ExportJobState }) {
  if (state.status === 'idle') return <p data-testid="export-verify-result" data-status="idle">Train a student (or any model that learns) to export it.</p>;
  if (state.status === 'running') return <p data-testid="export-verify-result" data-status="running">Exporting and verifying with ONNX Runtime…</p>;
  if (state.status === 'failed') {
    return (
      <p className="export-panel__error" role="alert" data-testid="export-verify-result" data-status="error">
        Export failed{state.layerId ? ` at layer '${state.layerId}'` : ''}: {state.message}
      </p>
    );
  }
  const report: VerificationReport = state.result.report;
  const facts = `max |diff| ${report.maxAbsDiff.toExponential(2)} (tolerance ${report.tolerance.toExponential(0)}), ` +
    `${(report.classAgreement * 100).toFixed(1)} % of classes agree on ${report.samples} test images`;
  return report.ok
    ? <p className="export-panel__ok" data-testid="export-verify-result" data-status="ok">Verified: {facts}.</p>
    : (
      <p className="export-panel__error" role="alert" data-testid="export-verify-result" data-status="mismatch">
        ONNX Runtime disagrees with the tfjs model: {facts}. Downloads are disabled; please report this experiment.
      </p>
    );
}

export function ModelCardView({ card }: { card: ModelCard }) {
  const rows: [string, string][] = [
    ['Model', card.name],
    ['Test accuracy', percent(card.testAccuracy)],
    ['Teacher accuracy', percent(card.teacherAccuracy)],
    ['Baseline (no teacher)', percent(card.baselineAccuracy)],
    ['Distillation gain', card.distillationGain === null ? 'n/a' : points(card.distillationGain)],
    ['Seed', card.seed === null ? '—' : String(card.seed)],
    ['Parameters', `${card.params.toLocaleString('en-US')} (${formatBytes(card.parameterBytes)} float32)`],
    ['FLOPs per image', card.flops.toLocaleString('en-US')],
    ['ONNX', `${formatBytes(card.onnxBytes)}, opset ${card.opset}, IR ${card.irVersion}`],
    ['Input / outputs', `[${card.inputShape.join(', ')}] float32 NCHW -> ${card.outputs.join(', ')}`],
    ['Operators', card.ops.join(', ')],
  ];
  if (card.bundleBytes !== null) rows.push(['Bundle', `${formatBytes(card.bundleBytes)}, ${card.socVersion}${card.aipp ? ', AIPP' : ''}`]);
  const noGain = card.distillationGain !== null && card.distillationGain <= 0;
  return (
    <>
      {noGain && (
        <p className="export-panel__warning" role="status" data-testid="export-no-gain">
          Distillation did not help this time: the same network trained without a teacher reached {percent(card.baselineAccuracy)}
          {' '}({points(card.distillationGain as number)} for this model). On one seed a few tenths of a point are within
          seed-to-seed spread: run over several seeds before choosing, or export the baseline instead (in the model list).
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


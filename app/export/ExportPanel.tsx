import { useMemo, useState } from 'react';
import { KNOWN_SOC_VERSIONS } from '../../src/export/bundleFacts';
import { exportSettingsOf, studentOf, trainedStudentMismatch, type ExportJobRequest, type ModelCard } from '../../src/export/exportRequest';
import { downloadExperiment } from '../editor/experimentFiles';
import type { ExportParams } from '../../src/graph/schema';
import type { VerificationReport } from '../../src/protocol';
import { useStudio } from '../store';
import { useExportJob, type ExportJobState } from './useExportJob';
import { downloadFile } from '../download';
import './export.css';

/**
 * Export of the trained student: ONNX alone or the Atlas 200 DK bundle. Every export is verified
 * in a worker (onnxruntime-web against the tfjs student) and is offered for download only when it
 * agrees; the model card shows what will be downloaded.
 */

const VERIFY_IMAGES = 64;

type Settings = Pick<ExportParams, 'format' | 'socVersion' | 'aipp' | 'batchSize' | 'softmaxOutput'>;

const formatBytes = (bytes: number): string =>
  bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
const percent = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`);

function VerifyResult({ state }: { state: ExportJobState }) {
  if (state.status === 'idle') return <p data-testid="export-verify-result" data-status="idle">Train a student to export it.</p>;
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
        ONNX Runtime disagrees with the tfjs student: {facts}. Downloads are disabled; please report this experiment.
      </p>
    );
}

function ModelCardView({ card }: { card: ModelCard }) {
  const rows: [string, string][] = [
    ['Student', card.name],
    ['Test accuracy', percent(card.testAccuracy)],
    ['Teacher accuracy', percent(card.teacherAccuracy)],
    ['Seed', card.seed === null ? '—' : String(card.seed)],
    ['Parameters', `${card.params.toLocaleString('en-US')} (${formatBytes(card.parameterBytes)} float32)`],
    ['FLOPs per image', card.flops.toLocaleString('en-US')],
    ['ONNX', `${formatBytes(card.onnxBytes)}, opset ${card.opset}, IR ${card.irVersion}`],
    ['Input / outputs', `[${card.inputShape.join(', ')}] float32 NCHW -> ${card.outputs.join(', ')}`],
    ['Operators', card.ops.join(', ')],
  ];
  if (card.bundleBytes !== null) rows.push(['Bundle', `${formatBytes(card.bundleBytes)}, ${card.socVersion}${card.aipp ? ', AIPP' : ''}`]);
  return (
    <dl className="export-panel__card" data-testid="export-model-card">
      {rows.map(([term, value]) => (
        <div key={term}><dt>{term}</dt><dd>{value}</dd></div>
      ))}
    </dl>
  );
}

export function ExportPanel() {
  const experiment = useStudio((s) => s.experiment);
  const trained = useStudio((s) => s.run.trainedModels.student);
  const results = useStudio((s) => s.run.results);
  const sweep = useStudio((s) => s.run.sweep);
  const [settings, setSettings] = useState<Settings>(() => exportSettingsOf(experiment));
  const update = (patch: Partial<Settings>) => setSettings((current) => ({ ...current, ...patch }));

  const graphStudent = useMemo(() => {
    try {
      return { ok: true as const, ...studentOf(experiment) };
    } catch (error) {
      return { ok: false as const, message: (error as Error).message };
    }
  }, [experiment]);
  // The export is the student as trained; another experiment or edits since then need another run.
  const mismatch = useMemo(() => (trained ? trainedStudentMismatch(trained, experiment) : null), [trained, experiment]);

  const request = useMemo<ExportJobRequest | null>(() => {
    if (!trained) return null;
    return {
      spec: trained.spec,
      weights: trained.weights,
      datasetId: trained.datasetId,
      format: settings.format,
      options: {
        socVersion: settings.socVersion, aipp: settings.aipp, batchSize: settings.batchSize, softmaxOutput: settings.softmaxOutput, opset: 11,
      },
      verifyImages: VERIFY_IMAGES,
      experimentName: trained.experimentName,
      results,
      includeTfjs: true,
    };
  }, [trained, settings, results]);
  const state = useExportJob(request);
  const done = state.status === 'done' && state.result.report.ok ? state.result : null;
  const baseName = trained?.spec.name ?? 'student';

  return (
    <section className="export-panel" data-testid="export-panel" aria-label="Export">
      <h3 className="export-panel__title">Export the student</h3>
      {!trained && !graphStudent.ok && <p className="export-panel__error">{graphStudent.message}</p>}
      {mismatch && <p className="export-panel__note" data-testid="export-mismatch-note">{mismatch}</p>}
      {trained && sweep !== null && results?.student && (
        <p className="export-panel__note" data-testid="export-sweep-note">
          From the seed sweep, this is the last run's student (seed {results.student.seed}); its gain is that seed's, the sweep's
          mean is in the results panel.
        </p>
      )}
      <fieldset className="export-panel__options" disabled={!trained}>
        <label>
          Format{' '}
          <select value={settings.format} data-testid="export-format"
            onChange={(e) => update({ format: e.target.value === 'onnx' ? 'onnx' : 'atc' })}>
            <option value="atc">ATC bundle (Atlas 200 DK)</option>
            <option value="onnx">ONNX only</option>
          </select>
        </label>
        <label>
          soc_version{' '}
          <select value={settings.socVersion} disabled={settings.format !== 'atc'} data-testid="export-soc"
            onChange={(e) => update({ socVersion: e.target.value })}>
            {KNOWN_SOC_VERSIONS.map((soc) => <option key={soc.id} value={soc.id}>{soc.id} ({soc.board})</option>)}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={settings.aipp} disabled={settings.format !== 'atc'} data-testid="export-aipp"
            onChange={(e) => update({ aipp: e.target.checked })} /> AIPP (uint8 input, normalised on the chip)
        </label>
        <label>
          Batch size{' '}
          <input type="number" min={1} max={64} value={settings.batchSize} data-testid="export-batch"
            onChange={(e) => update({ batchSize: Math.min(64, Math.max(1, Math.round(Number(e.target.value) || 1))) })} />
        </label>
        <label>
          <input type="checkbox" checked={settings.softmaxOutput} data-testid="export-softmax"
            onChange={(e) => update({ softmaxOutput: e.target.checked })} /> Softmax output "probs"
        </label>
      </fieldset>
      <VerifyResult state={trained ? state : { status: 'idle' }} />
      {done && <ModelCardView card={done.card} />}
      <div className="export-panel__downloads">
        <button type="button" data-testid="export-download-onnx" disabled={!done}
          onClick={() => done && downloadFile(done.onnx, `${baseName}.onnx`, 'application/octet-stream')}>
          Download ONNX
        </button>
        <button type="button" data-testid="export-download-bundle" disabled={!done?.bundle}
          onClick={() => done?.bundle && downloadFile(done.bundle, `${done.bundleFolder ?? baseName}.zip`, 'application/zip')}>
          Download ATC bundle
        </button>
        <button type="button" data-testid="export-download-tfjs" disabled={!done?.tfjsZip}
          onClick={() => done?.tfjsZip && downloadFile(done.tfjsZip, `${baseName}_tfjs.zip`, 'application/zip')}>
          Download tfjs model
        </button>
        <button type="button" data-testid="export-download-experiment"
          onClick={() => downloadExperiment(experiment)}>
          Download experiment
        </button>
      </div>
    </section>
  );
}

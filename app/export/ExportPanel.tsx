import { useMemo, useState } from 'react';
import { KNOWN_SOC_VERSIONS } from '../../src/export/bundleFacts';
import { exportSettingsOf, studentOf, trainedStudentMismatch, type ExportJobRequest } from '../../src/export/exportRequest';
import type { ExportParams } from '../../src/graph/schema';
import { modelResultById } from '../../src/results';
import { useStudio } from '../store';
import { useExportJob } from './useExportJob';
import { ExportModelPicker } from './ExportModelPicker';
import { exportedModelId } from './exportedModel';
import { ModelCardView, VerifyResult } from './ExportViews';
import { PyTorchProjectButton } from './PyTorchProjectButton';
import { Int8Download } from './Int8Download';
import { PrunedDownloads } from './PrunedDownloads';
import { LoadWeightsInput } from './LoadWeightsInput';
import { downloadFile } from '../download';
import { useTexts } from '../i18n/texts';
import { exportTexts } from '../i18n/catalogs/export';
import './export.css';

/**
 * Export of a trained model (by default the headline distillation's student): ONNX alone or the
 * Atlas 200 DK bundle. Every export is verified in a worker (onnxruntime-web against the tfjs
 * model) and is offered for download only when it agrees; the model card shows what will be
 * downloaded.
 */

const VERIFY_IMAGES = 64;

type Settings = Pick<ExportParams, 'format' | 'socVersion' | 'aipp' | 'batchSize' | 'softmaxOutput'>;

export function ExportPanel() {
  const tx = useTexts(exportTexts);
  const experiment = useStudio((s) => s.experiment);
  const trainedModels = useStudio((s) => s.run.trainedModels);
  const results = useStudio((s) => s.run.results);
  const sweep = useStudio((s) => s.run.sweep);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const modelId = exportedModelId(trainedModels, results, chosenId);
  const trained = modelId === null ? undefined : trainedModels[modelId];
  const trainedResult = results === null ? null : modelResultById(results, modelId);
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
      modelId: trained.modelId,
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
      ...(trained.int8Activations ? { int8Activations: trained.int8Activations } : {}),
    };
  }, [trained, settings, results]);
  const state = useExportJob(request);
  const done = state.status === 'done' && state.result.report.ok ? state.result : null;
  const baseName = trained?.spec.name ?? 'student';

  return (
    <section className="export-panel" data-testid="export-panel" aria-label={tx.region}>
      <h3 className="export-panel__title">{tx.title(trained ? trained.label : null)}</h3>
      <ExportModelPicker models={trainedModels} chosen={modelId} onChoose={setChosenId} />
      <LoadWeightsInput onLoaded={setChosenId} />
      {!trained && !graphStudent.ok && <p className="export-panel__error">{graphStudent.message}</p>}
      {mismatch && <p className="export-panel__note" data-testid="export-mismatch-note">{mismatch}</p>}
      {trained && sweep !== null && trainedResult && (
        <p className="export-panel__note" data-testid="export-sweep-note">
          {tx.fromSweep(trained.label, trainedResult.seed)}
        </p>
      )}
      <fieldset className="export-panel__options" disabled={!trained}>
        <label>
          {tx.format}{' '}
          <select value={settings.format} data-testid="export-format"
            onChange={(e) => update({ format: e.target.value === 'onnx' ? 'onnx' : 'atc' })}>
            <option value="atc">{tx.formatAtc}</option>
            <option value="onnx">{tx.formatOnnx}</option>
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
            onChange={(e) => update({ aipp: e.target.checked })} /> {tx.aipp}
        </label>
        <label>
          {tx.batchSize}{' '}
          <input type="number" min={1} max={64} value={settings.batchSize} data-testid="export-batch"
            onChange={(e) => update({ batchSize: Math.min(64, Math.max(1, Math.round(Number(e.target.value) || 1))) })} />
        </label>
        <label>
          <input type="checkbox" checked={settings.softmaxOutput} data-testid="export-softmax"
            onChange={(e) => update({ softmaxOutput: e.target.checked })} /> {tx.softmaxOutput}
        </label>
      </fieldset>
      <VerifyResult state={trained ? state : { status: 'idle' }} />
      {done && <ModelCardView card={done.card} />}
      <div className="export-panel__downloads">
        <button type="button" data-testid="export-download-onnx" disabled={!done}
          onClick={() => done && downloadFile(done.onnx, `${baseName}.onnx`, 'application/octet-stream')}>
          {tx.downloadOnnx}
        </button>
        <button type="button" data-testid="export-download-bundle" disabled={!done?.bundle}
          onClick={() => done?.bundle && downloadFile(done.bundle, `${done.bundleFolder ?? baseName}.zip`, 'application/zip')}>
          {tx.downloadBundle}
        </button>
        <button type="button" data-testid="export-download-tfjs" disabled={!done?.tfjsZip}
          onClick={() => done?.tfjsZip && downloadFile(done.tfjsZip, `${baseName}_tfjs.zip`, 'application/zip')}>
          {tx.downloadTfjs}
        </button>
        <button type="button" data-testid="export-download-experiment"
          onClick={() => useStudio.getState().saveExperiment()}>
          {tx.downloadExperiment}
        </button>
        <PyTorchProjectButton />
      </div>
      {done?.int8 && <Int8Download int8={done.int8} baseName={baseName} />}
      {done?.pruned && <PrunedDownloads pruned={done.pruned} baseName={baseName} bundled={done.bundle !== null} />}
    </section>
  );
}

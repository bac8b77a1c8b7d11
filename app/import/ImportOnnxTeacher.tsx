import { useEffect, useRef, useState } from 'react';
import type { NodeOf } from '../../src/graph/schema';
import type { LayerWeights } from '../../src/models/spec';
import type { OnnxImportCommand, OnnxImportWorkerMessage } from '../../src/protocol';
import { keyValueStore } from '../../workers/keyValueStore';
import { formatCount } from '../editor/format';
import { onnxImportTexts } from '../i18n/catalogs/onnxImport';
import { useTexts } from '../i18n/texts';
import { useStudio } from '../store';
import { onnxImportErrorText } from './onnxImportText';

/**
 * "Import ONNX teacher…" in a teacher's inspector: the file is converted and checked in a worker
 * (workers/onnxImport.worker.ts); only a model that converts and matches onnxruntime replaces this
 * node's architecture, so a refused file changes nothing. Also says when the converted weights are
 * not in this browser (a file opened elsewhere).
 */

type Imported = Extract<OnnxImportWorkerMessage, { type: 'onnxImported' }>;
type State =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'failed'; failure: Extract<OnnxImportWorkerMessage, { type: 'onnxImportFailed' }> }
  | { status: 'done'; result: Imported };

/** The same IndexedDB store the training worker restores teachers from (workers/trainServices.ts). */
const teacherStore = keyValueStore<LayerWeights[]>('distillation-studio', 'teacher-weights');

function useWeightsPresent(key: string | undefined): boolean | null {
  const [present, setPresent] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    setPresent(null);
    if (key === undefined) return;
    teacherStore.get(key).then((weights) => { if (live) setPresent(weights !== null); }, () => { if (live) setPresent(false); });
    return () => { live = false; };
  }, [key]);
  return present;
}

export function ImportOnnxTeacher({ node }: { node: NodeOf<'model'> }) {
  const tx = useTexts(onnxImportTexts);
  const [state, setState] = useState<State>({ status: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  const workerRef = useRef<Worker | null>(null);
  const datasetId = useStudio((s) => s.experiment.nodes.find((candidate) => candidate.kind === 'dataset')?.params as { datasetId?: string } | undefined)?.datasetId;
  const imported = node.params.imported;
  const present = useWeightsPresent(state.status === 'running' ? undefined : imported?.weightsKey);
  useEffect(() => () => workerRef.current?.terminate(), []);

  const start = async (file: File): Promise<void> => {
    if (datasetId === undefined) return;
    setState({ status: 'running' });
    workerRef.current?.terminate();
    const worker = new Worker(new URL('../../workers/onnxImport.worker.ts', import.meta.url), { type: 'module' });
    workerRef.current = worker;
    worker.onmessage = (event: MessageEvent<OnnxImportWorkerMessage>) => {
      const message = event.data;
      worker.terminate();
      workerRef.current = null;
      if (message.type === 'onnxImportFailed') {
        setState({ status: 'failed', failure: message });
        return;
      }
      useStudio.getState().updateNodeParams(node.id, { architecture: message.architecture, imported: message.imported });
      setState({ status: 'done', result: message });
    };
    worker.onerror = (event) => setState({ status: 'failed', failure: { type: 'onnxImportFailed', requestId: '', code: 'internal', detail: { error: event.message }, message: event.message } });
    const command: OnnxImportCommand = { type: 'importOnnx', requestId: `onnx-${Date.now()}`, bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name, datasetId };
    worker.postMessage(command, [command.bytes.buffer as ArrayBuffer]);
  };

  const summary = state.status === 'done' ? state.result.summary : null;
  return (
    <div className="onnx-import" data-testid="onnx-import">
      <button type="button" data-testid="onnx-import-button" disabled={state.status === 'running' || datasetId === undefined} onClick={() => input.current?.click()}>
        {state.status === 'running' ? tx.running : tx.importButton}
      </button>
      <input
        ref={input} type="file" accept=".onnx" hidden data-testid="onnx-import-file"
        onChange={(event) => { const file = event.target.files?.[0]; event.target.value = ''; if (file) void start(file); }}
      />
      <p className="field__help">{datasetId === undefined ? tx.noDataset : tx.help}</p>
      {state.status === 'failed' && (
        <div className="export-panel__error" role="alert" data-testid="onnx-import-error" data-code={state.failure.code}>
          <b>{tx.failed}</b> {onnxImportErrorText(state.failure, tx)} {tx.kept}
        </div>
      )}
      {imported && (
        <p data-testid="onnx-import-origin">
          {tx.importedFrom(imported.fileName, imported.opset, imported.producer)} {tx.parity(imported.maxAbsDiff.toExponential(2), imported.parityImages)}
        </p>
      )}
      {imported && present === false && <p className="export-panel__error" role="alert" data-testid="onnx-import-missing">{tx.weightsMissing(imported.fileName)}</p>}
      {summary && (
        <div data-testid="onnx-import-summary">
          <h4>{tx.summaryHeading}</h4>
          <ul>
            <li>{tx.input(`[${summary.inputDims.join(', ')}]`, summary.layout.toUpperCase())}</li>
            <li>{tx.output(summary.outputName, summary.classes, summary.softmaxDropped)}</li>
            <li>{tx.params(formatCount(summary.params))}</li>
            <li>{summary.ops.join(', ')}</li>
          </ul>
          <p>{tx.guides(summary.guides.length)}</p>
          <ul data-testid="onnx-import-guides">
            {summary.guides.map((guide) => <li key={guide.layerId}><code>{guide.onnxName}</code> → <code>{guide.layerId}</code> [{guide.shape.join(' × ')}]</li>)}
          </ul>
        </div>
      )}
    </div>
  );
}

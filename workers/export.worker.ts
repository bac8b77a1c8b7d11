/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web/wasm';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { OnnxExportError } from '../src/export/errors';
import { runExportJob } from '../src/export/exportJob';
import { pytorchProjectZip } from '../src/export/pytorch/project';
import { compareLogits, createOrtRunner, type OrtModule } from '../src/export/verify';
import type { ExportCommand, ExportWorkerMessage } from '../src/protocol';
import { errorMessage } from '../src/errorMessage';
import { isUserDatasetId } from '../src/data/registry';
import { loadUserDataset, readAsset as readStudioAsset } from './trainServices';

/**
 * Verifies and packages exports off the page: tfjs on the CPU backend (exact float32, so the
 * comparison measures the export, not GPU rounding) and onnxruntime-web's single-threaded wasm.
 */

declare const self: DedicatedWorkerGlobalScope;

// Vite serves the wasm binary from its own URL; one thread avoids needing worker threads of ORT's own.
ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
ort.env.wasm.numThreads = 1;
const runOnnx = createOrtRunner(ort as unknown as OrtModule, ['wasm']);

let backendReady: Promise<boolean> | null = null;

function post(message: ExportWorkerMessage): void {
  const transfer: Transferable[] = [];
  if (message.type === 'pytorchProjectReady') transfer.push(message.zip.buffer as ArrayBuffer);
  if (message.type === 'exported') {
    const { onnx, bundle, tfjsZip, pruned } = message.result;
    for (const bytes of [onnx, bundle, tfjsZip, pruned?.slimmed?.onnx, pruned?.sparse?.onnx]) if (bytes) transfer.push(bytes.buffer as ArrayBuffer);
  }
  self.postMessage(message, transfer);
}

async function readAsset(relativePath: string): Promise<Uint8Array> {
  // Imported images are in IndexedDB (loaded below before the job), not on the server.
  if (isUserDatasetId(relativePath)) return readStudioAsset(relativePath);
  const response = await fetch(`/data/${relativePath}`);
  if (!response.ok) {
    throw new Error(`Data file /data/${relativePath} is missing (HTTP ${response.status}). Run \`npm run prepare-data\` and reload.`);
  }
  return new Uint8Array(await response.arrayBuffer());
}


async function handle(command: ExportCommand): Promise<void> {
  if (command.type === 'verify') {
    try {
      const actual = await runOnnx(command.onnx, command.inputs.map((data) => ({ data, dims: command.inputShape })));
      const classes = command.expectedLogits[0]?.length ?? 0;
      post({ type: 'verified', requestId: command.requestId, report: compareLogits(command.expectedLogits, actual, classes) });
    } catch (error) {
      post({ type: 'verifyFailed', requestId: command.requestId, message: errorMessage(error) });
    }
    return;
  }
  if (command.type === 'pytorchProject') {
    try {
      const { zip, fileName } = pytorchProjectZip(command.input);
      post({ type: 'pytorchProjectReady', requestId: command.requestId, zip, fileName });
    } catch (error) {
      post({ type: 'exportFailed', requestId: command.requestId, message: errorMessage(error) });
    }
    return;
  }
  try {
    backendReady ??= tf.setBackend('cpu');
    await backendReady;
    await loadUserDataset(command.request.datasetId);
    const result = await runExportJob(command.request, { read: readAsset, runOnnx });
    post({ type: 'exported', requestId: command.requestId, result });
  } catch (error) {
    post({
      type: 'exportFailed',
      requestId: command.requestId,
      message: errorMessage(error),
      layerId: error instanceof OnnxExportError ? error.layerId : undefined,
    });
  }
}

self.onmessage = (event: MessageEvent<ExportCommand>) => {
  void handle(event.data);
};

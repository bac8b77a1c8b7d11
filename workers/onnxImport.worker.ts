/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web/wasm';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { normalizePixels } from '../src/data/batches';
import { loadDataset } from '../src/data/loader';
import { errorMessage } from '../src/errorMessage';
import { sha256Hex } from '../src/export/sha256';
import { createOrtRunner, type OrtModule } from '../src/export/verify';
import { IMPORT_PARITY_IMAGES, importedWeightsKey } from '../src/import/importedTeacher';
import { OnnxImportError } from '../src/import/onnxImportError';
import { importParity } from '../src/import/onnxParity';
import { convertOnnxTeacher } from '../src/import/onnxToSpec';
import type { OnnxImportCommand, OnnxImportWorkerMessage } from '../src/protocol';
import { loadUserDataset, readAsset, teacherCache } from './trainServices';

/**
 * Imports an ONNX teacher off the page: parses and converts it (src/import/), runs the ORIGINAL
 * file with onnxruntime-web and the converted network with tfjs (CPU, exact float32) on real test
 * images of the chosen dataset, and only when they agree stores the weights in the IndexedDB
 * teacher store the training worker restores teachers from.
 */

declare const self: DedicatedWorkerGlobalScope;

ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
ort.env.wasm.numThreads = 1;
const runOnnx = createOrtRunner(ort as unknown as OrtModule, ['wasm']);
let backendReady: Promise<boolean> | null = null;

async function handle(command: OnnxImportCommand): Promise<OnnxImportWorkerMessage> {
  backendReady ??= tf.setBackend('cpu');
  await backendReady;
  await loadUserDataset(command.datasetId);
  const data = await loadDataset({ datasetId: command.datasetId, trainSubset: 1, validationSize: 0, testSubset: IMPORT_PARITY_IMAGES, augmentShift: 0 }, readAsset);
  const { info, test } = data;
  const teacher = convertOnnxTeacher(command.bytes, { shape: info.shape, classes: info.classes }, command.fileName.replace(/\.onnx$/i, ''));
  const parity = await importParity(command.bytes, teacher, normalizePixels(test.images, info), runOnnx);
  if (!parity.ok) {
    throw new OnnxImportError('parity', `The converted network does not reproduce the model: max |logit difference| ${parity.maxAbsDiff} (tolerance ${parity.tolerance}), ` +
      `${(parity.classAgreement * 100).toFixed(1)}% of ${parity.samples} classes agree.`, { maxAbsDiff: parity.maxAbsDiff, tolerance: parity.tolerance, samples: parity.samples });
  }
  const sha256 = sha256Hex(command.bytes);
  const weightsKey = importedWeightsKey(sha256, info.shape);
  await teacherCache.put(weightsKey, teacher.weights);
  return {
    type: 'onnxImported', requestId: command.requestId, architecture: teacher.spec, summary: teacher.summary, parity,
    imported: {
      format: 'onnx', fileName: command.fileName, sha256, weightsKey, opset: teacher.summary.opset, producer: teacher.summary.producer,
      maxAbsDiff: parity.maxAbsDiff, parityImages: parity.samples,
    },
  };
}

self.onmessage = (event: MessageEvent<OnnxImportCommand>) => {
  const command = event.data;
  handle(command).then(
    (message) => self.postMessage(message),
    (error: unknown) => self.postMessage({
      type: 'onnxImportFailed', requestId: command.requestId,
      code: error instanceof OnnxImportError ? error.code : 'internal',
      detail: error instanceof OnnxImportError ? error.detail : { error: errorMessage(error) },
      message: errorMessage(error),
    } satisfies OnnxImportWorkerMessage),
  );
};

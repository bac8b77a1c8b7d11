import * as tf from '@tensorflow/tfjs';
import { normalizePixels } from '../data/batches';
import { loadDataset } from '../data/loader';
import type { AssetReader } from '../data/types';
import { buildModel, setLayerWeights } from '../models/builder';
import { modelResultById } from '../results';
import { summarizeArchitecture } from '../models/shapes';
import { buildAtlasBundle } from './bundle';
import { DEFAULT_SOC_VERSION } from './bundleFacts';
import type { ExportJobRequest, ExportJobResult } from './exportRequest';
import { nhwcToNchw } from './layout';
import { exportOnnx, resolveOnnxOptions, summarizeOnnx } from './onnx';
import { tfjsModelZip } from './tfjsFormat';
import { exportAndVerifyInt8 } from '../compress/int8Export';
import { exportAndVerifyPruned } from '../compress/prunedExport';
import { compareLogits, VERIFY_TOLERANCE, type OnnxInput, type OnnxRunner } from './verify';

export type { ExportJobRequest, ExportJobResult, ModelCard } from './exportRequest';
export { exportSettingsOf, studentOf } from './exportRequest';

/**
 * One export, start to finish, shared by the browser worker and the headless runner: load test
 * images, run the tfjs model, export ONNX, verify it with ONNX Runtime, and only when it agrees
 * build the ATC bundle and the tfjs-format zip.
 */

async function tfjsLogitsOf(model: tf.LayersModel, images: Float32Array, shape: readonly number[], count: number): Promise<Float32Array> {
  const input = tf.tensor4d(images, [count, shape[0], shape[1], shape[2]]);
  const output = model.predict(input);
  const logits = Array.isArray(output) ? output[0] : output;
  try {
    return Float32Array.from(await logits.data());
  } finally {
    tf.dispose([input, output]);
  }
}

function batchesOf(images: Float32Array, shape: readonly number[], batch: number): OnnxInput[] {
  const [h, w, c] = shape;
  const perBatch = batch * h * w * c;
  const inputs: OnnxInput[] = [];
  for (let start = 0; start + perBatch <= images.length; start += perBatch) {
    inputs.push({ data: nhwcToNchw(images.subarray(start, start + perBatch), batch, h, w, c), dims: [batch, c, h, w] });
  }
  return inputs;
}

export interface ExportJobDeps {
  read: AssetReader;
  runOnnx: OnnxRunner;
  createdAt?: Date;
}

const CALIBRATION_TRAIN_IMAGES = 64;

export async function runExportJob(request: ExportJobRequest, deps: ExportJobDeps): Promise<ExportJobResult> {
  const { spec, weights, options } = request;
  const onnxOptions = resolveOnnxOptions({ opset: options.opset, batchSize: options.batchSize, softmaxOutput: options.softmaxOutput });
  const batch = onnxOptions.batchSize;
  const imageCount = Math.max(batch, Math.floor(request.verifyImages / batch) * batch);
  const data = await loadDataset({
    datasetId: request.datasetId, trainSubset: CALIBRATION_TRAIN_IMAGES, validationSize: 0,
    testSubset: Math.max(imageCount, (options.sampleFileCount ?? 4) * batch), augmentShift: 0,
  }, deps.read);
  const [h, w, c] = data.info.shape;
  const images = normalizePixels(data.test.images.subarray(0, imageCount * h * w * c), data.info);

  const onnx = exportOnnx(spec, weights, onnxOptions);
  const model = buildModel(spec, { taps: [], seed: 0 });
  let expected: Float32Array;
  let tfjsZip: Uint8Array | null = null;
  try {
    setLayerWeights(model, weights);
    expected = await tfjsLogitsOf(model, images, data.info.shape, imageCount);
    if (request.includeTfjs) tfjsZip = await tfjsModelZip(model, `${spec.name}_tfjs`);
  } finally {
    model.dispose();
  }
  const actual = await deps.runOnnx(onnx, batchesOf(images, data.info.shape, batch));
  const merged = new Float32Array(expected.length);
  actual.forEach((logits, i) => merged.set(logits, i * logits.length));
  const report = compareLogits([expected], [merged], data.info.classes, VERIFY_TOLERANCE);

  const int8 = request.int8Activations && report.ok
    ? await exportAndVerifyInt8(spec, weights, request.int8Activations, images, imageCount, batchesOf(images, data.info.shape, batch), batch, data.info.classes, deps.runOnnx)
    : null;
  const pruned = report.ok
    ? await exportAndVerifyPruned(spec, weights, onnxOptions, expected, batchesOf(images, data.info.shape, batch), data.info.classes, deps.runOnnx)
    : null;
  let bundle: Awaited<ReturnType<typeof buildAtlasBundle>> | null = null;
  if (request.format === 'atc' && report.ok) {
    // A channel-pruned student's bundle carries the slimmed network: that is what ATC should convert.
    const slim = pruned?.slimNetwork ?? null;
    const slimmed = slim && pruned?.downloads.slimmed
      ? { convs: pruned.downloads.slimmed.convs, kept: pruned.downloads.slimmed.kept, denseBytes: onnx.length }
      : undefined;
    bundle = await buildAtlasBundle({
      int8Qdq: int8?.onnx,
      slimmed,
      modelId: request.modelId, spec: slim?.spec ?? spec, weights: slim?.weights ?? weights, dataset: data.info, samples: data.test,
      calibration: data.train, runOnnx: deps.runOnnx, options,
      experimentName: request.experimentName, results: request.results, createdAt: deps.createdAt,
    });
  }
  const summary = summarizeOnnx(onnx);
  const architecture = summarizeArchitecture(spec);
  const { results, modelId } = request;
  const measured = results ? modelResultById(results, modelId) : null;
  const distillation = results?.distillations.find((report) => report.studentId === modelId);
  const teacher = results ? modelResultById(results, distillation?.teacherId) : null;
  const baseline = results ? modelResultById(results, distillation?.baselineId ?? undefined) : null;
  return {
    report,
    onnx,
    bundle: bundle?.zip ?? null,
    bundleFolder: bundle?.folder ?? null,
    tfjsZip,
    int8,
    pruned: pruned?.downloads ?? null,
    card: {
      modelId,
      name: spec.name,
      params: architecture.params,
      flops: architecture.flops,
      parameterBytes: architecture.bytes,
      onnxBytes: onnx.length,
      bundleBytes: bundle?.zip.length ?? null,
      inputShape: summary.inputs[0]?.dims ?? [],
      outputs: summary.outputs.map((output) => output.name),
      ops: [...new Set(summary.ops)],
      opset: summary.opset,
      irVersion: summary.irVersion,
      socVersion: request.format === 'atc' ? options.socVersion ?? DEFAULT_SOC_VERSION : null,
      aipp: request.format === 'atc' && (options.aipp ?? false),
      testAccuracy: measured?.testAccuracy ?? null,
      teacherAccuracy: teacher?.testAccuracy ?? null,
      baselineAccuracy: baseline?.testAccuracy ?? null,
      distillationGain: distillation?.distillationGain ?? null,
      seed: measured?.seed ?? null,
    },
  };
}

import { strToU8, zipSync, type Zippable } from 'fflate';
import { normalizePixels } from '../data/batches';
import type { DatasetInfo, ImageSplit } from '../data/types';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { modelResultById, type ExperimentResults } from '../results';
import type { QuantizationMethod } from '../graph/schema';
import {
  AIPP_FILE, DEFAULT_SOC_VERSION, EXPECTED_LOGITS_FILE, KNOWN_SOC_VERSIONS, LABELS_FILE, ONNX_FILE, SOC_VERSION_PATTERN,
  aippChannelValues, sampleBytes, type BundleFacts,
} from './bundleFacts';
import { bundleReadme } from './bundleReadme';
import { INT8_QDQ_FILE, int8ReadmeSection } from './bundleInt8';
import { slimReadmeSection, type SlimmedBundle } from './bundleSlim';
import { convertScript, quantizeScript, runScript, verifyAisBenchScript, verifyMsameScript } from './bundleScripts';
import { OnnxExportError } from './errors';
import { inferPy } from './inferPy';
import { nhwcToNchw } from './layout';
import { exportOnnx, onnxInputDims, resolveOnnxOptions, summarizeOnnx } from './onnx';
import { sha256Hex } from './sha256';
import { argmaxRows, type OnnxInput, type OnnxRunner } from './verify';

/**
 * The ATC deployment bundle (atlas-deployment.md): a zip with the ONNX model, scripts, a pyACL
 * program, sample inputs with ONNX Runtime's logits, calibration data and a checksummed manifest.
 */

export interface AtlasBundleOptions {
  socVersion?: string;
  /** Raw uint8 input normalised on the chip by AIPP (model/insert_op.cfg). */
  aipp?: boolean;
  batchSize?: number;
  softmaxOutput?: boolean;
  opset?: number;
  /** Number of data/sample_<i>.bin files (each one batch). Default 4. */
  sampleFileCount?: number;
}

export interface AtlasBundleInput {
  /** The exported model's id in the plan and the results: the README reports that model. */
  modelId: string;
  spec: ArchitectureSpec;
  weights: LayerWeights[];
  dataset: DatasetInfo;
  /** Test images for the samples (the first sampleFileCount * batchSize are used). */
  samples: ImageSplit;
  /** Training images for INT8 calibration. */
  calibration: ImageSplit;
  /** Computes expected_logits.txt: onnxruntime-node in Node, onnxruntime-web in the browser. */
  runOnnx: OnnxRunner;
  options?: AtlasBundleOptions;
  experimentName?: string;
  results?: ExperimentResults | null;
  /** Fixed for reproducible zips; default now. */
  createdAt?: Date;
  /** A QAT-trained student's INT8 (QDQ) ONNX, added as INT8_QDQ_FILE. */
  int8Qdq?: Uint8Array;
  /** Set when `spec` and `weights` are a channel-pruned student slimmed (src/compress/slim.ts): the README says so. */
  slimmed?: SlimmedBundle;
}

export interface AtlasBundle {
  zip: Uint8Array;
  /** Folder inside the zip, e.g. `cnn-student_atlas200dk`. */
  folder: string;
  /** Every file by its path relative to the folder (manifest.json included). */
  files: Map<string, Uint8Array>;
  manifest: AtlasManifest;
  onnx: Uint8Array;
}

export interface AtlasManifest {
  format: 'distillation-studio/atlas-bundle';
  formatVersion: 1;
  name: string;
  createdAt: string;
  model: { file: string; opset: number; irVersion: number; ops: string[] };
  input: { name: string; shape: number[]; dtype: 'float32'; layout: 'NCHW' };
  /** What the .om takes after ATC: differs from `input` with AIPP. */
  deviceInput: { dtype: 'float32' | 'uint8'; layout: 'NCHW' | 'NHWC'; shape: number[]; bytes: number };
  outputs: { name: string; shape: number[]; dtype: 'float32' }[];
  normalization: { mean: number[]; std: number[]; formula: string; appliedBy: 'aipp' | 'host' };
  aipp: { config: string; inputFormat: string; minChn: number[]; varReciChn: number[] } | null;
  labels: string[];
  target: { socVersion: string; board: string; cann: string };
  /** `modelId`: which of the results' models this bundle holds. */
  experiment: { name: string; modelId: string; results: ExperimentResults | null };
  samples: { file: string; labels: number[] }[];
  calibration: { files: string[]; batchSize: number; dtype: 'float32'; layout: 'NCHW'; normalised: true };
  /** Size and SHA-256 of every file except manifest.json itself. */
  files: Record<string, { bytes: number; sha256: string }>;
}

const CALIBRATION_IMAGES = 32;
const BOARD_CANN = '5.1.RC1 to 6.0.0.alpha003';
const EXECUTABLE = 0o100755 << 16;

/** How the exported model became INT8, from its results (absent there = QAT, the only method before PTQ); null without results. */
function int8MethodOf(results: ExperimentResults | null, modelId: string): QuantizationMethod | null {
  const result = results === null ? null : modelResultById(results, modelId);
  return result ? result.int8Method ?? 'qat' : null;
}

const float32Bytes = (values: Float32Array): Uint8Array => {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
};

/** `count` images from `first` as normalised float32 NCHW. */
function normalisedNchw(split: ImageSplit, info: DatasetInfo, first: number, count: number): Float32Array {
  const [h, w, c] = info.shape;
  const pixels = split.images.subarray(first * h * w * c, (first + count) * h * w * c);
  return nhwcToNchw(normalizePixels(pixels, info), count, h, w, c);
}

export function aippConfig(info: DatasetInfo): { text: string; inputFormat: string; channels: { min: number; varReci: number }[] } {
  const [h, w, c] = info.shape;
  if (c !== 1 && c !== 3) {
    throw new OnnxExportError(`AIPP handles 1- or 3-channel images, this dataset has ${c} channels; export without AIPP.`);
  }
  const inputFormat = c === 1 ? 'YUV400_U8' : 'RGB888_U8';
  const channels = aippChannelValues(info.normalization);
  const lines = channels.flatMap((channel, i) => [
    `    mean_chn_${i}: 0`,
    `    min_chn_${i}: ${Number(channel.min.toPrecision(9))}`,
    `    var_reci_chn_${i}: ${Number(channel.varReci.toPrecision(9))}`,
  ]);
  const text = [
    '# AIPP: raw uint8 pixels in, out = (in - mean_chn - min_chn) * var_reci_chn = (pixel / 255 - mean) / std',
    'aipp_op {',
    '    aipp_mode: static',
    '    related_input_rank: 0',
    `    input_format: ${inputFormat}`,
    '    csc_switch: false',
    `    src_image_size_w: ${w}`,
    `    src_image_size_h: ${h}`,
    ...lines,
    '}',
    '',
  ].join('\n');
  return { text, inputFormat, channels };
}

function checkBundleInput(input: AtlasBundleInput, facts: BundleFacts, sampleImages: number, calibrationImages: number): void {
  const [h, w, c] = input.dataset.shape;
  if (h !== input.spec.inputShape[0] || w !== input.spec.inputShape[1] || c !== input.spec.inputShape[2]) {
    throw new OnnxExportError(
      `The model takes [${input.spec.inputShape.join(', ')}] images but dataset '${input.dataset.id}' has ` +
      `[${input.dataset.shape.join(', ')}]; export with the dataset it was trained on.`,
    );
  }
  if (!SOC_VERSION_PATTERN.test(facts.socVersion)) {
    throw new OnnxExportError(`soc_version '${facts.socVersion}' is not valid; use ${KNOWN_SOC_VERSIONS.map((s) => s.id).join(', ')}.`);
  }
  if (input.samples.count < sampleImages) {
    throw new OnnxExportError(`The bundle needs ${sampleImages} test images for its samples but only ${input.samples.count} are loaded.`);
  }
  if (input.calibration.count < calibrationImages) {
    throw new OnnxExportError(
      `INT8 calibration needs ${calibrationImages} training images but only ${input.calibration.count} are loaded; use a larger training subset.`,
    );
  }
}

function expectedLogitsText(facts: BundleFacts, logits: Float32Array[], labels: number[][]): string {
  const lines = [
    `# ONNX Runtime logits of ${ONNX_FILE} for the sample inputs (${facts.aipp ? 'AIPP normalisation applied on the host for this run' : 'inputs as stored'}).`,
    `# columns: file image label predicted ${Array.from({ length: facts.classes }, (_, k) => `logit_${k}`).join(' ')}`,
  ];
  facts.sampleFiles.forEach((file, i) => {
    const predicted = argmaxRows(logits[i], facts.classes);
    predicted.forEach((cls, row) => {
      const values = Array.from(logits[i].subarray(row * facts.classes, (row + 1) * facts.classes), (v) => Number(v.toPrecision(9)));
      lines.push([file.split('/').pop(), row, labels[i][row], cls, ...values].join(' '));
    });
  });
  return `${lines.join('\n')}\n`;
}

/** Builds the zip. Throws OnnxExportError for an architecture or input the bundle cannot serve. */
export async function buildAtlasBundle(input: AtlasBundleInput): Promise<AtlasBundle> {
  const options = input.options ?? {};
  const onnxOptions = resolveOnnxOptions({ opset: options.opset, batchSize: options.batchSize, softmaxOutput: options.softmaxOutput });
  const batch = onnxOptions.batchSize;
  const sampleFileCount = options.sampleFileCount ?? 4;
  const calibrationFileCount = Math.ceil(CALIBRATION_IMAGES / batch);
  const folder = `${input.spec.name.replace(/[^A-Za-z0-9_-]/g, '_')}_atlas200dk`;
  const facts: BundleFacts = {
    folder,
    modelName: input.spec.name,
    inputName: onnxOptions.inputName,
    inputDims: onnxInputDims(input.spec, batch),
    classes: input.dataset.classes,
    labels: input.dataset.classNames,
    socVersion: options.socVersion ?? DEFAULT_SOC_VERSION,
    aipp: options.aipp ?? false,
    softmaxOutput: onnxOptions.softmaxOutput,
    opset: onnxOptions.opset,
    irVersion: onnxOptions.irVersion,
    normalization: input.dataset.normalization,
    sampleFiles: Array.from({ length: sampleFileCount }, (_, i) => `data/sample_${i}.bin`),
    calibrationFiles: Array.from({ length: calibrationFileCount }, (_, i) => `calibration/calibration_${i}.bin`),
  };
  checkBundleInput(input, facts, sampleFileCount * batch, calibrationFileCount * batch);
  const onnx = exportOnnx(input.spec, input.weights, onnxOptions);
  const [, c, h, w] = facts.inputDims;
  const imageBytes = h * w * c;

  const files = new Map<string, Uint8Array>();
  files.set(ONNX_FILE, onnx);
  if (input.int8Qdq) files.set(INT8_QDQ_FILE, input.int8Qdq);
  const aipp = facts.aipp ? aippConfig(input.dataset) : null;
  if (aipp) files.set(AIPP_FILE, strToU8(aipp.text));

  const onnxInputs: OnnxInput[] = [];
  const sampleLabels: number[][] = [];
  facts.sampleFiles.forEach((file, i) => {
    const first = i * batch;
    const data = normalisedNchw(input.samples, input.dataset, first, batch);
    onnxInputs.push({ data, dims: [...facts.inputDims] });
    sampleLabels.push(Array.from(input.samples.labels.subarray(first, first + batch)));
    files.set(file, aipp ? input.samples.images.slice(first * imageBytes, (first + batch) * imageBytes) : float32Bytes(data));
  });
  const logits = await input.runOnnx(onnx, onnxInputs);
  files.set(EXPECTED_LOGITS_FILE, strToU8(expectedLogitsText(facts, logits, sampleLabels)));
  files.set(LABELS_FILE, strToU8(`${facts.labels.join('\n')}\n`));
  facts.calibrationFiles.forEach((file, i) => {
    files.set(file, float32Bytes(normalisedNchw(input.calibration, input.dataset, i * batch, batch)));
  });
  files.set('scripts/convert.sh', strToU8(convertScript(facts)));
  files.set('scripts/run.sh', strToU8(runScript(facts)));
  files.set('scripts/verify_msame.sh', strToU8(verifyMsameScript(facts)));
  files.set('scripts/verify_ais_bench.sh', strToU8(verifyAisBenchScript(facts)));
  files.set('scripts/quantize.sh', strToU8(quantizeScript(facts)));
  files.set('src/infer.py', strToU8(inferPy(facts)));
  const readme = bundleReadme(facts, input.results ?? null, input.modelId) +
    (input.slimmed ? slimReadmeSection(input.slimmed, onnx.length) : '') +
    (input.int8Qdq ? int8ReadmeSection(int8MethodOf(input.results ?? null, input.modelId)) : '');
  files.set('README.md', strToU8(readme));

  const summary = summarizeOnnx(onnx);
  const { mean, std } = input.dataset.normalization;
  const manifest: AtlasManifest = {
    format: 'distillation-studio/atlas-bundle',
    formatVersion: 1,
    name: input.spec.name,
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    model: { file: ONNX_FILE, opset: summary.opset, irVersion: summary.irVersion, ops: [...new Set(summary.ops)] },
    input: { name: facts.inputName, shape: [...facts.inputDims], dtype: 'float32', layout: 'NCHW' },
    deviceInput: aipp
      ? { dtype: 'uint8', layout: 'NHWC', shape: [batch, h, w, c], bytes: sampleBytes(facts) }
      : { dtype: 'float32', layout: 'NCHW', shape: [...facts.inputDims], bytes: sampleBytes(facts) },
    outputs: summary.outputs.map((output) => ({ name: output.name, shape: output.dims, dtype: 'float32' })),
    normalization: { mean, std, formula: 'x = (pixel / 255 - mean[c]) / std[c]', appliedBy: aipp ? 'aipp' : 'host' },
    aipp: aipp
      ? { config: AIPP_FILE, inputFormat: aipp.inputFormat, minChn: aipp.channels.map((ch) => ch.min), varReciChn: aipp.channels.map((ch) => ch.varReci) }
      : null,
    labels: facts.labels,
    target: {
      socVersion: facts.socVersion,
      board: KNOWN_SOC_VERSIONS.find((soc) => soc.id === facts.socVersion)?.board ?? 'custom',
      cann: `convert with the CANN version the board runs (Atlas 200 DK: ${BOARD_CANN})`,
    },
    experiment: { name: input.experimentName ?? input.results?.experimentName ?? input.spec.name, modelId: input.modelId, results: input.results ?? null },
    samples: facts.sampleFiles.map((file, i) => ({ file, labels: sampleLabels[i] })),
    calibration: { files: facts.calibrationFiles, batchSize: batch, dtype: 'float32', layout: 'NCHW', normalised: true },
    files: Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b))
      .map(([path, bytes]) => [path, { bytes: bytes.length, sha256: sha256Hex(bytes) }])),
  };
  files.set('manifest.json', strToU8(`${JSON.stringify(manifest, null, 2)}\n`));

  const mtime = input.createdAt ?? new Date();
  const zippable: Zippable = {};
  for (const [path, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    zippable[`${folder}/${path}`] = path.endsWith('.sh') || path.endsWith('.py')
      ? [bytes, { os: 3, attrs: EXECUTABLE, mtime }]
      : [bytes, { os: 3, attrs: 0o100644 << 16, mtime }];
  }
  return { zip: zipSync(zippable, { level: 6 }), folder, files, manifest, onnx };
}

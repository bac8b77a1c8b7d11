/**
 * The facts every generated bundle file agrees on (shapes, names, file lists), computed once so
 * the README, the scripts, infer.py and the manifest cannot drift apart.
 */

export const DEFAULT_SOC_VERSION = 'Ascend310';
/** Known targets, for the UI; any value matching SOC_VERSION_PATTERN is accepted. */
export const KNOWN_SOC_VERSIONS: readonly { id: string; board: string }[] = [
  { id: 'Ascend310', board: 'Atlas 200 DK (Ascend 310)' },
  { id: 'Ascend310P3', board: 'Atlas 300I Pro' },
  { id: 'Ascend310B1', board: 'Atlas 200I DK A2' },
];
export const SOC_VERSION_PATTERN = /^Ascend[0-9A-Za-z]+$/;

export const EXPECTED_LOGITS_FILE = 'data/expected_logits.txt';
export const LABELS_FILE = 'data/labels.txt';
export const ONNX_FILE = 'model/student.onnx';
export const AIPP_FILE = 'model/insert_op.cfg';
/** ATC's --output is given without the .om suffix. */
export const OM_BASENAME = 'model/student';
export const OM_INT8_BASENAME = 'model/student_int8';
export const AMCT_SAVE_PATH = 'results/student';

export interface BundleFacts {
  /** The bundle's top folder, e.g. `cnn-student_atlas200dk`. */
  folder: string;
  modelName: string;
  inputName: string;
  /** [N, C, H, W] of the ONNX input. */
  inputDims: [number, number, number, number];
  classes: number;
  labels: string[];
  socVersion: string;
  aipp: boolean;
  softmaxOutput: boolean;
  opset: number;
  irVersion: number;
  normalization: { mean: number[]; std: number[] };
  sampleFiles: string[];
  calibrationFiles: string[];
}

/** ATC's --input_shape value, e.g. `input:1,1,28,28`. */
export function atcInputShape(facts: BundleFacts): string {
  return `${facts.inputName}:${facts.inputDims.join(',')}`;
}

/** Bytes of one .om input: float32 NCHW, or uint8 NHWC pixels when AIPP normalises on the chip. */
export function sampleBytes(facts: BundleFacts): number {
  const elements = facts.inputDims.reduce((a, b) => a * b, 1);
  return facts.aipp ? elements : elements * 4;
}

/** AIPP's per-channel min and reciprocal variance for x = (pixel / 255 - mean) / std. */
export function aippChannelValues(normalization: { mean: number[]; std: number[] }): { min: number; varReci: number }[] {
  return normalization.mean.map((mean, c) => ({ min: 255 * mean, varReci: 1 / (255 * normalization.std[c]) }));
}

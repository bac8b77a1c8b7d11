import * as tf from '@tensorflow/tfjs';
import { nhwcToNchw } from '../export/layout';
import { onnxProto } from '../export/onnxProto';
import { compareLogits, type OnnxInput, type OnnxRunner } from '../export/verify';
import { buildModel, setLayerWeights } from '../models/builder';
import type { VerificationReport } from '../protocol';
import { decodeModel } from './onnxGraphReader';
import type { ConvertedTeacher } from './onnxToSpec';

/**
 * Proof that a converted teacher is the imported model: onnxruntime runs the ORIGINAL file (its
 * trailing Softmax cut off, so both sides give logits) and the converted tfjs network runs the same
 * real images; the import is accepted only within IMPORT_TOLERANCE and with every predicted class equal.
 */

/** Max |logit difference|: float32 summation order differs between ORT and tfjs, nothing more. */
export const IMPORT_TOLERANCE = 1e-4;
const LOGITS = 'logits';

/** The original model with its output renamed 'logits' (what the ORT runner reads) and a trailing Softmax removed. */
export function logitsModelBytes(bytes: Uint8Array, softmaxDropped: boolean): Uint8Array {
  const model = decodeModel(bytes);
  const graph = model.graph as NonNullable<typeof model.graph>;
  const output = (graph.output ?? [])[0];
  let source = output.name ?? '';
  let nodes = graph.node ?? [];
  if (softmaxDropped) {
    const softmax = nodes.find((node) => node.opType === 'Softmax' && (node.output ?? [])[0] === source);
    source = (softmax?.input ?? [])[0] ?? source;
    nodes = nodes.filter((node) => node !== softmax);
  }
  if (source !== LOGITS) nodes = [...nodes, onnxProto.NodeProto.create({ opType: 'Identity', name: 'import_logits', input: [source], output: [LOGITS] })];
  graph.node = nodes;
  graph.output = [onnxProto.ValueInfoProto.create({ name: LOGITS, type: { tensorType: { elemType: 1 } } })];
  return onnxProto.ModelProto.encode(model).finish();
}

/** tfjs logits of the converted teacher on NHWC images [count, H, W, C]. */
export async function convertedLogits(teacher: ConvertedTeacher, imagesNhwc: Float32Array): Promise<Float32Array> {
  const model = buildModel(teacher.spec, { taps: [], seed: 0 });
  try {
    setLayerWeights(model, teacher.weights);
    const count = imagesNhwc.length / teacher.spec.inputShape.reduce((a, b) => a * b, 1);
    const logits = tf.tidy(() => model.predict(tf.tensor4d(imagesNhwc, [count, ...teacher.spec.inputShape])) as tf.Tensor);
    try {
      return Float32Array.from(await logits.data());
    } finally {
      logits.dispose();
    }
  } finally {
    model.dispose();
  }
}

/** Runs both on the images; a model with a fixed batch of 1 gets them one at a time. */
export async function importParity(
  bytes: Uint8Array, teacher: ConvertedTeacher, imagesNhwc: Float32Array, runOnnx: OnnxRunner, tolerance = IMPORT_TOLERANCE,
): Promise<VerificationReport> {
  const [h, w, c] = teacher.spec.inputShape;
  const perImage = h * w * c;
  const count = imagesNhwc.length / perImage;
  const batch = teacher.summary.inputDims[0] === 1 ? 1 : count;
  const inputs: OnnxInput[] = [];
  for (let start = 0; start < count; start += batch) {
    const slice = imagesNhwc.subarray(start * perImage, (start + batch) * perImage);
    inputs.push(teacher.summary.layout === 'nchw'
      ? { data: nhwcToNchw(slice, batch, h, w, c), dims: [batch, c, h, w] }
      : { data: Float32Array.from(slice), dims: [batch, h, w, c] });
  }
  const actual = await runOnnx(logitsModelBytes(bytes, teacher.summary.softmaxDropped), inputs);
  const expected = await convertedLogits(teacher, imagesNhwc);
  const merged = new Float32Array(expected.length);
  actual.forEach((logits, i) => merged.set(logits, i * batch * teacher.summary.classes));
  return compareLogits([merged], [expected], teacher.summary.classes, tolerance);
}

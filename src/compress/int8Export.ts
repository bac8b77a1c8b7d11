import * as tf from '@tensorflow/tfjs';
import { buildModel, setLayerWeights } from '../models/builder';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { compareLogits, type OnnxInput, type OnnxRunner } from '../export/verify';
import type { VerificationReport } from '../protocol';
import type { ActivationQuant } from './fakeQuant';
import { exportQdqOnnx } from './qdqExport';
import { int8Logits } from './quantForward';

/**
 * The INT8 (QDQ) ONNX of a QAT-trained student, checked with ONNX Runtime against the tfjs
 * fake-quant model on the same images. ONNX Runtime's default optimisations fuse QDQ into integer
 * kernels, whose rounding differs from float fake quantisation by a few hundredths of a logit
 * (5e-2 measured on MNIST), hence the looser tolerance; the predicted classes are the real check.
 */

export const INT8_VERIFY_TOLERANCE = 0.1;

export interface Int8Export { onnx: Uint8Array; report: VerificationReport }

export async function exportAndVerifyInt8(
  spec: ArchitectureSpec, weights: LayerWeights[], activations: Record<string, ActivationQuant>,
  imagesNhwc: Float32Array, count: number, batches: OnnxInput[], batchSize: number, classes: number, runOnnx: OnnxRunner,
): Promise<Int8Export> {
  const params = new Map(Object.entries(activations));
  const onnx = exportQdqOnnx(spec, weights, params, { batchSize });
  const model = buildModel(spec, { taps: [], seed: 0 });
  let expected: Float32Array;
  try {
    setLayerWeights(model, weights);
    const xs = tf.tensor4d(imagesNhwc, [count, ...spec.inputShape]);
    const logits = int8Logits(model, spec, params, xs);
    expected = Float32Array.from(await logits.data());
    tf.dispose([xs, logits]);
  } finally {
    model.dispose();
  }
  const actual = await runOnnx(onnx, batches);
  const merged = new Float32Array(expected.length);
  actual.forEach((logits, i) => merged.set(logits, i * logits.length));
  return { onnx, report: compareLogits([expected], [merged], classes, INT8_VERIFY_TOLERANCE) };
}

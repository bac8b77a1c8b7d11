import * as tf from '@tensorflow/tfjs';
import { splitToTensors } from '../data/batches';
import type { DatasetInfo, ImageSplit } from '../data/types';
import type { ArchitectureSpec } from '../models/spec';
import { evaluateLogitsAccuracy, type EvaluationOptions } from '../train/evaluate';
import { yieldToEventLoop } from '../train/control';
import type { ActivationQuant } from './fakeQuant';
import { activationPoints, int8Logits, quantizedForward } from './quantForward';
import { RangeObserver } from './rangeObserver';

/**
 * Post-training quantisation: the activation ranges come from float inference-mode passes over
 * `images` real training images (running min/max); weights are quantised per channel as they are.
 */

export const CALIBRATION_BATCH_SIZE = 100;

export async function calibrate(
  model: tf.LayersModel, spec: ArchitectureSpec, split: ImageSplit, info: DatasetInfo, images: number,
): Promise<Map<string, ActivationQuant>> {
  const count = Math.min(images, split.count);
  if (!Number.isInteger(images) || count < 1) {
    throw new Error(`Calibration needs at least one image (asked for ${images}, the split has ${split.count}).`);
  }
  const observer = new RangeObserver();
  try {
    for (let start = 0; start < count; start += CALIBRATION_BATCH_SIZE) {
      const batch = splitToTensors(split, info, start, Math.min(CALIBRATION_BATCH_SIZE, count - start));
      tf.tidy(() => {
        quantizedForward(model, spec, batch.xs, { quantizeWeights: false, activations: { kind: 'observe', observer }, training: false });
      });
      tf.dispose([batch.xs, batch.ys]);
      await yieldToEventLoop();
    }
    const params = await observer.freeze();
    const missing = activationPoints(spec).filter((id) => !params.has(id));
    if (missing.length > 0) throw new Error(`Calibration saw no values at ${missing.join(', ')}.`);
    return params;
  } finally {
    observer.dispose();
  }
}

/** Test (or any split's) accuracy of the fake-quantised INT8 model. */
export function evaluateInt8Accuracy(
  model: tf.LayersModel, spec: ArchitectureSpec, params: ReadonlyMap<string, ActivationQuant>,
  split: ImageSplit, info: DatasetInfo, options: EvaluationOptions = {},
): Promise<number> {
  return evaluateLogitsAccuracy((xs) => int8Logits(model, spec, params, xs), split, info, options);
}

/** Bytes of the INT8 model: one byte per kernel weight, float32 biases, batch-norm parameters and per-channel scales. */
export function int8ModelBytes(spec: ArchitectureSpec, model: tf.LayersModel): number {
  let bytes = 0;
  for (const layer of spec.layers) {
    const weights = 'id' in layer ? model.getLayer(layer.id).weights : [];
    weights.forEach((weight, i) => {
      const size = weight.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const isKernel = i === 0 && (layer.kind === 'dense' || layer.kind === 'conv2d' || layer.kind === 'depthwiseConv2d');
      const channels = isKernel ? weight.shape[weight.shape.length - (layer.kind === 'depthwiseConv2d' ? 2 : 1)] ?? 1 : 0;
      bytes += isKernel ? size + channels * 4 : size * 4;
    });
  }
  return bytes;
}

import * as tf from '@tensorflow/tfjs';
import { splitToTensors } from '../data/batches';
import type { DatasetInfo, ImageSplit } from '../data/types';
import { yieldToEventLoop } from './control';
import { outputList } from './step';

/**
 * Accuracy over a split in inference mode (dropout off, batch-norm moving statistics), batch by
 * batch so memory stays flat, and the forward time per sample.
 */

export const EVALUATION_BATCH_SIZE = 500;

export interface EvaluationOptions {
  batchSize?: number;
  /** Evaluate only the first N images of the split (null or absent = all). */
  limit?: number | null;
  /** Checked between batches so a stop request does not wait for a whole split. */
  shouldStop?: () => boolean;
}

/** A model's inference-mode logits (its tapped outputs dropped). */
export function predictLogits(model: tf.LayersModel, xs: tf.Tensor): tf.Tensor {
  const outputs = outputList(model.predict(xs, { batchSize: xs.shape[0] }));
  outputs.slice(1).forEach((tap) => tap.dispose());
  return outputs[0];
}

/**
 * Fraction in [0, 1] of images whose arg-max logit is the label; NaN for an empty split or when a
 * stop request cut the evaluation short (a part of the split is not its accuracy).
 */
export async function evaluateAccuracy(
  model: tf.LayersModel,
  split: ImageSplit,
  info: DatasetInfo,
  options: EvaluationOptions = {},
): Promise<number> {
  return evaluateLogitsAccuracy((xs) => predictLogits(model, xs), split, info, options);
}

/** evaluateAccuracy for any predictor of logits (an ensemble's), run inside a tf.tidy per batch. */
export async function evaluateLogitsAccuracy(
  logitsOf: (xs: tf.Tensor) => tf.Tensor,
  split: ImageSplit,
  info: DatasetInfo,
  options: EvaluationOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? EVALUATION_BATCH_SIZE;
  const count = Math.min(split.count, options.limit ?? split.count);
  if (count <= 0) return Number.NaN;
  // One running sum on the device, read once at the end.
  let correct: tf.Tensor = tf.scalar(0, 'int32');
  let evaluated = 0;
  try {
    for (let start = 0; start < count; start += batchSize) {
      if (options.shouldStop?.()) break;
      const size = Math.min(batchSize, count - start);
      const batch = splitToTensors(split, info, start, size);
      const previous = correct;
      correct = tf.tidy(() => {
        const logits = logitsOf(batch.xs);
        return previous.add(logits.argMax(-1).equal(batch.ys).sum().cast('int32'));
      });
      previous.dispose();
      tf.dispose([batch.xs, batch.ys]);
      evaluated += size;
      await yieldToEventLoop();
    }
    const [value] = await correct.data();
    return evaluated === count ? value / evaluated : Number.NaN;
  } finally {
    correct.dispose();
  }
}

/**
 * Milliseconds of one inference-mode forward pass per sample, timed on `samples` images after a
 * warm-up pass (the first call compiles kernels on GPU backends). Includes reading the logits back.
 */
export async function measureInferenceMs(
  model: tf.LayersModel,
  split: ImageSplit,
  info: DatasetInfo,
  now: () => number,
  samples = 256,
): Promise<number> {
  const count = Math.min(samples, split.count);
  if (count <= 0) return Number.NaN;
  const batch = splitToTensors(split, info, 0, count);
  try {
    const warmUp = tf.tidy(() => predictLogits(model, batch.xs));
    await warmUp.data();
    warmUp.dispose();
    const started = now();
    const logits = tf.tidy(() => predictLogits(model, batch.xs));
    await logits.data();
    const elapsed = now() - started;
    logits.dispose();
    return elapsed / count;
  } finally {
    tf.dispose([batch.xs, batch.ys]);
  }
}

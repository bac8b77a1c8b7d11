import * as tf from '@tensorflow/tfjs';
import { activationQuantParams, type ActivationQuant } from './fakeQuant';

/**
 * The [min, max] range of each activation quantisation point (the image and each layer's output),
 * kept on the device as non-trainable variables so neither calibration nor QAT reads back per step.
 * Calibration keeps the running min and max; QAT an exponential moving average of the batch ranges.
 */
export class RangeObserver {
  private readonly ranges = new Map<string, tf.Variable>();

  /** Folds a batch's range into point `id` and returns the updated [min, max] (a tensor the caller owns). */
  observe(id: string, x: tf.Tensor, rule: { kind: 'minMax' } | { kind: 'ema'; momentum: number }): tf.Tensor {
    return tf.tidy(() => {
      const batch = tf.stack([tf.min(x), tf.max(x)]);
      const previous = this.ranges.get(id);
      if (!previous) {
        this.ranges.set(id, tf.variable(batch, false, undefined, 'float32'));
        return batch.clone();
      }
      const next = rule.kind === 'minMax'
        ? tf.stack([tf.minimum(previous.gather(0), batch.gather(0)), tf.maximum(previous.gather(1), batch.gather(1))])
        : previous.mul(rule.momentum).add(batch.mul(1 - rule.momentum));
      previous.assign(next);
      return next;
    });
  }

  has(id: string): boolean {
    return this.ranges.has(id);
  }

  get size(): number {
    return this.ranges.size;
  }

  /** The fixed INT8 parameters of every observed point (one read of all ranges). */
  async freeze(): Promise<Map<string, ActivationQuant>> {
    const ids = [...this.ranges.keys()];
    if (ids.length === 0) return new Map();
    const stacked = tf.stack(ids.map((id) => this.ranges.get(id) as tf.Variable));
    const values = await stacked.data();
    stacked.dispose();
    return new Map(ids.map((id, i) => [id, activationQuantParams(values[2 * i], values[2 * i + 1])]));
  }

  dispose(): void {
    for (const variable of this.ranges.values()) variable.dispose();
    this.ranges.clear();
  }
}

/**
 * Scale and zero point as tensors from a [min, max] range tensor, the same arithmetic as
 * activationQuantParams (used while QAT's ranges move, before they are frozen to numbers).
 */
export function rangeParams(range: tf.Tensor): { scale: tf.Tensor; zeroPoint: tf.Tensor } {
  return tf.tidy(() => {
    const low = tf.minimum(range.gather(0), 0);
    const high = tf.maximum(range.gather(1), 0);
    const width = high.sub(low);
    const scale = tf.where(tf.greater(width, 0), width.div(255), tf.onesLike(width));
    const zeroPoint = tf.clipByValue(tf.round(tf.scalar(-128).sub(low.div(scale))), -128, 127);
    return { scale, zeroPoint };
  });
}

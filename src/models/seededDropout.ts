import * as tf from '@tensorflow/tfjs';
import { layerSeed } from './seedHash';

/**
 * Dropout whose masks come from a seeded stream, so one seed trains one model: the k-th mask a
 * layer draws uses seed layerSeed(seed, k). tfjs's own dropout either draws unseeded masks (a
 * retrained teacher differs from the cached one) or, given a seed, the same mask at every step.
 *
 * Inference is the identity, as for any dropout, and the layer saves as a plain Keras `Dropout`
 * (same class name and rate), so an exported model loads anywhere without this class.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'Dropout';
  readonly rate: number;
  private readonly seed: number;
  private draws = 0;

  constructor(args: { name: string; rate: number; seed: number }) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`Dropout rate must be in [0, 1), got ${args.rate}.`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || this.rate === 0) return input;
    return tf.dropout(input, this.rate, undefined, layerSeed(this.seed, this.draws++));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}

import * as tf from '@tensorflow/tfjs';

/**
 * tfjs's Dense layer, computed as matMul + bias add instead of one fused matMul.
 *
 * tfjs's fused matMul has a hand-written gradient that computes the gradients of both operands
 * every time. For a network's first dense layer the input is an image, not a variable, so dy W^T
 * is thrown away: in the Hinton student that unused product was a sixth of a training step on
 * wasm. The plain MatMul's gradient is computed per input that needs one, so the tape skips it.
 * Weights, initialisers, config and class name are Dense's, so nothing else can tell the layers
 * apart. A layer without an activation only (the builder's dense layers; relu is a layer of its own).
 */

type DenseArgs = Parameters<typeof tf.layers.dense>[0];

/** tfjs-layers' Dense class: exported by tfjs only through its factory. */
const Dense = Object.getPrototypeOf(tf.layers.dense({ units: 1 })).constructor as new (args: DenseArgs) => tf.layers.Layer;

export class PrunableDense extends Dense {
  constructor(args: DenseArgs) {
    if (args.activation !== undefined && args.activation !== 'linear') {
      throw new Error(`PrunableDense '${args.name}' computes no activation; add it as a layer of its own.`);
    }
    super(args);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    // Weights are [kernel, bias] (or [kernel] without a bias); any other input rank keeps tfjs's path.
    if (input.rank !== 2) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const [kernel, bias] = this.weights.map((weight) => weight.read());
      const product = tf.matMul(input, kernel);
      return bias ? tf.add(product, bias) : product;
    });
  }
}

export function prunableDense(args: DenseArgs): tf.layers.Layer {
  return new PrunableDense(args);
}

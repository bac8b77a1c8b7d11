import * as tf from '@tensorflow/tfjs';

/**
 * tfjs's Conv2D layer, computed as conv2d + bias add instead of one fused conv, for a network's
 * first convolution (the one that reads the image).
 *
 * tfjs's fused conv2d has a hand-written gradient that computes the input gradient every time;
 * for the first layer the input is the image, not a variable, so that gradient is thrown away (in
 * the CNN teacher a [64, 28, 28, 1] input gradient was 2.4 of 26 ms per step on wasm). The plain
 * Conv2D's gradient is computed per input that needs one, so the tape skips it. Other layers keep
 * the fused op, whose input gradient is needed anyway and which GPU backends fuse with the bias.
 * Weights, initialisers, config and class name are Conv2D's. No activation (the builder adds relu
 * as a layer of its own), as PrunableDense.
 */

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];

/** tfjs-layers' Conv2D class: exported by tfjs only through its factory. */
const Conv2D = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as new (args: ConvArgs) => tf.layers.Layer;

export class InputConv2D extends Conv2D {
  private readonly convStrides: number | [number, number];
  private readonly convPadding: 'valid' | 'same';

  constructor(args: ConvArgs) {
    if (args.activation !== undefined && args.activation !== 'linear') {
      throw new Error(`InputConv2D '${args.name}' computes no activation; add it as a layer of its own.`);
    }
    if ((args.dilationRate ?? 1) !== 1 || (args.dataFormat ?? 'channelsLast') !== 'channelsLast' || args.padding === 'causal') {
      throw new Error(`InputConv2D '${args.name}' is for NHWC convolutions without dilation.`);
    }
    super(args);
    const strides = args.strides ?? 1;
    this.convStrides = typeof strides === 'number' ? strides : [strides[0], strides[1] ?? strides[0]];
    this.convPadding = args.padding === 'same' ? 'same' : 'valid';
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      // Weights are [kernel, bias] (or [kernel] without a bias).
      const [kernel, bias] = this.weights.map((weight) => weight.read());
      const output = tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, this.convStrides, this.convPadding);
      return bias ? tf.add(output, bias) : output;
    });
  }
}

export function inputConv2d(args: ConvArgs): tf.layers.Layer {
  return new InputConv2D(args);
}

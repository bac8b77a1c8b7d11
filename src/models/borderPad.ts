import * as tf from '@tensorflow/tfjs';
import type { PadFill } from './spec';

/**
 * The `pad` layer kind: explicit [top, bottom, left, right] borders on an NHWC map, zero or -Infinity
 * (so a following max pool never picks the border). tfjs's ZeroPadding2D has no fill value, and a
 * -Infinity border is what ONNX MaxPool and PyTorch mean by a padded max window. The gradient is
 * tf.pad's own (the slice of the interior).
 */
export class BorderPad extends tf.layers.Layer {
  static readonly className = 'BorderPad';
  readonly pads: readonly [number, number, number, number];
  readonly fill: PadFill;

  constructor(args: { name: string; pads: readonly [number, number, number, number]; fill: PadFill }) {
    super({ name: args.name });
    this.pads = args.pads;
    this.fill = args.fill;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, height, width, channels] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [top, bottom, left, right] = this.pads;
    const grow = (size: number | null, by: number): number | null => (size === null ? null : size + by);
    return [batch, grow(height, top + bottom), grow(width, left + right), channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const [top, bottom, left, right] = this.pads;
    return tf.pad(input, [[0, 0], [top, bottom], [left, right], [0, 0]], this.fill === 'lowest' ? -Infinity : 0);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pads: [...this.pads], fill: this.fill };
  }
}

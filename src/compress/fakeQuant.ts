import * as tf from '@tensorflow/tfjs';

/**
 * INT8 fake quantisation (quantise then dequantise in float) with a straight-through estimator.
 *
 * Choices, made to match ONNX QuantizeLinear/DequantizeLinear (opset 13) and Ascend's AMCT scheme
 * (symmetric INT8 weights, INT8 activations with an offset):
 * - Weights: per output channel, symmetric, zero point 0, scale_c = max|w_c| / 127, integers
 *   clamped to [-127, 127] (the symmetric range; -128 is never used, so +-max map to +-127).
 * - Activations: per tensor, asymmetric INT8 [-128, 127] with a zero point, from a [min, max]
 *   range widened to contain 0 (so 0, e.g. relu's output or padding, is exact).
 * - Rounding: half to even, as ONNX QuantizeLinear (tf.round rounds half to even).
 * - STE: the gradient passes unchanged where x lies inside the representable range
 *   [(qmin - zp) * s, (qmax - zp) * s] and is 0 outside (the "clipped" STE). Scales and zero
 *   points get no gradient: they come from the weights' current maxima and from observed ranges.
 */

export const WEIGHT_QMIN = -127;
export const WEIGHT_QMAX = 127;
export const ACTIVATION_QMIN = -128;
export const ACTIVATION_QMAX = 127;

/** Per-tensor activation quantisation: y = (clamp(round(x / scale) + zeroPoint) - zeroPoint) * scale. */
export interface ActivationQuant { scale: number; zeroPoint: number }

/** Scale and zero point for an observed [min, max] (widened to contain 0). A constant 0 range gets scale 1. */
export function activationQuantParams(min: number, max: number): ActivationQuant {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new Error(`Activation range [${min}, ${max}] is not a finite interval; calibrate on real images first.`);
  }
  const low = Math.min(min, 0);
  const high = Math.max(max, 0);
  const scale = high > low ? Math.fround((high - low) / (ACTIVATION_QMAX - ACTIVATION_QMIN)) : 1;
  const zeroPoint = Math.min(ACTIVATION_QMAX, Math.max(ACTIVATION_QMIN, roundHalfEven(ACTIVATION_QMIN - low / scale)));
  return { scale, zeroPoint };
}

/** Math.round rounds half up; ONNX rounds half to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Fake-quantises x into [qmin, qmax] with the clipped STE. `params` maps x to its (broadcastable)
 * scale and zero point; it runs inside the custom gradient, so no gradient reaches them.
 */
function fakeQuantizeWith(
  x: tf.Tensor, params: (x: tf.Tensor) => { scale: tf.Tensor; zeroPoint: tf.Tensor }, qmin: number, qmax: number,
): tf.Tensor {
  const op = tf.customGrad((input, save) => {
    const value = input as tf.Tensor;
    const { scale, zeroPoint } = params(value);
    const quantised = tf.clipByValue(tf.round(tf.div(value, scale)).add(zeroPoint), qmin, qmax);
    // The representable range in float: gradients pass inside it.
    const low = tf.scalar(qmin).sub(zeroPoint).mul(scale);
    const high = tf.scalar(qmax).sub(zeroPoint).mul(scale);
    (save as tf.GradSaveFunc)([value, low, high]);
    return {
      value: quantised.sub(zeroPoint).mul(scale),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [kept, lo, hi] = saved;
        return tf.where(tf.logicalAnd(tf.greaterEqual(kept, lo), tf.lessEqual(kept, hi)), dy, tf.zerosLike(dy));
      },
    };
  }) as (x: tf.Tensor) => tf.Tensor;
  return op(x);
}

/** Fake-quantises x with the given (broadcastable) scale and zero point tensors into [qmin, qmax]. */
export function fakeQuantize(x: tf.Tensor, scale: tf.Tensor, zeroPoint: tf.Tensor, qmin: number, qmax: number): tf.Tensor {
  return fakeQuantizeWith(x, () => ({ scale, zeroPoint }), qmin, qmax);
}

/** Per-tensor activation fake quantisation with fixed parameters. */
export function fakeQuantizeActivation(x: tf.Tensor, params: ActivationQuant): tf.Tensor {
  return tf.tidy(() => fakeQuantize(x, tf.scalar(params.scale), tf.scalar(params.zeroPoint), ACTIVATION_QMIN, ACTIVATION_QMAX));
}

/**
 * Per-channel symmetric scales of a kernel: max|w| over every axis but `channelAxis`, / 127.
 * An all-zero channel gets scale 1 (its weights stay 0). Returned with size 1 on the other axes,
 * so it broadcasts against the kernel.
 */
export function weightScales(kernel: tf.Tensor, channelAxis: number): tf.Tensor {
  return tf.tidy(() => {
    const axes = kernel.shape.map((_, axis) => axis).filter((axis) => axis !== channelAxis);
    const maxAbs = tf.max(tf.abs(kernel), axes, true);
    return tf.where(tf.greater(maxAbs, 0), maxAbs.div(WEIGHT_QMAX), tf.onesLike(maxAbs));
  });
}

/** Per-channel symmetric weight fake quantisation (STE: every weight is inside the range, so the gradient passes unchanged). */
export function fakeQuantizeWeight(kernel: tf.Tensor, channelAxis: number): tf.Tensor {
  return tf.tidy(() => fakeQuantizeWith(kernel, (value) => {
    const scale = weightScales(value, channelAxis);
    return { scale, zeroPoint: tf.zerosLike(scale) };
  }, WEIGHT_QMIN, WEIGHT_QMAX));
}

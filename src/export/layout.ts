/**
 * Layout conversion between tfjs (NHWC, HWIO kernels) and ONNX (NCHW, OIHW kernels), padding
 * arithmetic, and batch-norm folding. Plain Float32Array maths, so it is testable by hand.
 */

import type { Padding } from '../models/spec';

/** Conv kernel [kh, kw, in, out] (tfjs HWIO) -> [out, in, kh, kw] (ONNX OIHW): transpose [3, 2, 0, 1]. */
export function hwioToOihw(values: Float32Array, shape: readonly number[]): Float32Array {
  const [kh, kw, cin, cout] = shape;
  const result = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          result[((o * cin + i) * kh + y) * kw + x] = values[((y * kw + x) * cin + i) * cout + o];
        }
      }
    }
  }
  return result;
}

/** Image batch [n, h, w, c] -> [n, c, h, w]. */
export function nhwcToNchw(values: ArrayLike<number>, n: number, h: number, w: number, c: number): Float32Array {
  const result = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          result[((b * c + ch) * h + y) * w + x] = values[((b * h + y) * w + x) * c + ch];
        }
      }
    }
  }
  return result;
}

/**
 * ONNX Flatten of an NCHW map lists features as (c, y, x); tfjs flattens NHWC as (y, x, c).
 * Entry i is the tfjs index of ONNX feature i, so the following dense kernel's rows can be
 * reordered (the doc's W.reshape([H, W, C, U]).transpose([2, 0, 1, 3])).
 */
export function nchwFlattenOrder(h: number, w: number, c: number): Int32Array {
  const order = new Int32Array(h * w * c);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) order[(ch * h + y) * w + x] = (y * w + x) * c + ch;
    }
  }
  return order;
}

/** Row i of the result is row order[i] of the [rows, cols] row-major matrix. */
export function permuteRows(values: Float32Array, cols: number, order: Int32Array): Float32Array {
  const result = new Float32Array(values.length);
  for (let i = 0; i < order.length; i++) {
    result.set(values.subarray(order[i] * cols, (order[i] + 1) * cols), i * cols);
  }
  return result;
}

export interface AxisPadding { outputSize: number; before: number; after: number }

/**
 * Explicit padding along one axis that reproduces tfjs: 'same' gives ceil(in / stride) outputs
 * and puts the odd pixel of padding after (bottom/right), as TensorFlow does; 'valid' pads nothing.
 */
export function axisPadding(inputSize: number, window: number, stride: number, padding: Padding): AxisPadding {
  if (padding === 'valid') {
    return { outputSize: Math.floor((inputSize - window) / stride) + 1, before: 0, after: 0 };
  }
  const outputSize = Math.ceil(inputSize / stride);
  const total = Math.max((outputSize - 1) * stride + window - inputSize, 0);
  const before = Math.floor(total / 2);
  return { outputSize, before, after: total - before };
}

/** ONNX `pads` for a square window on an [h, w] map: [top, left, bottom, right]. */
export function onnxPads(h: number, w: number, window: number, stride: number, padding: Padding): number[] {
  const vertical = axisPadding(h, window, stride, padding);
  const horizontal = axisPadding(w, window, stride, padding);
  return [vertical.before, horizontal.before, vertical.after, horizontal.after];
}

/** A per-feature affine map y = scale * x + shift. */
export interface Affine { scale: Float32Array; shift: Float32Array }

/** Inference-mode batch norm as an affine map: scale = gamma / sqrt(var + eps), shift = beta - mean * scale. */
export function batchNormAffine(
  gamma: Float32Array, beta: Float32Array, mean: Float32Array, variance: Float32Array, epsilon: number,
): Affine {
  const scale = new Float32Array(gamma.length);
  const shift = new Float32Array(gamma.length);
  for (let i = 0; i < gamma.length; i++) {
    // Double precision before rounding, so folding adds no error beyond float32 rounding.
    const s = gamma[i] / Math.sqrt(variance[i] + epsilon);
    scale[i] = s;
    shift[i] = beta[i] - mean[i] * s;
  }
  return { scale, shift };
}

/** Dense kernel [inputs, units] and bias followed by `affine` on its outputs: fold it in place. */
export function foldAffineAfterDense(kernel: Float32Array, bias: Float32Array, affine: Affine): void {
  const units = bias.length;
  for (let row = 0; row < kernel.length / units; row++) {
    for (let u = 0; u < units; u++) kernel[row * units + u] *= affine.scale[u];
  }
  for (let u = 0; u < units; u++) bias[u] = bias[u] * affine.scale[u] + affine.shift[u];
}

/** `affine` on a dense layer's inputs: W'[i, :] = scale[i] W[i, :], b' = b + sum_i shift[i] W[i, :]. */
export function foldAffineBeforeDense(kernel: Float32Array, bias: Float32Array, affine: Affine): void {
  const units = bias.length;
  const shifted = new Float64Array(bias);
  for (let row = 0; row < affine.scale.length; row++) {
    for (let u = 0; u < units; u++) {
      shifted[u] += affine.shift[row] * kernel[row * units + u];
      kernel[row * units + u] *= affine.scale[row];
    }
  }
  bias.set(shifted);
}

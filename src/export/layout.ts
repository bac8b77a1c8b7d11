/**
 * Layout conversion between tfjs (NHWC, HWIO kernels) and ONNX (NCHW, OIHW kernels), padding
 * arithmetic, and batch-norm folding. Plain Float32Array maths, so it is testable by hand.
 */

import type { Padding } from '../models/spec';

/** A row-major 4-D tensor of `shape` with its axes reordered: output axis a is input axis perm[a]. */
export function permute4d(values: ArrayLike<number>, shape: readonly number[], perm: readonly [number, number, number, number]): Float32Array {
  const inputStrides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const [d0, d1, d2, d3] = perm.map((axis) => shape[axis]);
  const [s0, s1, s2, s3] = perm.map((axis) => inputStrides[axis]);
  const result = new Float32Array(values.length);
  let out = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        for (let d = 0; d < d3; d++) result[out++] = values[a * s0 + b * s1 + c * s2 + d * s3];
      }
    }
  }
  return result;
}

/** tfjs conv kernel [kh, kw, in, out] (HWIO) -> ONNX [out, in, kh, kw] (OIHW). */
export const hwioToOihw = (values: Float32Array, shape: readonly number[]): Float32Array => permute4d(values, shape, [3, 2, 0, 1]);

/** ONNX conv kernel [out, in, kh, kw] (OIHW) -> tfjs [kh, kw, in, out] (HWIO): the import's way back. */
export const oihwToHwio = (values: Float32Array, dims: readonly number[]): Float32Array => permute4d(values, dims, [2, 3, 1, 0]);

/** Image batch [n, h, w, c] -> [n, c, h, w]. */
export const nhwcToNchw = (values: ArrayLike<number>, n: number, h: number, w: number, c: number): Float32Array =>
  permute4d(values, [n, h, w, c], [0, 3, 1, 2]);

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

import { describe, expect, it } from 'vitest';
import {
  axisPadding, batchNormAffine, foldAffineAfterDense, foldAffineBeforeDense, hwioToOihw, nchwFlattenOrder, nhwcToNchw,
  oihwToHwio, onnxPads, permute4d, permuteRows,
} from './layout';

describe('layout conversion', () => {
  it('transposes conv kernels HWIO -> OIHW', () => {
    // [kh=1, kw=2, in=2, out=3], value = 100*y + 10*x... encoded as index for a hand check.
    const hwio = Float32Array.from({ length: 12 }, (_, i) => i);
    const oihw = hwioToOihw(hwio, [1, 2, 2, 3]);
    // OIHW[o][i][0][x] = HWIO[0][x][i][o] = ((x * 2 + i) * 3 + o)
    expect(Array.from(oihw)).toEqual([
      0, 6, 3, 9, // o = 0: (i0: x0, x1), (i1: x0, x1)
      1, 7, 4, 10,
      2, 8, 5, 11,
    ]);
  });

  it('transposes ONNX kernels OIHW -> HWIO, the inverse, for the import', () => {
    const hwio = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i * 0.5 - 7);
    expect(oihwToHwio(hwioToOihw(hwio, [2, 3, 4, 5]), [5, 4, 2, 3])).toEqual(hwio);
    // OIHW [o=2, i=1, kh=1, kw=2] = [[a, b]], [[c, d]] -> HWIO [0][x][0][o]: a, c, b, d.
    expect(Array.from(oihwToHwio(Float32Array.of(1, 2, 3, 4), [2, 1, 1, 2]))).toEqual([1, 3, 2, 4]);
  });

  it('permutes any 4-D tensor: output axis a is input axis perm[a]', () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => i); // shape [2, 3, 2, 2]
    const permuted = permute4d(values, [2, 3, 2, 2], [1, 0, 3, 2]); // -> [3, 2, 2, 2]
    // out[b][a][d][c] = in[a][b][c][d] = a*12 + b*4 + c*2 + d
    expect(permuted[((1 * 2 + 0) * 2 + 1) * 2 + 0]).toBe(0 * 12 + 1 * 4 + 0 * 2 + 1);
    expect(permuted[((2 * 2 + 1) * 2 + 0) * 2 + 1]).toBe(1 * 12 + 2 * 4 + 1 * 2 + 0);
  });

  it('converts image batches NHWC -> NCHW', () => {
    // one 2x2 image with 2 channels: pixel p has channels (p, 10 + p)
    const nhwc = [0, 10, 1, 11, 2, 12, 3, 13];
    expect(Array.from(nhwcToNchw(nhwc, 1, 2, 2, 2))).toEqual([0, 1, 2, 3, 10, 11, 12, 13]);
  });

  it('maps ONNX flatten order (c, y, x) to tfjs order (y, x, c)', () => {
    expect(Array.from(nchwFlattenOrder(2, 2, 2))).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    // A single channel flattens the same way in both layouts.
    expect(Array.from(nchwFlattenOrder(2, 3, 1))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('permutes dense kernel rows', () => {
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]); // rows [1,2], [3,4], [5,6]
    expect(Array.from(permuteRows(kernel, 2, Int32Array.from([2, 0, 1])))).toEqual([5, 6, 1, 2, 3, 4]);
  });

  it('computes tfjs "same" padding, asymmetric when the total is odd', () => {
    expect(axisPadding(28, 3, 1, 'same')).toEqual({ outputSize: 28, before: 1, after: 1 });
    expect(axisPadding(28, 2, 2, 'same')).toEqual({ outputSize: 14, before: 0, after: 0 });
    expect(axisPadding(7, 2, 2, 'same')).toEqual({ outputSize: 4, before: 0, after: 1 });
    expect(axisPadding(5, 4, 1, 'same')).toEqual({ outputSize: 5, before: 1, after: 2 });
    expect(axisPadding(7, 2, 2, 'valid')).toEqual({ outputSize: 3, before: 0, after: 0 });
    expect(onnxPads(7, 6, 2, 2, 'same')).toEqual([0, 0, 1, 0]);
  });

  it('turns batch norm into scale and shift with its own epsilon', () => {
    const { scale, shift } = batchNormAffine(
      Float32Array.of(2, 1), Float32Array.of(1, 0), Float32Array.of(3, -1), Float32Array.of(3.999, 0.249), 1e-3,
    );
    expect(scale[0]).toBeCloseTo(1, 6); // 2 / sqrt(4)
    expect(scale[1]).toBeCloseTo(2, 6); // 1 / sqrt(0.25)
    expect(shift[0]).toBeCloseTo(-2, 6); // 1 - 3 * 1
    expect(shift[1]).toBeCloseTo(2, 6); // 0 + 1 * 2
  });

  it('folds an affine map after and before a dense layer', () => {
    const affine = { scale: Float32Array.of(2, 3), shift: Float32Array.of(1, -1) };
    // kernel [2 inputs, 2 units]: x = (1, 1) gives W^T x + b = (1 + 3, 2 + 4) + (10, 20) = (14, 26).
    const after = { kernel: Float32Array.of(1, 2, 3, 4), bias: Float32Array.of(10, 20) };
    foldAffineAfterDense(after.kernel, after.bias, affine);
    // (2 * 14 + 1, 3 * 26 - 1) = (29, 77) for x = (1, 1)
    expect(after.kernel[0] + after.kernel[2] + after.bias[0]).toBeCloseTo(29, 5);
    expect(after.kernel[1] + after.kernel[3] + after.bias[1]).toBeCloseTo(77, 5);

    const before = { kernel: Float32Array.of(1, 2, 3, 4), bias: Float32Array.of(10, 20) };
    foldAffineBeforeDense(before.kernel, before.bias, affine);
    // x = (1, 1) -> affine (3, 2) -> W^T (3, 2) + b = (3 + 6, 6 + 8) + (10, 20) = (19, 34)
    expect(before.kernel[0] + before.kernel[2] + before.bias[0]).toBeCloseTo(19, 5);
    expect(before.kernel[1] + before.kernel[3] + before.bias[1]).toBeCloseTo(34, 5);
  });
});

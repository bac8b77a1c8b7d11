import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installFastWasmMatMul, uninstallFastWasmMatMul } from './wasm-matmul';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  uninstallFastWasmMatMul();
  await tf.setBackend('cpu');
});

/** Deterministic, non-symmetric values so a wrong transpose cannot go unnoticed. */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => ((((i + salt) * 2654435761) % 1000) / 500) - 1), shape);
}

const cases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
  { a: [5, 3], b: [5, 4], transposeA: true, transposeB: false },
  { a: [3, 5], b: [4, 5], transposeA: false, transposeB: true },
  { a: [5, 3], b: [4, 5], transposeA: true, transposeB: true },
  { a: [2, 6, 3], b: [2, 6, 4], transposeA: true, transposeB: false },
  { a: [2, 3, 6], b: [1, 4, 6], transposeA: false, transposeB: true },
  { a: [3, 5], b: [5, 4], transposeA: false, transposeB: false },
  // Only b transposed and bigger than a (a dense layer's input gradient): computed as (b a^T)^T.
  { a: [8, 30], b: [50, 30], transposeA: false, transposeB: true },
  { a: [1, 8, 30], b: [1, 50, 30], transposeA: false, transposeB: true },
  // Only b transposed, but a has more rows: the plain path.
  { a: [6, 5], b: [4, 5], transposeA: false, transposeB: true },
];

describe('wasm BatchMatMul with transposes through XNNPACK', () => {
  it('gives the same products as tfjs for every transpose combination, batched and broadcast', () => {
    for (const { a: aShape, b: bShape, transposeA, transposeB } of cases) {
      const a = pattern(aShape, 1);
      const b = pattern(bShape, 7);
      uninstallFastWasmMatMul();
      const expected = tf.tidy(() => tf.matMul(a, b, transposeA, transposeB));
      expect(installFastWasmMatMul()).toBe(true);
      const actual = tf.tidy(() => tf.matMul(a, b, transposeA, transposeB));
      expect(actual.shape).toEqual(expected.shape);
      const want = expected.dataSync();
      actual.dataSync().forEach((value, i) => expect(value).toBeCloseTo(want[i], 4));
      tf.dispose([a, b, expected, actual]);
    }
  });

  it.each([
    { batch: 4, inputs: 3, units: 2 },
    // Fewer rows than inputs: dy W^T goes through the swapped product.
    { batch: 2, inputs: 6, units: 5 },
  ])('gives a dense layer of $batch x $inputs -> $units the gradients of the definition and leaks no tensor or buffer', ({ batch, inputs, units }) => {
    installFastWasmMatMul();
    const x = pattern([batch, inputs], 2);
    const w = pattern([inputs, units], 5);
    const dy = pattern([batch, units], 9);
    const before = tf.memory();
    const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xs, ws), dy)))([x, w]);
    // d/dx sum((xW) * dy) = dy W^T and d/dW = x^T dy, computed by hand from the values.
    const [xv, wv, dyv] = [x, w, dy].map((t) => t.arraySync() as number[][]);
    const dxExpected = xv.map((_, i) => wv.map((row) => row.reduce((sum, wk, k) => sum + dyv[i][k] * wk, 0)));
    const dwExpected = wv.map((row, r) => row.map((_, c) => xv.reduce((sum, xi, i) => sum + xi[r] * dyv[i][c], 0)));
    (dx.arraySync() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(dxExpected[i][j], 4)));
    (dw.arraySync() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(dwExpected[i][j], 4)));
    tf.dispose([dx, dw]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(tf.engine().backend.numDataIds()).toBe(before.numDataBuffers);
    tf.dispose([x, w, dy]);
  });
});

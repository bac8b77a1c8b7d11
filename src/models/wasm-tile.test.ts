import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installFastWasmTile, tileValues, uninstallFastWasmTile } from './wasm-tile';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  uninstallFastWasmTile();
  await tf.setBackend('cpu');
});

describe('tileValues', () => {
  it('tiles by hand-checked examples: innermost, outermost and both axes', () => {
    expect([...tileValues(Float32Array.from([1, 2]), [2], [3])]).toEqual([1, 2, 1, 2, 1, 2]);
    expect([...tileValues(Int32Array.from([1, 2, 3, 4]), [2, 2], [2, 1])]).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect([...tileValues(Int32Array.from([1, 2, 3, 4]), [2, 2], [1, 2])]).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    expect([...tileValues(Uint8Array.from([7, 9]), [1, 2], [2, 2])]).toEqual([7, 9, 7, 9, 7, 9, 7, 9]);
  });
});

describe('wasm Tile by block copies', () => {
  const cases: { shape: number[]; reps: number[]; dtype: 'float32' | 'int32' | 'bool' }[] = [
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1], dtype: 'float32' },
    { shape: [2, 3], reps: [3, 5], dtype: 'float32' },
    { shape: [2, 1, 3], reps: [1, 7, 2], dtype: 'int32' },
    { shape: [3, 2], reps: [2, 3], dtype: 'bool' },
    { shape: [4], reps: [1], dtype: 'float32' },
  ];

  it('matches tfjs for broadcast-like and general repeats on float32, int32 and bool', () => {
    for (const { shape, reps, dtype } of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = dtype === 'bool'
        ? Array.from({ length: size }, (_, i) => i % 3 === 0)
        : Array.from({ length: size }, (_, i) => i * 1.5 - 2);
      const x = tf.tensor(values, shape, dtype);
      uninstallFastWasmTile();
      const expected = tf.tile(x, reps);
      expect(installFastWasmTile()).toBe(true);
      const actual = tf.tile(x, reps);
      expect(actual.shape).toEqual(expected.shape);
      expect(actual.dtype).toBe(dtype);
      expect([...actual.dataSync()]).toEqual([...expected.dataSync()]);
      tf.dispose([x, expected, actual]);
    }
  });

  it('gives batch norm the same input gradient as tfjs and leaks nothing', () => {
    const x = tf.tensor4d(Array.from({ length: 2 * 3 * 3 * 4 }, (_, i) => Math.sin(i)), [2, 3, 3, 4]);
    const mean = tf.tensor1d([0.1, -0.2, 0.3, 0]);
    const variance = tf.tensor1d([1, 0.5, 2, 0.25]);
    const offset = tf.tensor1d([0, 0.5, -0.5, 1]);
    const scale = tf.tensor1d([1, 2, 0.5, 1.5]);
    const gradient = (): Float32Array => tf.tidy(() => tf.grad((input: tf.Tensor) =>
      tf.sum(tf.square(tf.batchNorm(input as tf.Tensor4D, mean, variance, offset, scale, 1e-3))))(x).dataSync() as Float32Array);
    uninstallFastWasmTile();
    const expected = gradient();
    installFastWasmTile();
    const before = tf.memory();
    const actual = gradient();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.engine().backend.numDataIds()).toBe(before.numDataBuffers);
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
    tf.dispose([x, mean, variance, offset, scale]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { gatherValues, installFastWasmGather, uninstallFastWasmGather } from './wasm-gather';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  uninstallFastWasmGather();
  await tf.setBackend('cpu');
});

describe('gatherValues', () => {
  it('gathers by hand-checked examples along the first and the last axis, repeats allowed', () => {
    // [[1, 2], [3, 4], [5, 6]]: rows 2, 0, 2; columns 1, 1.
    const values = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect([...gatherValues(values, [3, 2], 0, [2, 0, 2])]).toEqual([5, 6, 1, 2, 5, 6]);
    expect([...gatherValues(values, [3, 2], 1, [1, 1])]).toEqual([2, 2, 4, 4, 6, 6]);
    expect(() => gatherValues(values, [3, 2], 0, [3])).toThrow('index 3 is not in [0, 2]');
  });
});

describe('wasm GatherV2 by block copies', () => {
  const cases: { shape: number[]; indexShape: number[]; axis: number; dtype: 'float32' | 'int32' }[] = [
    { shape: [50, 8], indexShape: [4, 6], axis: 0, dtype: 'float32' },
    { shape: [3, 7, 5], indexShape: [9], axis: 1, dtype: 'float32' },
    { shape: [4, 6], indexShape: [2, 3], axis: -1, dtype: 'int32' },
    { shape: [20], indexShape: [20], axis: 0, dtype: 'int32' },
  ];

  it('matches tfjs on float32 and int32, any axis, nested index shapes', () => {
    for (const { shape, indexShape, axis, dtype } of cases) {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Array.from({ length: size }, (_, i) => i * 0.5 - 3), shape, dtype);
      const along = shape[axis < 0 ? axis + shape.length : axis];
      const count = indexShape.reduce((a, b) => a * b, 1);
      const indices = tf.tensor(Array.from({ length: count }, (_, i) => (i * 7 + 3) % along), indexShape, 'int32');
      uninstallFastWasmGather();
      const expected = tf.gather(x, indices, axis);
      installFastWasmGather();
      const actual = tf.gather(x, indices, axis);
      expect(actual.shape).toEqual(expected.shape);
      expect(actual.dtype).toBe(expected.dtype);
      expect([...actual.dataSync()]).toEqual([...expected.dataSync()]);
      tf.dispose([x, indices, expected, actual]);
    }
  });
});

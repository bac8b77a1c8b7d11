import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmTranspose, swapsLastTwo, uninstallWasmTranspose, wasmTransposeAvailable } from './wasm-transpose';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  uninstallWasmTranspose();
  await tf.setBackend('cpu');
});

/** Distinct values, so any value in the wrong place shows. */
function distinct(shape: number[], dtype: 'float32' | 'int32'): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: size }, (_, i) => (dtype === 'int32' ? i * 7 - 3 : i * 0.37 - 1.5)), shape, dtype);
}

/** tfjs's own Transpose and the studio's, on the same input: [tfjs, studio]. */
function bothTransposes(x: tf.Tensor, perm: number[]): [tf.Tensor, tf.Tensor] {
  uninstallWasmTranspose();
  const reference = tf.transpose(x, perm);
  installWasmTranspose();
  return [reference, tf.transpose(x, perm)];
}

describe('Transpose of the last two axes on wasm', () => {
  it('recognises a swap of the last two axes and only that', () => {
    expect(swapsLastTwo([1, 0])).toBe(true);
    expect(swapsLastTwo([0, 1, 3, 2])).toBe(true);
    expect(swapsLastTwo([0, 1])).toBe(false);
    expect(swapsLastTwo([1, 0, 2])).toBe(false);
    expect(swapsLastTwo([2, 1, 0])).toBe(false);
    expect(swapsLastTwo([0])).toBe(false);
  });

  it('transposes a 2 x 3 matrix by hand, in the studio\'s module', () => {
    expect(installWasmTranspose()).toBe(true);
    expect(wasmTransposeAvailable()).toBe(true);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const y = tf.transpose(x);
    expect(y.shape).toEqual([3, 2]);
    expect(Array.from(y.dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    tf.dispose([x, y]);
  });

  it.each([
    [[64, 800]], [[800, 64]], [[64, 784]], [[64, 10]], [[10, 64]], [[4, 4]], [[5, 7]], [[7, 5]], [[3, 2]], [[2, 9]], [[13, 6]], [[37, 21]], [[20, 5]],
    [[3, 5, 6]], [[2, 3, 9, 4]], [[4, 1, 6]],
  ])('gives tfjs\'s own result to the bit for %j, float32 and int32', (shape) => {
    const perm = [...shape.keys()];
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
    for (const dtype of ['float32', 'int32'] as const) {
      const x = distinct(shape, dtype);
      const [reference, studio] = bothTransposes(x, perm);
      expect(studio.shape).toEqual(reference.shape);
      expect(studio.dtype).toBe(dtype);
      expect(Buffer.from(studio.dataSync().buffer).equals(Buffer.from(reference.dataSync().buffer))).toBe(true);
      tf.dispose([x, reference, studio]);
    }
  });

  it('leaves other permutations, size-1 axes and other dtypes to tfjs, with its results', () => {
    const cases: [tf.Tensor, number[]][] = [
      [distinct([2, 3, 4], 'float32'), [2, 0, 1]],
      [distinct([1, 6], 'float32'), [1, 0]],
      [distinct([6, 1], 'float32'), [1, 0]],
      [tf.tensor2d([[true, false, true], [false, false, true]], undefined, 'bool'), [1, 0]],
      [distinct([0, 3], 'float32'), [1, 0]],
    ];
    for (const [x, perm] of cases) {
      const [reference, studio] = bothTransposes(x, perm);
      expect(studio.shape).toEqual(reference.shape);
      expect(Array.from(studio.dataSync())).toEqual(Array.from(reference.dataSync()));
      tf.dispose([x, reference, studio]);
    }
  });

  it('leaks no tensor or buffer, also through a gradient', () => {
    installWasmTranspose();
    const x = distinct([64, 30], 'float32');
    const c = distinct([30, 64], 'float32');
    const before = tf.memory();
    // The gradient of a transpose is the transpose back: d/dx sum(x^T * c) = c^T.
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.transpose(a), c)))(x);
    const expected = tf.transpose(c);
    expect(Array.from(dx.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([dx, expected]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.engine().backend.numDataIds()).toBe(before.numDataBuffers);
    tf.dispose([x, c]);
  });
});

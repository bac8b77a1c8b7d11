import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmBiasKernels, isAllButLast, isBiasOf, uninstallWasmBiasKernels } from './wasm-bias';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  uninstallWasmBiasKernels();
  await tf.setBackend('cpu');
});

/** Values with mixed signs and magnitudes, so the order of the additions shows in the bits. */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => (((((i + salt) * 2654435761) % 2001) - 1000) / 7) * (i % 3 === 0 ? 1e-3 : 1)), shape);
}

/** tfjs's own Sum and the studio's, on the same input: [tfjs, studio]. */
function bothSums(x: tf.Tensor, axis: number | number[], keepDims: boolean): [tf.Tensor, tf.Tensor] {
  uninstallWasmBiasKernels();
  const reference = tf.sum(x, axis, keepDims);
  installWasmBiasKernels();
  return [reference, tf.sum(x, axis, keepDims)];
}

describe('bias gradient: Sum over every axis but the last on wasm', () => {
  it('recognises all-but-last axes in ascending order and only those', () => {
    expect(isAllButLast([0], 2)).toBe(true);
    expect(isAllButLast([0, 1, 2], 4)).toBe(true);
    expect(isAllButLast([2, 0, 1], 4)).toBe(false); // tfjs adds up in this order: left to tfjs
    expect(isAllButLast([0, 1], 4)).toBe(false);
    expect(isAllButLast([1], 2)).toBe(false);
    expect(isAllButLast([0], 1)).toBe(false);
  });

  it('adds up columns by hand', () => {
    installWasmBiasKernels();
    const x = tf.tensor2d([[1, 2, 3, 4, 5], [10, 20, 30, 40, 50], [-1, -2, -3, -4, -5]]);
    expect(Array.from(tf.sum(x, 0).dataSync())).toEqual([10, 20, 30, 40, 50]);
    expect(tf.sum(x, 0, true).shape).toEqual([1, 5]);
    x.dispose();
  });

  it.each([
    { shape: [64, 800], axis: 0 }, { shape: [64, 10], axis: [0] }, { shape: [7, 6], axis: -2 }, { shape: [3, 1], axis: 0 },
    { shape: [64, 28, 28, 8], axis: [0, 1, 2] }, { shape: [64, 14, 14, 4], axis: [0, 1, 2] }, { shape: [2, 3, 5], axis: [0, 1] },
    // 9 whole vectors (a block of 8 and one of 1) and a column left over.
    { shape: [5, 7, 37], axis: [0, 1] },
  ])('gives tfjs\'s own Sum to the bit for $shape over $axis, with and without keepDims', ({ shape, axis }) => {
    const x = pattern(shape, shape.length);
    for (const keepDims of [false, true]) {
      const [reference, studio] = bothSums(x, axis, keepDims);
      expect(studio.shape).toEqual(reference.shape);
      expect(Buffer.from(studio.dataSync().buffer).equals(Buffer.from(reference.dataSync().buffer))).toBe(true);
      tf.dispose([reference, studio]);
    }
    x.dispose();
  });

  it('leaves every other Sum to tfjs (other axes, all axes, axes out of order, int32) with the same results', () => {
    const x = pattern([4, 6, 8], 3);
    const ints = tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32');
    for (const [input, axis] of [[x, 1], [x, [1, 2]], [x, [0, 1, 2]], [x, [1, 0]], [ints, 0]] as const) {
      const [reference, studio] = bothSums(input, axis as number | number[], false);
      expect(Array.from(studio.dataSync())).toEqual(Array.from(reference.dataSync()));
      expect(studio.dtype).toBe(reference.dtype);
      tf.dispose([reference, studio]);
    }
    tf.dispose([x, ints]);
  });

  it('gives the bias gradient tfjs computes, without leaking tensors', () => {
    installWasmBiasKernels();
    const x = pattern([16, 5, 5, 8], 1);
    const bias = tf.variable(tf.zeros([8]));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.add(x, bias), x)), [bias]);
    const studio = Array.from(grads[bias.name].dataSync());
    tf.dispose([value, grads[bias.name]]);
    expect(tf.memory().numTensors).toBe(before);
    uninstallWasmBiasKernels();
    const reference = tf.tidy(() => tf.sum(x, [0, 1, 2]));
    expect(studio).toEqual(Array.from(reference.dataSync()));
    tf.dispose([x, bias, reference]);
  });
});

describe('bias add on wasm', () => {
  it('recognises a bias of the last axis and nothing else', () => {
    expect(isBiasOf([64, 800], [800])).toBe(true);
    expect(isBiasOf([64, 28, 28, 4], [1, 1, 1, 4])).toBe(true);
    expect(isBiasOf([64, 28, 28, 4], [28, 4])).toBe(false);
    expect(isBiasOf([64, 800], [64, 800])).toBe(false);
    expect(isBiasOf([800], [800])).toBe(false);
  });

  it('adds a bias by hand', () => {
    installWasmBiasKernels();
    const sum = tf.tidy(() => tf.add(tf.tensor2d([[1, 2, 3, 4, 5], [10, 20, 30, 40, 50]]), tf.tensor1d([0.5, -1, 0, 2, 100])));
    expect(Array.from(sum.dataSync())).toEqual([1.5, 1, 3, 6, 105, 10.5, 19, 30, 42, 150]);
    sum.dispose();
  });

  it.each([
    { x: [64, 800], bias: [800] }, { x: [64, 28, 28, 4], bias: [4] }, { x: [64, 14, 14, 8], bias: [1, 1, 1, 8] }, { x: [7, 6], bias: [6] }, { x: [3, 5, 1], bias: [1] },
  ])('gives tfjs\'s own Add to the bit for $x + $bias and $bias + $x', ({ x: xShape, bias: biasShape }) => {
    const x = pattern(xShape, 5);
    const bias = pattern(biasShape, 9);
    for (const [a, b] of [[x, bias], [bias, x]]) {
      uninstallWasmBiasKernels();
      const reference = tf.add(a, b);
      installWasmBiasKernels();
      const studio = tf.add(a, b);
      expect(studio.shape).toEqual(reference.shape);
      expect(Buffer.from(studio.dataSync().buffer).equals(Buffer.from(reference.dataSync().buffer))).toBe(true);
      tf.dispose([reference, studio]);
    }
    tf.dispose([x, bias]);
  });

  it('leaves other Adds to tfjs (same shapes, other broadcasts, int32) with the same results', () => {
    const x = pattern([4, 6], 1);
    const ints = tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32');
    for (const [a, b] of [[x, pattern([4, 6], 2)], [x, pattern([4, 1], 3)], [x, tf.scalar(2)], [ints, tf.tensor1d([5, 6], 'int32')]] as const) {
      uninstallWasmBiasKernels();
      const reference = tf.add(a, b);
      installWasmBiasKernels();
      const studio = tf.add(a, b);
      expect(Array.from(studio.dataSync())).toEqual(Array.from(reference.dataSync()));
      expect(studio.dtype).toBe(reference.dtype);
      tf.dispose([reference, studio, b]);
    }
    tf.dispose([x, ints]);
  });
});

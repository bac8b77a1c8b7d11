import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installSharingWasmIdentity, uninstallSharingWasmIdentity } from './wasm-identity';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  expect(installSharingWasmIdentity()).toBe(true);
});

afterAll(async () => {
  uninstallSharingWasmIdentity();
  await tf.setBackend('cpu');
});

describe('the sharing wasm Identity', () => {
  it('clones without a copy: one buffer, alive until the last tensor on it is disposed', async () => {
    const backend = tf.engine().backend;
    const buffers = backend.numDataIds();
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const copy = x.clone();
    expect(backend.numDataIds()).toBe(buffers + 1);
    x.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(backend.numDataIds()).toBe(buffers);
  });

  it('gives the same gradients as tfjs\'s copying kernel through ops that save their inputs, leaking nothing', () => {
    const gradients = (): Float32Array[] => tf.tidy(() => {
      const w = tf.tensor2d([[0.5, -1, 2], [1.5, 0.25, -0.75]]);
      const x = tf.tensor2d([[1, -2], [3, 0.5], [-1, 4]]);
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(a, b))));
      return tf.grads(f)([x, w]).map((g) => g.dataSync() as Float32Array);
    });
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const shared = gradients();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    uninstallSharingWasmIdentity();
    const copied = gradients();
    expect(installSharingWasmIdentity()).toBe(true);
    expect(shared.map((g) => [...g])).toEqual(copied.map((g) => [...g]));
    expect(shared[0].some((value) => value !== 0)).toBe(true);
  });

  it('saves tensors for a gradient without running Identity, and tfjs\'s clone does run it', async () => {
    const x = tf.tensor2d([[1, -2], [3, 0.5]]);
    const w = tf.tensor2d([[0.5, -1], [2, 1.5]]);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(a, b))));
    const kernelsOfGradients = async (): Promise<string[]> => (await tf.profile(() => tf.dispose(tf.grads(f)([x, w])))).kernelNames;
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const shared = await kernelsOfGradients();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    uninstallSharingWasmIdentity();
    const copied = await kernelsOfGradients();
    expect(installSharingWasmIdentity()).toBe(true);
    expect(copied).toContain('Identity'); // BatchMatMul, Square and Relu save their inputs
    expect(shared).not.toContain('Identity');
    expect(shared).toEqual(copied.filter((name) => name !== 'Identity'));
    tf.dispose([x, w]);
  });

  it('keeps the second derivative through saved tensors (a gradient of a gradient), leaking nothing', () => {
    // f(x) = sum(x * x * x): f'' = 6 x. Multiply saves both inputs; the second derivative reaches x
    // only through those saved copies, so a clone with no tape node there would lose it.
    const x = tf.tensor1d([1, -2, 0.5, 3]);
    const secondDerivative = (): number[] => tf.tidy(() => Array.from(
      tf.grad((y: tf.Tensor) => tf.sum(tf.grad((z: tf.Tensor) => tf.sum(tf.mul(tf.mul(z, z), z)))(y)))(x).dataSync()));
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    expect(secondDerivative()).toEqual([6, -12, 3, 18]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    x.dispose();
  });

  it('keeps tfjs\'s kernel for strings', async () => {
    const s = tf.tensor(['a', 'b']);
    const copy = s.clone();
    s.dispose();
    expect(await copy.data()).toEqual(['a', 'b']);
    copy.dispose();
  });
});

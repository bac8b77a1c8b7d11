import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, adamUpdateOps, createOptimizer } from '../train/optimizer';
import { createRng } from '../data/rng';
import { installSharingWasmIdentity, uninstallSharingWasmIdentity } from './wasm-identity';
import { ADAM_KERNEL, installWasmAdam, setWasmAdamMode, uninstallWasmAdam, wasmAdamAvailable, wasmAdamUpdate, type AdamUpdateAttrs } from './wasm-adam';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmAdam();
});

afterAll(async () => {
  setWasmAdamMode('on');
  uninstallWasmAdam();
  await tf.setBackend('cpu');
});

/** Values in [-scale, scale), a few of them exactly 0 (g = 0 makes the update 0 / eps). */
function random(shape: number[], seed: number, scale: number): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => (i % 97 === 5 ? 0 : (2 * rng.next() - 1) * scale)), shape);
}

function attrsAt(t: number, learningRate: number, weightDecay: number): AdamUpdateAttrs {
  return {
    learningRate, beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: ADAM_EPSILON,
    correction1: 1 - ADAM_BETA1 ** t, correction2: 1 - ADAM_BETA2 ** t, weightDecay,
  };
}

/** Largest |a - b| over the largest |b| (1 at least for 0 arrays): a relative error of the array. */
function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  const a = actual.dataSync();
  const b = expected.dataSync();
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}

describe('fused wasm Adam update', () => {
  it('is available on wasm once installed, and not when switched off', () => {
    expect(wasmAdamAvailable()).toBe(true);
    setWasmAdamMode('off');
    expect(wasmAdamAvailable()).toBe(false);
    setWasmAdamMode('on');
  });

  it('matches a hand-computed first step, with and without weight decay', () => {
    // t = 1: c1 = 1 - 0.9 = 0.1 and c2 = 1 - 0.999 = 0.001, so m' / c1 = g' and v' / c2 = g'^2:
    // the update is lr g' / (|g'| + 1e-7), lr times the sign of g' (0 where g' = 0).
    // wd = 0: g' = g = [0.2, -0.4, 0]; w = [0.5, -1, 2] -> [0.4, -0.9, 2]; m' = 0.1 g; v' = 0.001 g^2.
    // wd = 0.1: g' = g + 0.1 w = [0.25, -0.5, 0.2] -> w' = [0.4, -0.9, 1.9]; m' = 0.1 g'; v' = 0.001 g'^2.
    const w = tf.tensor1d([0.5, -1, 2]);
    const zeros = tf.zeros([3]);
    const g = tf.tensor1d([0.2, -0.4, 0]);
    for (const [wd, decayedG] of [[0, [0.2, -0.4, 0]], [0.1, [0.25, -0.5, 0.2]]] as const) {
      const [nextW, nextM, nextV] = wasmAdamUpdate(w, zeros, zeros, g, attrsAt(1, 0.1, wd));
      const expectedW = [0.5, -1, 2].map((x, i) => x - (0.1 * decayedG[i]) / (Math.abs(decayedG[i]) + 1e-7));
      Array.from(nextW.dataSync()).forEach((x, i) => expect(Math.abs(x - expectedW[i])).toBeLessThan(1e-6));
      Array.from(nextM.dataSync()).forEach((x, i) => expect(Math.abs(x - 0.1 * decayedG[i])).toBeLessThan(1e-8));
      Array.from(nextV.dataSync()).forEach((x, i) => expect(Math.abs(x - 0.001 * decayedG[i] ** 2)).toBeLessThan(1e-10));
      tf.dispose([nextW, nextM, nextV]);
    }
    tf.dispose([w, zeros, g]);
  });

  it.each([0, 5e-4, 0.05])('gives the tfjs ops\' w, m and v over five steps, sizes 1, 4, 7, 1001 and 300x257 (weight decay %s)', (weightDecay) => {
    let worst = 0;
    for (const [index, shape] of [[1], [4], [7], [1001], [300, 257]].entries()) {
      let fused = [random(shape, 10 + index, 1), tf.zeros(shape), tf.zeros(shape)];
      let reference = fused.map((t) => t.clone());
      for (let t = 1; t <= 5; t++) {
        // Gradients from 1e-4 to 1 in size: sqrt(v') is then near eps in places.
        const g = random(shape, 100 * t + index, 10 ** -(t % 5));
        const attrs = attrsAt(t, 1e-3 * t, weightDecay);
        const nextFused = wasmAdamUpdate(fused[0], fused[1], fused[2], g, attrs);
        const nextReference = tf.tidy(() => adamUpdateOps(reference[0], reference[1], reference[2], g, attrs));
        tf.dispose([...fused, ...reference, g]);
        [fused, reference] = [nextFused, nextReference];
        fused.forEach((x, i) => (worst = Math.max(worst, relativeError(x, reference[i]))));
      }
      tf.dispose([...fused, ...reference]);
    }
    // Same f32 operations in the same order: equal here to the bit (worst = 0); allow rounding.
    console.log(`fused Adam vs tfjs ops, weight decay ${weightDecay}: worst relative difference ${worst}`);
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('runs inside the optimizer on wasm (one kernel per variable) with the tfjs path\'s results', async () => {
    const shapes = [[97, 31], [31], [31, 7], [7]];
    const run = async (mode: 'on' | 'off'): Promise<{ weights: Float32Array[]; kernels: string[] }> => {
      setWasmAdamMode(mode);
      const variables = shapes.map((shape, i) => tf.tidy(() => tf.variable(random(shape, i, 0.1))));
      const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0, weightDecay: 5e-4 });
      let kernels: string[] = [];
      for (let step = 1; step <= 3; step++) {
        const grads = Object.fromEntries(variables.map((v, i) => [v.name, random(v.shape, 50 * step + i, 0.01)]));
        const profile = await tf.profile(() => optimizer.apply(variables, grads, 1e-3));
        kernels = profile.kernelNames;
        tf.dispose(Object.values(grads));
      }
      const weights = variables.map((v) => v.dataSync() as Float32Array);
      optimizer.dispose();
      tf.dispose(variables);
      return { weights, kernels };
    };
    const off = await run('off');
    const on = await run('on');
    setWasmAdamMode('on');
    expect(on.kernels).toEqual([ADAM_KERNEL]);
    expect(off.kernels).not.toContain(ADAM_KERNEL);
    expect(off.kernels).toContain('Sqrt');
    on.weights.forEach((w, i) => w.forEach((x, j) => expect(Math.abs(x - off.weights[i][j])).toBeLessThanOrEqual(1e-6)));
  });

  it('updates a variable and its slots in their own buffers, to the bit of the copying kernel, unless another tensor holds one', () => {
    const run = (mode: 'on' | 'copy', keepSnapshot: boolean) => {
      setWasmAdamMode(mode);
      const variables = [[97, 31], [31]].map((shape, i) => tf.tidy(() => tf.variable(random(shape, i, 0.1))));
      const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0, weightDecay: 5e-4 });
      // A saved copy of the first weight (as a checkpoint keeps one): the studio's Identity shares the buffer.
      const snapshot = keepSnapshot ? variables[0].clone() : null;
      if (snapshot) expect(snapshot.dataId).toBe(variables[0].dataId);
      const snapshotValues = snapshot?.dataSync().slice();
      const sameBuffer: boolean[] = [];
      for (let step = 1; step <= 3; step++) {
        const grads = Object.fromEntries(variables.map((v, i) => [v.name, random(v.shape, 50 * step + i, 0.01)]));
        const before = variables.map((v) => v.dataId);
        optimizer.apply(variables, grads, 1e-3);
        sameBuffer.push(...variables.map((v, i) => v.dataId === before[i]));
        tf.dispose(Object.values(grads));
      }
      const weights = variables.map((v) => Array.from(v.dataSync()));
      if (snapshot) expect(Array.from(snapshot.dataSync())).toEqual(Array.from(snapshotValues as Float32Array));
      optimizer.dispose();
      tf.dispose([...variables, ...(snapshot ? [snapshot] : [])]);
      return { weights, sameBuffer };
    };
    installSharingWasmIdentity();
    let copied, inPlace, held;
    try {
      [copied, inPlace, held] = [run('copy', false), run('on', false), run('on', true)];
    } finally {
      uninstallSharingWasmIdentity();
      setWasmAdamMode('on');
    }
    expect(copied.sameBuffer.every((same) => !same)).toBe(true);
    expect(inPlace.sameBuffer.every((same) => same)).toBe(true);
    // The snapshot holds the first weight's buffer at step 1 only: that update copies, later ones (on a new buffer) do not.
    expect(held.sameBuffer).toEqual([false, true, true, true, true, true]);
    expect(inPlace.weights).toEqual(copied.weights);
    expect(held.weights).toEqual(copied.weights);
  });

  it('makes tfjs\'s convolution pack the updated filter after an update in place (no XNNPACK operator cached for the old values)', () => {
    const filter = tf.tidy(() => tf.variable(random([3, 3, 2, 4], 7, 0.5)));
    const x = random([2, 6, 6, 2], 8, 1);
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const before = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same'); // caches an operator for the filter
    const dataId = filter.dataId;
    optimizer.apply([filter], { [filter.name]: random([3, 3, 2, 4], 9, 1) }, 0.1);
    expect(filter.dataId).toBe(dataId); // updated in place
    const after = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same');
    const fresh = tf.tensor(filter.dataSync(), filter.shape);
    const expected = tf.conv2d(x as tf.Tensor4D, fresh as tf.Tensor4D, 1, 'same');
    expect(Array.from(after.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(Array.from(after.dataSync())).not.toEqual(Array.from(before.dataSync()));
    optimizer.dispose();
    tf.dispose([filter, x, before, after, fresh, expected]);
  });

  it('leaves its inputs as they were unless the caller replaces them', () => {
    const [w, m, v, g] = [1, 2, 3, 4].map((seed) => random([65], seed, 1));
    const before = [w, m, v].map((t) => Array.from(t.dataSync()));
    const outputs = wasmAdamUpdate(w, m, v, g, attrsAt(2, 1e-2, 0));
    expect([w, m, v].map((t) => Array.from(t.dataSync()))).toEqual(before);
    expect(outputs.map((t) => t.dataId)).not.toContain(w.dataId);
    tf.dispose([w, m, v, g, ...outputs]);
  });

  it('leaks no tensor or buffer over steps, and dispose frees its slots', () => {
    setWasmAdamMode('on');
    const before = tf.memory();
    const w = tf.tidy(() => tf.variable(random([33, 5], 1, 1)));
    const b = tf.tidy(() => tf.variable(random([5], 2, 1)));
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0, weightDecay: 1e-3 });
    const grads = { [w.name]: random([33, 5], 3, 1), [b.name]: random([5], 4, 1) };
    optimizer.apply([w, b], grads, 1e-2);
    const afterFirst = tf.memory();
    for (let step = 0; step < 3; step++) optimizer.apply([w, b], grads, 1e-2);
    expect(tf.memory().numTensors).toBe(afterFirst.numTensors);
    expect(tf.engine().backend.numDataIds()).toBe(afterFirst.numDataBuffers);
    optimizer.dispose();
    tf.dispose([w, b, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.engine().backend.numDataIds()).toBe(before.numDataBuffers);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { prunableDense } from './prunableDense';
import { installFastWasmMatMul, uninstallFastWasmMatMul } from './wasm-matmul';

afterAll(async () => {
  uninstallFastWasmMatMul();
  await tf.setBackend('cpu');
});

/** Deterministic, non-symmetric values. */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => ((((i + salt) * 2654435761) % 1000) / 500) - 1), shape);
}

/** Two dense layers, x -> 6 -> 3, built with `factory`; both models get the same weights. */
function twoLayers(factory: typeof tf.layers.dense, weights: tf.Tensor[]): tf.Sequential {
  const model = tf.sequential({
    layers: [factory({ units: 6, inputShape: [5] }), tf.layers.activation({ activation: 'relu' }), factory({ units: 3 })],
  });
  model.setWeights(weights);
  return model;
}

/** The kernels one gradient step of `model` runs (forward and backward), by name. */
async function gradientKernels(model: tf.Sequential, x: tf.Tensor, dy: tf.Tensor): Promise<{ grads: tf.NamedTensorMap; kernels: string[] }> {
  let grads: tf.NamedTensorMap = {};
  const profile = await tf.profile(() => {
    const result = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as tf.Tensor, dy)) as tf.Scalar);
    result.value.dispose();
    grads = result.grads;
  });
  return { grads, kernels: profile.kernels.map((kernel) => kernel.name) };
}

describe.each(['cpu', 'wasm'])('PrunableDense on %s', (backend) => {
  it('gives tfjs Dense\'s outputs and weight gradients without the unused input gradient, leaking nothing', async () => {
    await tf.setBackend(backend);
    await tf.ready();
    if (backend === 'wasm') installFastWasmMatMul();
    const weights = [pattern([5, 6], 1), pattern([6], 2), pattern([6, 3], 3), pattern([3], 4)];
    const x = pattern([4, 5], 5);
    const dy = pattern([4, 3], 6);
    const reference = twoLayers(tf.layers.dense, weights);
    const prunable = twoLayers(prunableDense as typeof tf.layers.dense, weights);
    const before = tf.memory().numTensors;

    const expectedOut = reference.predict(x) as tf.Tensor;
    const actualOut = prunable.predict(x) as tf.Tensor;
    const want = await expectedOut.data();
    (await actualOut.data()).forEach((value, i) => expect(value).toBeCloseTo(want[i], 5));

    const expected = await gradientKernels(reference, x, dy);
    const actual = await gradientKernels(prunable, x, dy);
    const expectedGrads = Object.values(expected.grads);
    const actualGrads = Object.values(actual.grads);
    expect(actualGrads.map((g) => g.shape)).toEqual(expectedGrads.map((g) => g.shape));
    for (let i = 0; i < expectedGrads.length; i++) {
      const values = await expectedGrads[i].data();
      (await actualGrads[i].data()).forEach((value, j) => expect(value).toBeCloseTo(values[j], 5));
    }
    // Fused: 2 forward + 2 x 2 backward products. Plain: 2 forward + 3 backward (no dy W1^T).
    const products = (kernels: string[]): number => kernels.filter((name) => name === 'BatchMatMul' || name === '_FusedMatMul').length;
    expect(products(expected.kernels)).toBe(6);
    expect(products(actual.kernels)).toBe(5);

    tf.dispose([expectedOut, actualOut, ...expectedGrads, ...actualGrads]);
    expect(tf.memory().numTensors).toBe(before);
    reference.dispose();
    prunable.dispose();
    tf.dispose([...weights, x, dy]);
  });
});

it('refuses an activation it would not compute', () => {
  expect(() => prunableDense({ units: 2, activation: 'relu', name: 'fc' })).toThrow(/fc/);
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { inputConv2d } from './inputConv';
import { installTrainingKernels } from './training-kernels';

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic, non-symmetric values. */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => ((((i + salt) * 2654435761) % 1000) / 500) - 1), shape);
}

/** [2, 6, 6, 1] image -> first conv (built by `first`) -> relu -> conv 4 -> 3, both 3x3. */
function twoConvs(first: typeof tf.layers.conv2d, weights: tf.Tensor[], strides: number, padding: 'same' | 'valid'): tf.Sequential {
  const model = tf.sequential({
    layers: [
      first({ filters: 4, kernelSize: 3, strides, padding, inputShape: [6, 6, 1] }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }),
    ],
  });
  model.setWeights(weights);
  return model;
}

describe.each(['cpu', 'wasm'])('InputConv2D on %s', (backend) => {
  it.each([[1, 'same'], [2, 'valid']] as const)('strides %i, %s: tfjs Conv2D\'s outputs and weight gradients, no image gradient, no leak', async (strides, padding) => {
    await tf.setBackend(backend);
    await tf.ready();
    installTrainingKernels(backend);
    const weights = [pattern([3, 3, 1, 4], 1), pattern([4], 2), pattern([3, 3, 4, 3], 3), pattern([3], 4)];
    const x = pattern([2, 6, 6, 1], 5);
    const reference = twoConvs(tf.layers.conv2d, weights, strides, padding);
    const first = twoConvs(inputConv2d as typeof tf.layers.conv2d, weights, strides, padding);
    const dy = tf.tidy(() => pattern((reference.predict(x) as tf.Tensor).shape, 6));
    const before = tf.memory().numTensors;

    const run = async (model: tf.Sequential) => {
      let grads: tf.NamedTensorMap = {};
      const profile = await tf.profile(() => {
        const result = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as tf.Tensor, dy)) as tf.Scalar);
        result.value.dispose();
        grads = result.grads;
      });
      const output = model.predict(x) as tf.Tensor;
      const values = { output: await output.data(), grads: await Promise.all(Object.values(grads).map((g) => g.data())) };
      tf.dispose([output, ...Object.values(grads)]);
      return { ...values, inputGradients: profile.kernels.filter((kernel) => kernel.name === 'Conv2DBackpropInput').length };
    };
    const expected = await run(reference);
    const actual = await run(first);
    actual.output.forEach((value, i) => expect(value).toBeCloseTo(expected.output[i], 5));
    expect(actual.grads).toHaveLength(4);
    actual.grads.forEach((grad, g) => grad.forEach((value, i) => expect(value).toBeCloseTo(expected.grads[g][i], 4)));
    // The second conv's input gradient is needed by both; the image's only by the fused op.
    expect(expected.inputGradients).toBe(2);
    expect(actual.inputGradients).toBe(1);

    expect(tf.memory().numTensors).toBe(before);
    reference.dispose();
    first.dispose();
    tf.dispose([...weights, x, dy]);
  });
});

it('refuses an activation it would not compute, and dilation', () => {
  expect(() => inputConv2d({ filters: 2, kernelSize: 3, activation: 'relu', name: 'conv1' })).toThrow(/conv1/);
  expect(() => inputConv2d({ filters: 2, kernelSize: 3, dilationRate: 2, name: 'conv1' })).toThrow(/dilation/);
});

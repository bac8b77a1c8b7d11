import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installTrainingKernels } from './training-kernels';
import { BATCH_NORM_FORWARD_KERNEL, BATCH_NORM_GRAD_KERNEL, MOVING_AVERAGES_KERNEL, batchNormPath, fastBatchNorm, installWasmBatchNorm, setBatchNormSimd, uninstallWasmBatchNorm } from './wasm-batch-norm';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  // wasm has no conv filter gradient of its own.
  installTrainingKernels('wasm');
});

afterAll(async () => {
  uninstallWasmBatchNorm();
  await tf.setBackend('cpu');
});

/** Deterministic, non-symmetric values in [-1, 1), shifted so channels have different means. */
function pattern(shape: number[], salt: number, shift = 0): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => ((((i + salt) * 2654435761) % 1000) / 500) - 1 + shift * (i % 3)), shape);
}

/** conv 3x3 -> batch norm (built by `norm`) on [2, 5, 5, 2] -> [2, 5, 5, 3], with fixed weights. */
function convThenNorm(norm: typeof tf.layers.batchNormalization): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [5, 5, 2] }),
      norm({ axis: -1, epsilon: 1e-3, momentum: 0.9 }),
    ],
  });
  model.setWeights([pattern([3, 3, 2, 3], 1), pattern([3], 2), pattern([3], 3, 1), pattern([3], 4), pattern([3], 5), tf.abs(pattern([3], 6, 1)).add(0.5)]);
  return model;
}

interface TrainingPass { output: Float32Array; grads: Float32Array[]; weightsAfter: Float32Array[]; kernels: string[] }

/** One training-mode forward of sum(model(x) * dy): output, gradients of every trainable weight and of x, weights after (moving statistics). */
async function trainingPass(model: tf.Sequential, x: tf.Tensor, dy: tf.Tensor): Promise<TrainingPass> {
  let output: tf.Tensor | null = null;
  let grads: tf.Tensor[] = [];
  const profile = await tf.profile(() => {
    const { value, grads: variableGrads } = tf.variableGrads(() => {
      const y = model.apply(x, { training: true }) as tf.Tensor;
      output = tf.keep(y.clone());
      return tf.sum(tf.mul(y, dy)) as tf.Scalar;
    });
    value.dispose();
    const inputGrad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(model.apply(input, { training: true }) as tf.Tensor, dy)))(x);
    grads = [...Object.values(variableGrads), inputGrad];
  });
  const read = async (t: tf.Tensor): Promise<Float32Array> => Float32Array.from(await t.data());
  const result = {
    output: await read(output as unknown as tf.Tensor),
    grads: await Promise.all(grads.map(read)),
    weightsAfter: await Promise.all(model.getWeights().map(read)),
    kernels: profile.kernels.map((kernel) => kernel.name),
  };
  tf.dispose([output as unknown as tf.Tensor, ...grads]);
  return result;
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 4));
}

describe('batch norm in training through the wasm kernels', () => {
  it('gives tfjs BatchNormalization\'s outputs, gradients and moving statistics, leaking nothing', async () => {
    const x = pattern([2, 5, 5, 2], 7, 0.5);
    const dy = pattern([2, 5, 5, 3], 8);
    uninstallWasmBatchNorm();
    const reference = convThenNorm(tf.layers.batchNormalization);
    const expected = await trainingPass(reference, x, dy);
    expect(installWasmBatchNorm()).toBe(true);
    const fast = convThenNorm(fastBatchNorm as typeof tf.layers.batchNormalization);
    const before = tf.memory().numTensors;
    const actual = await trainingPass(fast, x, dy);
    expect(tf.memory().numTensors).toBe(before);
    expect(expected.kernels).not.toContain(BATCH_NORM_FORWARD_KERNEL);
    expect(actual.kernels).toContain(BATCH_NORM_FORWARD_KERNEL);
    expect(actual.kernels).toContain(BATCH_NORM_GRAD_KERNEL);
    expect(actual.kernels).toContain(MOVING_AVERAGES_KERNEL);
    expectClose(actual.output, expected.output);
    expect(actual.grads).toHaveLength(expected.grads.length);
    actual.grads.forEach((grad, i) => expectClose(grad, expected.grads[i]));
    // The moving mean and variance moved (twice: two training passes) exactly as tfjs's did.
    actual.weightsAfter.forEach((weights, i) => expectClose(weights, expected.weightsAfter[i]));
    expect(actual.weightsAfter[4]).not.toEqual(Float32Array.from(await pattern([3], 5).data()));
    // Inference uses the moving statistics, through tfjs's own path.
    const inferred = [reference, fast].map((model) => model.predict(x) as tf.Tensor);
    expectClose(Float32Array.from(await inferred[1].data()), Float32Array.from(await inferred[0].data()));
    tf.dispose([...inferred, x, dy]);
    reference.dispose();
    fast.dispose();
  });
});

/** The forward and gradient kernels' outputs for x and dy, every output read back. */
async function kernelOutputs(x: tf.Tensor, dy: tf.Tensor): Promise<Float32Array[]> {
  const channels = x.shape[x.rank - 1];
  const gamma = pattern([channels], 11, 1);
  const beta = pattern([channels], 12);
  const forwardOut = tf.engine().runKernel(BATCH_NORM_FORWARD_KERNEL, { x, gamma, beta }, { epsilon: 1e-3 }) as tf.Tensor[];
  const [, mean, , invStd] = forwardOut;
  const gradOut = tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, { dy, x, gamma, mean, invStd }) as tf.Tensor[];
  const values = await Promise.all([...forwardOut, ...gradOut].map(async (t) => Float32Array.from(await t.data())));
  tf.dispose([...forwardOut, ...gradOut, gamma, beta]);
  return values;
}

describe('the moving-averages kernel', () => {
  it.each([0.99, 0.9, 0.5])('gives tfjs-layers\' three ops\' bits at momentum %s, with hand-checked values', async (momentum) => {
    installWasmBatchNorm();
    const [movingMean, mean, movingVariance, variance] = [pattern([16], 31), pattern([16], 32, 1), tf.abs(pattern([16], 33)), tf.abs(pattern([16], 34))];
    const updated = tf.engine().runKernel(MOVING_AVERAGES_KERNEL, { movingMean, mean, movingVariance, variance }, { momentum }) as tf.Tensor[];
    const byOps = [[movingMean, mean], [movingVariance, variance]].map(([moving, batch]) => tf.sub(moving, tf.mul(tf.sub(moving, batch), 1 - momentum)));
    const [ours, theirs] = await Promise.all([updated, byOps].map((list) => Promise.all(list.map(async (t) => Float32Array.from(await t.data())))));
    expect(ours).toEqual(theirs);
    // Within float32 rounding of momentum m + (1 - momentum) b, and not the old values.
    const [m, b] = await Promise.all([movingMean.data(), mean.data()]);
    ours[0].forEach((value, c) => expect(value).toBeCloseTo(momentum * m[c] + (1 - momentum) * b[c], 5));
    expect(ours[0]).not.toEqual(Float32Array.from(m));
    tf.dispose([movingMean, mean, movingVariance, variance, ...updated, ...byOps]);
  });
});

describe('the SIMD batch-norm passes', () => {
  // 4 to 32 channels: the sum passes run column blocks of 4 and 2 channel groups, then one of the groups left.
  it.each([[[2, 5, 5, 8]], [[3, 4]], [[64, 7, 7, 32]], [[4, 3, 3, 20]], [[5, 12]]])('give the JavaScript loops\' bits for %j, leaking nothing', async (shape) => {
    installWasmBatchNorm();
    const channels = shape[shape.length - 1];
    const x = pattern(shape, 21, 0.5);
    const dy = pattern(shape, 22);
    setBatchNormSimd(false);
    expect(batchNormPath(channels)).toBe('javascript');
    const loops = await kernelOutputs(x, dy);
    setBatchNormSimd(true);
    expect(batchNormPath(channels)).toBe('simd');
    const before = tf.memory().numTensors;
    const simd = await kernelOutputs(x, dy);
    expect(tf.memory().numTensors).toBe(before);
    // y, mean, variance, 1/std, dx, dgamma, dbeta: equal bit for bit, and not all zero.
    expect(simd).toHaveLength(7);
    simd.forEach((values, i) => expect(values).toEqual(loops[i]));
    expect(simd[4].some((value) => Math.abs(value) > 1e-3)).toBe(true);
    tf.dispose([x, dy]);
  });

  it('leave channel counts that are not a multiple of 4 to the loops', () => {
    expect(batchNormPath(3)).toBe('javascript');
    expect(batchNormPath(6)).toBe('javascript');
  });

  it('train like tfjs BatchNormalization over 8 channels', async () => {
    const x = pattern([2, 5, 5, 2], 7, 0.5);
    const dy = pattern([2, 5, 5, 8], 8);
    const build = (norm: typeof tf.layers.batchNormalization): tf.Sequential => {
      const model = tf.sequential({ layers: [tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [5, 5, 2] }), norm({ axis: -1, epsilon: 1e-3, momentum: 0.9 })] });
      model.setWeights([pattern([3, 3, 2, 8], 1), pattern([8], 2), pattern([8], 3, 1), pattern([8], 4), pattern([8], 5), tf.abs(pattern([8], 6, 1)).add(0.5)]);
      return model;
    };
    uninstallWasmBatchNorm();
    const reference = build(tf.layers.batchNormalization);
    const expected = await trainingPass(reference, x, dy);
    installWasmBatchNorm();
    expect(batchNormPath(8)).toBe('simd');
    const fast = build(fastBatchNorm as typeof tf.layers.batchNormalization);
    const actual = await trainingPass(fast, x, dy);
    expect(actual.kernels).toContain(BATCH_NORM_GRAD_KERNEL);
    expectClose(actual.output, expected.output);
    actual.grads.forEach((grad, i) => expectClose(grad, expected.grads[i]));
    actual.weightsAfter.forEach((weights, i) => expectClose(weights, expected.weightsAfter[i]));
    tf.dispose([x, dy]);
    reference.dispose();
    fast.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmReluGrad, RELU_GRAD_KERNEL, uninstallWasmReluGrad } from './wasm-relu-grad';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  uninstallWasmReluGrad();
  await tf.setBackend('cpu');
});

/** Mixed signs and magnitudes, with exact zeros and negative zeros among them. */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => {
    const k = (i + salt) * 2654435761 % 1001;
    return k % 11 === 0 ? 0 : k % 13 === 0 ? -0 : ((k - 500) / 37) * (i % 3 === 0 ? 1e-3 : 1);
  }), shape);
}

/** d/dx sum(relu(x) * dy) = the gradient ReLU sends back for upstream gradient dy. */
function reluBackward(x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.relu(input), dy)))(x);
}

function bits(t: tf.Tensor): Buffer {
  return Buffer.from((t.dataSync() as Float32Array).buffer);
}

describe('ReLU gradient as one wasm kernel', () => {
  it('passes dy where x > 0 and 0 elsewhere, by hand', async () => {
    expect(installWasmReluGrad()).toBe(true);
    const x = tf.tensor1d([-2, -0, 0, 0.5, 3, -1e-30, 7]);
    const dy = tf.tensor1d([1, 2, 3, 4, -5, 6, 7]);
    const profile = await tf.profile(() => reluBackward(x, dy));
    expect(profile.kernelNames).toContain(RELU_GRAD_KERNEL);
    expect(profile.kernelNames).not.toContain('Step');
    const dx = reluBackward(x, dy);
    expect(Array.from(dx.dataSync())).toEqual([0, 0, 0, 4, -5, 0, 7]);
    tf.dispose([x, dy, dx]);
  });

  it.each([[[64, 800]], [[64, 28, 28, 8]], [[7]], [[3, 5]], [[2, 2]]])('gives tfjs\'s own gradient to the bit for %j', (shape) => {
    const x = pattern(shape, 3);
    const dy = pattern(shape, 11);
    uninstallWasmReluGrad();
    const reference = reluBackward(x, dy);
    installWasmReluGrad();
    const fused = reluBackward(x, dy);
    expect(bits(fused).equals(bits(reference))).toBe(true);
    tf.dispose([x, dy, reference, fused]);
  });

  it('sends NaN back where x is NaN, as tfjs\'s Step does', () => {
    installWasmReluGrad();
    const x = tf.tensor1d([NaN, 1, -1, NaN, 2]);
    const dy = tf.ones([5]);
    const dx = reluBackward(x, dy);
    expect(Array.from(dx.dataSync())).toEqual([NaN, 1, 0, NaN, 1]);
    tf.dispose([x, dy, dx]);
  });

  it('leaves other backends with tfjs\'s gradient, and gives a gradient of the gradient', async () => {
    installWasmReluGrad();
    const x = tf.tensor1d([-1, 2, 3]);
    // d/dx of sum(d relu(x)/dx * x^2 weighting) through the kernel's own gradient: grad of grad.
    const second = tf.grad((input: tf.Tensor) => tf.sum(tf.grad((inner: tf.Tensor) => tf.sum(tf.mul(tf.relu(inner), inner)))(input)))(x);
    // d/dx [step(x) * x + relu(x)] = 2 step(x) away from 0.
    expect(Array.from(second.dataSync())).toEqual([0, 2, 2]);
    tf.dispose([x, second]);
    await tf.setBackend('cpu');
    const onCpu = await tf.profile(() => tf.tidy(() => reluBackward(tf.tensor1d([-1, 1]), tf.ones([2]))));
    tf.dispose(onCpu.result);
    expect(onCpu.kernelNames).toContain('Step');
    expect(onCpu.kernelNames).not.toContain(RELU_GRAD_KERNEL);
    await tf.setBackend('wasm');
  });

  it('leaks no tensor or buffer', () => {
    installWasmReluGrad();
    const x = pattern([64, 30], 1);
    const dy = pattern([64, 30], 2);
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    reluBackward(x, dy).dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    tf.dispose([x, dy]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmDepthwiseGradients } from './wasm-depthwise-gradients';

type Shape4 = [number, number, number, number];
interface DepthwiseCase { x: Shape4; filter: Shape4; strides: number; pad: 'same' | 'valid' }

const cases: DepthwiseCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { x: [3, 8, 8, 4], filter: [3, 3, 4, 1], strides: 2, pad: 'same' },
  { x: [2, 9, 6, 2], filter: [2, 3, 2, 1], strides: 2, pad: 'valid' },
  { x: [2, 6, 5, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same' },
];

/** Deterministic values with zeros mixed in (as after a relu). */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => {
    const v = (((i + salt) * 2654435761) % 1000) / 500 - 1;
    return v < -0.5 ? 0 : v;
  }), shape);
}

/** Both gradients of sum(depthwiseConv2d(x, w) * dy): the backward pass for upstream gradient dy. */
function gradients({ x: xShape, filter, strides, pad }: DepthwiseCase): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = pattern(xShape, 1) as tf.Tensor4D;
    const w = pattern(filter, 3) as tf.Tensor4D;
    const dy = pattern(tf.depthwiseConv2d(x, w, strides, pad).shape, 7);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), dy)))([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1, ...expected.map(Math.abs));
  const worst = actual.reduce((max, value, i) => Math.max(max, Math.abs(value - expected[i])), 0);
  expect(worst).toBeLessThanOrEqual(1e-5 * scale);
}

/** tfjs's own cpu kernels: the reference. */
let reference: { dx: Float32Array; dw: Float32Array }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  reference = cases.map(gradients);
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('wasm depthwise convolution gradients', () => {
  it('are missing from tfjs wasm 4.22, so a depthwise conv cannot train there without them', () => {
    // If a tfjs upgrade brings its own, this fails and the kernels here can go.
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'wasm')).toBeUndefined();
  });

  it('match tfjs cpu for same/valid padding, strides 1 and 2, non-square kernels and depth multiplier 2', () => {
    expect(installWasmDepthwiseGradients()).toBe(true);
    cases.forEach((depthwiseCase, c) => {
      const { dx, dw } = gradients(depthwiseCase);
      expectClose(dw, reference[c].dw);
      expectClose(dx, reference[c].dx);
    });
  });

  it('leak no tensors and no wasm buffers', () => {
    installWasmDepthwiseGradients();
    const backend = tf.engine().backend;
    const tensors = tf.memory().numTensors;
    const dataIds = backend.numDataIds();
    gradients(cases[1]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(dataIds);
  });
});

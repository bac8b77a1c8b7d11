import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installFastConvFilterGradient, uninstallFastConvFilterGradient } from './conv-filter-gradient';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  uninstallFastConvFilterGradient('cpu');
  uninstallFastConvFilterGradient('wasm');
  await tf.setBackend('cpu');
});

/** Deterministic values with zeros mixed in (as after a relu). */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, (_, i) => {
    const v = (((i + salt) * 2654435761) % 1000) / 500 - 1;
    return v < -0.5 ? 0 : v;
  });
  return tf.tensor(values, shape);
}

function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number],
  strides: number, pad: 'same' | 'valid'): Float32Array {
  // d/dw sum(conv(x, w) * dy) is exactly the filter gradient for upstream gradient dy.
  return tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, strides, pad), dy)))(
    tf.zeros(filterShape),
  ).dataSync() as Float32Array);
}

const cases: { x: [number, number, number, number]; filter: [number, number, number, number]; strides: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [2, 8, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
    { x: [3, 9, 6, 2], filter: [2, 3, 2, 3], strides: 2, pad: 'valid' },
    { x: [1, 5, 5, 1], filter: [1, 1, 1, 2], strides: 1, pad: 'valid' },
  ];

describe('fast cpu Conv2DBackpropFilter', () => {
  it('matches tfjs on same/valid padding, strides 1 and 2, 1x1 and non-square kernels', () => {
    for (const { x: xShape, filter, strides, pad } of cases) {
      const x = pattern(xShape, 1) as tf.Tensor4D;
      const outShape = tf.tidy(() => tf.conv2d(x, tf.zeros(filter) as tf.Tensor4D, strides, pad).shape);
      const dy = pattern(outShape, 7) as tf.Tensor4D;
      uninstallFastConvFilterGradient('cpu');
      const expected = filterGradient(x, dy, filter, strides, pad);
      expect(installFastConvFilterGradient('cpu')).toBe(true);
      const actual = filterGradient(x, dy, filter, strides, pad);
      expect(actual.length).toBe(expected.length);
      actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
      tf.dispose([x, dy]);
    }
  });

  it('gives the gradients of a conv layer through tf.grad and leaks nothing', () => {
    installFastConvFilterGradient('cpu');
    const x = pattern([4, 10, 10, 3], 3) as tf.Tensor4D;
    const w = pattern([3, 3, 3, 2], 5) as tf.Tensor4D;
    const start = tf.memory().numTensors;
    const grad = tf.tidy(() => tf.grad((filter: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, filter as tf.Tensor4D, 1, 'same'))))(w));
    // Hand check of one entry: d/dw sum(y^2) = sum over positions of 2 * y * x_shifted.
    const manual = tf.tidy(() => {
      const y = tf.conv2d(x, w, 1, 'same');
      const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
      const shifted = tf.slice(padded, [0, 0, 0, 0], [4, 10, 10, 3]); // tap (0, 0) of the kernel
      return tf.sum(tf.mul(tf.mul(2, tf.slice(y, [0, 0, 0, 1], [4, 10, 10, 1])), tf.slice(shifted, [0, 0, 0, 2], [4, 10, 10, 1])));
    });
    expect(grad.shape).toEqual([3, 3, 3, 2]);
    expect((grad as tf.Tensor4D).arraySync()[0][0][2][1]).toBeCloseTo(manual.dataSync()[0], 3);
    tf.dispose([grad, manual]);
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([x, w]);
  });
});

describe('Conv2DBackpropFilter on wasm (missing from tfjs-backend-wasm 4.22)', () => {
  it('lets wasm differentiate convolutions, matching tfjs cpu\'s own kernel', async () => {
    uninstallFastConvFilterGradient('cpu');
    const expected = cases.map(({ x: xShape, filter, strides, pad }) => tf.tidy(() => {
      const x = pattern(xShape, 1) as tf.Tensor4D;
      const dy = pattern(tf.conv2d(x, tf.zeros(filter) as tf.Tensor4D, strides, pad).shape, 7) as tf.Tensor4D;
      return filterGradient(x, dy, filter, strides, pad);
    }));
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(installFastConvFilterGradient('wasm')).toBe(true);
    cases.forEach(({ x: xShape, filter, strides, pad }, c) => {
      const actual = tf.tidy(() => {
        const x = pattern(xShape, 1) as tf.Tensor4D;
        const dy = pattern(tf.conv2d(x, tf.zeros(filter) as tf.Tensor4D, strides, pad).shape, 7) as tf.Tensor4D;
        return filterGradient(x, dy, filter, strides, pad);
      });
      actual.forEach((value, i) => expect(value).toBeCloseTo(expected[c][i], 4));
    });
    await tf.setBackend('cpu');
  });
});

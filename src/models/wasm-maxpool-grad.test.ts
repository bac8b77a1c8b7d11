import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installFastWasmMaxPoolGrad, maxPoolGradPath, scatterMaxPoolGradient, setMaxPoolGradSimd, uninstallFastWasmMaxPoolGrad } from './wasm-maxpool-grad';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  uninstallFastWasmMaxPoolGrad();
  await tf.setBackend('cpu');
});

describe('scatterMaxPoolGradient', () => {
  it('sends each window its dy at the first maximum, by hand on a 1 x 3 x 3 x 1 image', () => {
    // 2x2 windows, stride 1, valid: four overlapping windows over
    //   1 5 2
    //   4 5 0
    //   3 1 6
    // Winners (first maximum in row-major order): (0,1) twice, then (1,1) and (2,2).
    const x = Float32Array.from([1, 5, 2, 4, 5, 0, 3, 1, 6]);
    const dy = Float32Array.from([10, 20, 30, 40]);
    const dx = new Float32Array(9);
    const info = tf.backend_util.computePool2DInfo([1, 3, 3, 1], 2, 1, 1, 'valid');
    scatterMaxPoolGradient(x, dy, dx, info);
    expect([...dx]).toEqual([0, 10 + 20, 0, 0, 30, 0, 0, 0, 40]);
  });

  it('passes no gradient from a window of NaNs', () => {
    const x = Float32Array.from([NaN, NaN, NaN, NaN]);
    const dx = new Float32Array(4);
    scatterMaxPoolGradient(x, Float32Array.from([1]), dx, tf.backend_util.computePool2DInfo([1, 2, 2, 1], 2, 2, 1, 'valid'));
    expect([...dx]).toEqual([0, 0, 0, 0]);
  });
});

describe('wasm MaxPoolGrad by scatter', () => {
  const cases: { shape: [number, number, number, number]; size: number; stride: number; pad: 'valid' | 'same' }[] = [
    { shape: [3, 28, 28, 8], size: 2, stride: 2, pad: 'valid' }, // the CNN presets' pools
    { shape: [2, 7, 7, 16], size: 2, stride: 2, pad: 'valid' }, // odd size: the last row and column drop
    { shape: [2, 7, 7, 3], size: 3, stride: 2, pad: 'same' }, // padded and overlapping
    { shape: [1, 6, 5, 2], size: 3, stride: 1, pad: 'valid' },
    { shape: [2, 7, 7, 4], size: 3, stride: 2, pad: 'same' }, // padded and overlapping, SIMD
    { shape: [2, 6, 5, 8], size: 3, stride: 1, pad: 'valid' },
  ];

  const inputGradient = (x: tf.Tensor4D, size: number, stride: number, pad: 'valid' | 'same'): Float32Array =>
    tf.tidy(() => {
      const weights = tf.range(1, tf.maxPool(x, size, stride, pad).size + 1).reshape(tf.maxPool(x, size, stride, pad).shape);
      return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, size, stride, pad), weights)))(x).dataSync() as Float32Array;
    });

  const onBackend = async (backend: string, values: Float32Array, shape: [number, number, number, number], size: number, stride: number, pad: 'valid' | 'same'): Promise<Float32Array> => {
    await tf.setBackend(backend);
    const x = tf.tensor4d(values, shape);
    const gradient = inputGradient(x, size, stride, pad);
    x.dispose();
    await tf.setBackend('wasm');
    return gradient;
  };

  it('equals the cpu backend on random images, including padded and overlapping windows', async () => {
    for (const { shape, size, stride, pad } of cases) {
      const values = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', 7).dataSync() as Float32Array);
      const expected = await onBackend('cpu', values, shape, size, stride, pad);
      expect(installFastWasmMaxPoolGrad()).toBe(true);
      const actual = await onBackend('wasm', values, shape, size, stride, pad);
      const mismatches = [...expected].filter((value, i) => Math.abs(value - actual[i]) > 1e-4).length;
      expect(mismatches, JSON.stringify({ shape, size, stride, pad })).toBe(0);
    }
  });

  it("fixes tfjs's wasm kernel, which loses the gradient of a negative window after a positive one", async () => {
    // One row of two 2x2 windows: [1, 2 | -0.2, -0.8] over [3, 4 | -0.5, -1.2]. The winners are 4 and -0.2; dy is 1 and 2.
    const values = Float32Array.from([1, 2, -0.2, -0.8, 3, 4, -0.5, -1.2]);
    uninstallFastWasmMaxPoolGrad();
    const tfjsWasm = await onBackend('wasm', values, [1, 2, 4, 1], 2, 2, 'valid');
    expect([...tfjsWasm]).toEqual([0, 0, 0, 0, 0, 1, 0, 0]); // tfjs-backend-wasm 4.22: the second window's gradient is lost
    expect(installFastWasmMaxPoolGrad()).toBe(true);
    expect([...await onBackend('wasm', values, [1, 2, 4, 1], 2, 2, 'valid')]).toEqual([0, 0, 2, 0, 0, 1, 0, 0]);
  });

  it('gives the same gradient as the cpu backend when windows tie (relu zeros)', async () => {
    const values = Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => Math.max(0, Math.sin(i * 1.7)));
    expect(installFastWasmMaxPoolGrad()).toBe(true);
    const onWasm = inputGradient(tf.tensor4d(values, [2, 6, 6, 3]), 2, 2, 'valid');
    await tf.setBackend('cpu');
    const onCpu = inputGradient(tf.tensor4d(values, [2, 6, 6, 3]), 2, 2, 'valid');
    await tf.setBackend('wasm');
    expect(onCpu.some((value, i) => value !== 0 && values[i] === 0)).toBe(true); // ties do occur
    expect([...onWasm]).toEqual([...onCpu]);
  });

  it('leaks no tensors', () => {
    expect(installFastWasmMaxPoolGrad()).toBe(true);
    const x = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    inputGradient(x, 2, 2, 'valid');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('scans 4 channels at a time in SIMD with the loop\'s bits: ties, NaN and -Infinity windows, padding, overlap', async () => {
    expect(installFastWasmMaxPoolGrad()).toBe(true);
    // Relu-like values with ties, a NaN and -Infinity here and there.
    const special = (i: number): number => (i % 37 === 5 ? NaN : i % 41 === 7 ? -Infinity : Math.max(0, Math.sin(i * 1.3)));
    for (const { shape, size, stride, pad } of cases.filter((c) => c.shape[3] % 4 === 0)) {
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => special(i));
      const x = tf.tensor4d(values, shape);
      setMaxPoolGradSimd(false);
      expect(maxPoolGradPath(shape[3])).toBe('javascript');
      const loop = inputGradient(x, size, stride, pad);
      setMaxPoolGradSimd(true);
      expect(maxPoolGradPath(shape[3])).toBe('simd');
      const simd = inputGradient(x, size, stride, pad);
      x.dispose();
      expect(loop.some((value) => value !== 0)).toBe(true);
      expect([...simd]).toEqual([...loop]);
    }
    expect(maxPoolGradPath(3)).toBe('javascript');
  });
});

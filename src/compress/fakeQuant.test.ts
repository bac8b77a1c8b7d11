import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  activationQuantParams, fakeQuantize, fakeQuantizeActivation, fakeQuantizeWeight, roundHalfEven, weightScales,
} from './fakeQuant';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('quantisation parameters', () => {
  it('rounds half to even like ONNX QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map((x) => roundHalfEven(x) + 0)).toEqual([0, 2, 2, 0, -2, -2, 2, 3]);
  });

  it('derives activation scale and zero point from a range that is widened to contain 0', () => {
    // [-1, 2.06]: scale = 3.06 / 255 = 0.012, zero point = round(-128 + 1 / 0.012) = round(-44.67) = -45.
    const { scale, zeroPoint } = activationQuantParams(-1, 2.06);
    expect(scale).toBeCloseTo(0.012, 7);
    expect(zeroPoint).toBe(-45);
    // A relu output [0, 2.55]: scale 0.01, zero point -128 (0 is exactly representable).
    expect(activationQuantParams(0.5, 2.55)).toEqual({ scale: Math.fround(0.01), zeroPoint: -128 });
    expect(activationQuantParams(0, 0)).toEqual({ scale: 1, zeroPoint: -128 });
    expect(() => activationQuantParams(Number.NaN, 1)).toThrow(/calibrate/);
  });
});

describe('fake quantisation', () => {
  it('quantises weights per output channel (last axis) with scale max|w| / 127', async () => {
    // Kernel [2 inputs, 2 channels]: channel 0 max 1.27 -> scale 0.01; channel 1 max 2.54 -> scale 0.02.
    const kernel = tf.tensor2d([[1.27, -0.013], [0.005, 2.54]]);
    const scales = weightScales(kernel, 1);
    expect(scales.shape).toEqual([1, 2]);
    const s = await scales.data();
    expect(s[0]).toBeCloseTo(0.01, 7);
    expect(s[1]).toBeCloseTo(0.02, 7);
    const q = await fakeQuantizeWeight(kernel, 1).data();
    // 0.005 / 0.01 = 0.5 -> 0 (half to even); -0.013 / 0.02 = -0.65 -> -1 -> -0.02.
    expect(Array.from(q).map((v) => Number(v.toFixed(6)))).toEqual([1.27, -0.02, 0, 2.54]);
    tf.dispose([kernel, scales]);
  });

  it('leaves an all-zero channel at zero (scale 1) and quantises a depthwise kernel along axis 2', async () => {
    const kernel = tf.tensor4d([0, 0.3, 0, -0.6], [1, 2, 2, 1]); // [kh, kw, C, 1]: channel 0 all zero
    const scales = await weightScales(kernel, 2).data();
    expect(scales[0]).toBe(1);
    expect(scales[1]).toBeCloseTo(0.6 / 127, 8);
    const q = await fakeQuantizeWeight(kernel, 2).data();
    expect(q[0]).toBe(0);
    expect(q[3]).toBeCloseTo(-0.6, 6);
    // 0.3 / (0.6 / 127) = 63.5 -> 64 (half to even) -> 64 * 0.6 / 127.
    expect(q[1]).toBeCloseTo((64 * 0.6) / 127, 6);
    kernel.dispose();
  });

  it('clamps activations to [-128, 127] around the zero point', async () => {
    const params = { scale: 0.1, zeroPoint: -28 }; // representable: [-10, 15.5]
    const x = tf.tensor1d([-20, -10, 0.05, 0.15, 3.14, 15.5, 99]);
    const y = await fakeQuantizeActivation(x, params).data();
    // 0.05 / 0.1 = 0.5 -> 0; 0.15 / 0.1 = 1.5 -> 2; 3.14 -> 31 -> 3.1.
    expect(Array.from(y).map((v) => Number(v.toFixed(5)))).toEqual([-10, -10, 0, 0.2, 3.1, 15.5, 15.5]);
    x.dispose();
  });

  it('passes gradients unchanged inside the range and blocks them outside (clipped STE)', async () => {
    const x = tf.tensor1d([-20, -10, 0.37, 15.5, 16]);
    const dy = tf.tensor1d([1, 2, 3, 4, 5]);
    const grad = tf.grad((input: tf.Tensor) => fakeQuantizeActivation(input, { scale: 0.1, zeroPoint: -28 }).mul(dy).sum());
    const g = grad(x);
    expect(Array.from(await g.data())).toEqual([0, 2, 3, 4, 0]);
    const w = tf.tensor2d([[0.5, -0.25], [1, 0.3]]);
    const gw = tf.grad((kernel: tf.Tensor) => fakeQuantizeWeight(kernel, 1).mul(tf.tensor2d([[1, 2], [3, 4]])).sum())(w);
    expect(Array.from(await gw.data())).toEqual([1, 2, 3, 4]);
    tf.dispose([x, dy, g, w, gw]);
  });

  it('broadcasts tensors of scales and zero points', async () => {
    const x = tf.tensor2d([[1, 1], [2, 2]]);
    const y = await fakeQuantize(x, tf.tensor1d([0.3, 1]), tf.tensor1d([0, 1]), -128, 127).data();
    // 1 / 0.3 = 3.33 -> 3 -> 0.9; column 1: round(1) + 1 - 1 = 1.
    expect(Array.from(y).map((v) => Number(v.toFixed(5)))).toEqual([0.9, 1, 2.1, 2]);
    x.dispose();
  });

  it('does not leak tensors, forward or backward', () => {
    const x = tf.randomNormal([4, 3]);
    const v = tf.variable(x, true, 'fq-leak');
    const before = tf.memory().numTensors;
    fakeQuantizeWeight(x, 1).dispose();
    fakeQuantizeActivation(x, { scale: 0.05, zeroPoint: 3 }).dispose();
    const { value, grads } = tf.variableGrads(() => fakeQuantizeActivation(fakeQuantizeWeight(v, 1), { scale: 0.01, zeroPoint: 0 }).sum() as tf.Scalar, [v]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, v]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionLoss, attentionMap, channelVectors, fspLoss, fspMatrix, hintLoss, nstLoss } from './features';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function value(scalar: tf.Scalar): Promise<number> {
  const [v] = await scalar.data();
  scalar.dispose();
  return v;
}

const paperAt = { p: 2, form: 'paper', resize: false } as const;

describe('hintLoss (FitNet)', () => {
  it('is 1/2 ||u - r||^2 per sample (batch mean), or the element mean for mse', async () => {
    // u = [[1,2,2],[0,0,0]], r = 0: per sample 1/2 * 9 = 4.5 and 0 -> mean 2.25; mse = 9 / 6 = 1.5.
    const u = tf.tensor2d([[1, 2, 2], [0, 0, 0]]);
    const r = tf.zeros([2, 3]);
    expect(await value(hintLoss(r, u, { form: 'paper' }))).toBeCloseTo(2.25, 6);
    expect(await value(hintLoss(r, u, { form: 'mse' }))).toBeCloseTo(1.5, 6);
    const wrong = tf.zeros([2, 4]);
    expect(() => hintLoss(wrong, u, { form: 'paper' })).toThrow(/shapes differ/);
    tf.dispose([u, r, wrong]);
  });
});

describe('attentionMap and attention transfer', () => {
  it('sums |F|^p over channels and L2-normalises per sample', async () => {
    // One sample, H = 1, W = 2, two channels: position 0 = (1, 2), position 1 = (2, 0).
    // p = 2: Q = [1 + 4, 4 + 0] = [5, 4] -> / sqrt(41). p = 1: Q = [3, 2] -> / sqrt(13).
    const feature = tf.tensor4d([1, 2, 2, 0], [1, 1, 2, 2]);
    const squared = attentionMap(feature, 2);
    const linear = attentionMap(feature, 1);
    expect(squared.shape).toEqual([1, 2]);
    const [a, b] = await squared.data();
    expect(a).toBeCloseTo(5 / Math.sqrt(41), 6);
    expect(b).toBeCloseTo(4 / Math.sqrt(41), 6);
    const [c, d] = await linear.data();
    expect(c).toBeCloseTo(3 / Math.sqrt(13), 6);
    expect(d).toBeCloseTo(2 / Math.sqrt(13), 6);
    tf.dispose([feature, squared, linear]);
  });

  it('normalisation makes each map scale-invariant, so AT ignores scale and channel count', async () => {
    const teacher = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 1);
    const scaled = tf.mul(teacher, 2.5);
    const [m1, m2] = [attentionMap(teacher), attentionMap(scaled)];
    const diff = await tf.max(tf.abs(tf.sub(m1, m2))).data();
    expect(diff[0]).toBeLessThan(1e-6);
    // Repeating the teacher's channels doubles Q but not the normalised map.
    const doubled = tf.concat([teacher, teacher], 3);
    expect(await value(attentionLoss(scaled, teacher, paperAt))).toBeLessThan(1e-6);
    expect(await value(attentionLoss(doubled, teacher, { ...paperAt, form: 'repdistiller' }))).toBeLessThan(1e-9);
    tf.dispose([teacher, scaled, m1, m2, doubled]);
  });

  it('paper form is ||diff||_2 / (2 H W); repdistiller form the mean squared difference', async () => {
    // H = 1, W = 2, one channel. Teacher Q = [1, 0], student Q = [0, 1]: diff = [-1, 1], ||diff|| = sqrt 2.
    // paper: sqrt2 / (2 * 2) = 0.353553; repdistiller: (1 + 1) / 2 = 1.
    const teacher = tf.tensor4d([1, 0], [1, 1, 2, 1]);
    const student = tf.tensor4d([0, 3], [1, 1, 2, 1]);
    expect(await value(attentionLoss(student, teacher, paperAt))).toBeCloseTo(Math.SQRT2 / 4, 6);
    expect(await value(attentionLoss(student, teacher, { ...paperAt, form: 'repdistiller' }))).toBeCloseTo(1, 6);
    tf.dispose([teacher, student]);
  });

  it('refuses different H, W unless resize is on, then upsamples the smaller map', async () => {
    const teacher = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 2);
    const student = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 3);
    expect(() => attentionLoss(student, teacher, paperAt)).toThrow(/turn on 'resize'/);
    // A constant student map upsamples to a constant map, so the loss equals that against a uniform 4x4 map.
    const constant = tf.ones([2, 2, 2, 3]);
    const uniform = tf.ones([2, 4, 4, 3]);
    const resized = await value(attentionLoss(constant, teacher, { ...paperAt, resize: true }));
    expect(resized).toBeCloseTo(await value(attentionLoss(uniform, teacher, paperAt)), 6);
    tf.dispose([teacher, student, constant, uniform]);
  });

  it('the resized path has the gradient of its forward pass (central differences)', async () => {
    const teacher = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 9);
    const random = tf.randomNormal([1, 2, 2, 2], 0, 1, 'float32', 10);
    const values = Array.from(await random.data());
    const loss = (x: tf.Tensor) => attentionLoss(x, teacher, { p: 2, form: 'repdistiller', resize: true });
    const student = tf.tensor4d(values, [1, 2, 2, 2]);
    const gradient = tf.grad(loss)(student);
    const analytic = await gradient.data();
    const h = 1e-2;
    for (let i = 0; i < values.length; i += 1) {
      const shifted = (delta: number) => tf.tidy(() => loss(tf.tensor4d(values.map((v, j) => (j === i ? v + delta : v)), [1, 2, 2, 2])));
      const numeric = ((await value(shifted(h))) - (await value(shifted(-h)))) / (2 * h);
      expect(Math.abs(analytic[i] - numeric)).toBeLessThan(2e-3 + 0.02 * Math.abs(numeric));
    }
    tf.dispose([teacher, random, student, gradient]);
  });
});

describe('FSP', () => {
  it('computes G[i,j] = sum_{s,t} F1[s,t,i] F2[s,t,j] / (h w)', async () => {
    // h = w = 2. F1 (m = 1) = [1, 2, 3, 4]; F2 (n = 2): channel 0 all ones, channel 1 = [0, 1, 0, 1].
    // G = [[(1+2+3+4)/4, (2+4)/4]] = [[2.5, 1.5]].
    const f1 = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const f2 = tf.tensor4d([1, 0, 1, 1, 1, 0, 1, 1], [1, 2, 2, 2]);
    const g = fspMatrix(f1, f2);
    expect(g.shape).toEqual([1, 1, 2]);
    expect(Array.from(await g.data())).toEqual([2.5, 1.5]);
    // Against a zero student matrix: paper = 2.5^2 + 1.5^2 = 8.5; repdistiller = 8.5 / 2 entries = 4.25.
    const zero = tf.zerosLike(f1);
    expect(await value(fspLoss([f1, f2], [zero, f2], { form: 'paper' }))).toBeCloseTo(8.5, 6);
    expect(await value(fspLoss([f1, f2], [zero, f2], { form: 'repdistiller' }))).toBeCloseTo(4.25, 6);
    tf.dispose([f1, f2, g, zero]);
  });

  it('refuses layers of different spatial size and mismatched matrices with what to change', () => {
    const a = tf.zeros([1, 2, 2, 1]);
    const b = tf.zeros([1, 4, 4, 2]);
    const c = tf.zeros([1, 2, 2, 3]);
    expect(() => fspMatrix(a, b)).toThrow(/equal H, W/);
    expect(() => fspLoss([a, a], [a, c], { form: 'paper' })).toThrow(/teacher 1x1, student 1x3/);
    tf.dispose([a, b, c]);
  });
});

describe('NST', () => {
  const nst = (kernel: 'linear' | 'polynomial' | 'gaussian', sigma = 1) => ({ kernel, degree: 2, c: 0, sigma });

  it('matches hand-computed MMD^2 for one orthogonal channel pair', async () => {
    // H*W = 2, one channel each: t = [1, 0], s = [0, 1] (already unit). k(t,t) = k(s,s) = 1 for all three kernels.
    // linear / polynomial: k(t,s) = 0 -> 1 + 1 - 0 = 2. Gaussian sigma 1: k(t,s) = exp(-2 / 2) -> 2 - 2/e.
    const teacher = tf.tensor4d([1, 0], [1, 1, 2, 1]);
    const student = tf.tensor4d([0, 5], [1, 1, 2, 1]);
    expect(await value(nstLoss(student, teacher, nst('linear')))).toBeCloseTo(2, 6);
    expect(await value(nstLoss(student, teacher, nst('polynomial')))).toBeCloseTo(2, 6);
    expect(await value(nstLoss(student, teacher, nst('gaussian')))).toBeCloseTo(2 - 2 / Math.E, 6);
    tf.dispose([teacher, student]);
  });

  it('polynomial d = 2, c = 0 equals Gram matching ||T^T T / Kt - S^T S / Ks||_F^2; linear equals the mean-vector distance', async () => {
    const teacher = tf.randomNormal([2, 3, 2, 4], 0, 1, 'float32', 7);
    const student = tf.randomNormal([2, 2, 3, 3], 0, 1, 'float32', 8);
    const [t, s] = await Promise.all([channelVectors(teacher), channelVectors(student)].map((v) => v.array()));
    let gram = 0;
    let meanDistance = 0;
    for (let b = 0; b < 2; b += 1) {
      const positions = t[b][0].length;
      for (let p = 0; p < positions; p += 1) {
        for (let q = 0; q < positions; q += 1) {
          const gt = t[b].reduce((acc, row) => acc + row[p] * row[q], 0) / t[b].length;
          const gs = s[b].reduce((acc, row) => acc + row[p] * row[q], 0) / s[b].length;
          gram += (gt - gs) ** 2 / 2;
        }
        const mt = t[b].reduce((acc, row) => acc + row[p], 0) / t[b].length;
        const ms = s[b].reduce((acc, row) => acc + row[p], 0) / s[b].length;
        meanDistance += (mt - ms) ** 2 / 2;
      }
    }
    expect(await value(nstLoss(student, teacher, nst('polynomial')))).toBeCloseTo(gram, 5);
    expect(await value(nstLoss(student, teacher, nst('linear')))).toBeCloseTo(meanDistance, 5);
    tf.dispose([teacher, student]);
  });

  it('refuses different H*W', () => {
    const a = tf.zeros([1, 2, 2, 1]);
    const b = tf.zeros([1, 3, 3, 1]);
    expect(() => nstLoss(a, b, nst('polynomial'))).toThrow(/equal H\*W/);
    tf.dispose([a, b]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, dkdLoss, kdLoss, softTargets, tfkdLoss, tsdLoss, virtualTeacher } from './logits';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function value(scalar: tf.Scalar): Promise<number> {
  const [v] = await scalar.data();
  scalar.dispose();
  return v;
}

/** Plain-JS softmax, independent of tfjs. */
function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

describe('crossEntropy', () => {
  it('is ln 2 for equal logits and the mean over the batch', async () => {
    // Row 1: logits [0, 0], label 0 -> -ln(1/2) = ln 2.
    // Row 2: logits [ln 3, 0], label 0 -> p = 3/4 -> -ln(3/4).  Mean = (ln 2 - ln 0.75) / 2.
    const logits = tf.tensor2d([[0, 0], [Math.log(3), 0]]);
    const labels = tf.tensor1d([0, 0], 'int32');
    expect(await value(crossEntropy(logits, labels))).toBeCloseTo((Math.LN2 - Math.log(0.75)) / 2, 6);
    tf.dispose([logits, labels]);
  });

  it('accepts float labels and rejects labels of the wrong rank', async () => {
    const logits = tf.tensor2d([[0, 0]]);
    const floatLabels = tf.tensor1d([1]);
    expect(await value(crossEntropy(logits, floatLabels))).toBeCloseTo(Math.LN2, 6);
    const oneHot = tf.tensor2d([[1, 0]]);
    expect(() => crossEntropy(logits, oneHot)).toThrow(/labels \[B\]/);
    tf.dispose([logits, floatLabels, oneHot]);
  });
});

describe('kdLoss', () => {
  it('matches a hand-computed KL at T = 1 and T = 2', async () => {
    // Teacher logits [ln 3, 0], student [0, 0].
    // T = 1: p_t = [3/4, 1/4], p_s = [1/2, 1/2]; KL = 0.75 ln 1.5 + 0.25 ln 0.5 = 0.130812; T^2 = 1.
    // T = 2: p_t = [sqrt3/(sqrt3+1), 1/(sqrt3+1)] = [0.633975, 0.366025];
    //        KL = 0.633975 ln(1.267949) + 0.366025 ln(0.732051) = 0.150506 - 0.114165 = 0.036341;
    //        times T^2 = 4 -> 0.145363.
    const student = tf.tensor2d([[0, 0]]);
    const teacher = tf.tensor2d([[Math.log(3), 0]]);
    expect(await value(kdLoss(student, teacher, { T: 1 }))).toBeCloseTo(0.75 * Math.log(1.5) + 0.25 * Math.log(0.5), 6);
    const pt = Math.sqrt(3) / (Math.sqrt(3) + 1);
    const expectedT2 = 4 * (pt * Math.log(2 * pt) + (1 - pt) * Math.log(2 * (1 - pt)));
    expect(expectedT2).toBeCloseTo(0.145363, 5);
    expect(await value(kdLoss(student, teacher, { T: 2 }))).toBeCloseTo(expectedT2, 6);
    tf.dispose([student, teacher]);
  });

  it('has gradient T * (p_s^T - p_t^T) / B w.r.t. the student logits (the T^2 scaling)', async () => {
    const s = [[1, -2, 0.5], [0.3, 0.1, -1]];
    const t = [[2, 0, -1], [-0.5, 1.5, 0.2]];
    const student = tf.tensor2d(s);
    const teacher = tf.tensor2d(t);
    for (const T of [1, 4, 10]) {
      const grad = tf.grad((x: tf.Tensor) => kdLoss(x, teacher, { T }))(student);
      const actual = await grad.array() as number[][];
      grad.dispose();
      s.forEach((row, b) => {
        const ps = softmax(row.map((z) => z / T));
        const pt = softmax(t[b].map((z) => z / T));
        row.forEach((_z, i) => expect(actual[b][i]).toBeCloseTo((T * (ps[i] - pt[i])) / s.length, 6));
      });
    }
    tf.dispose([student, teacher]);
  });

  it('is zero for identical logits and rejects mismatched classes', async () => {
    const logits = tf.tensor2d([[1, 2, 3]]);
    expect(await value(kdLoss(logits, logits, { T: 4 }))).toBeCloseTo(0, 7);
    const other = tf.tensor2d([[1, 2]]);
    expect(() => kdLoss(logits, other, { T: 4 })).toThrow(/same classes/);
    expect(() => kdLoss(logits, logits, { T: 0 })).toThrow(/positive/);
    tf.dispose([logits, other]);
  });
});

describe('virtual teacher (Tf-KD)', () => {
  it('puts a on the true class and (1 - a)/(C - 1) elsewhere', async () => {
    // a = 0.7, C = 4: rest = 0.3 / 3 = 0.1.
    const labels = tf.tensor1d([2, 0], 'int32');
    const teacher = virtualTeacher(labels, 4, 0.7);
    const rows = await teacher.array();
    rows.flat().forEach((v, i) => expect(v).toBeCloseTo([0.1, 0.1, 0.7, 0.1, 0.7, 0.1, 0.1, 0.1][i], 6));
    tf.dispose([labels, teacher]);
  });

  it('is KD against softmax(p^d / T): a hand-computed two-class case', async () => {
    // a = 0.75, C = 2, label 0: p^d = [0.75, 0.25]; T = 1: q = softmax([0.75, 0.25]) = [s, 1 - s], s = 1/(1+e^-0.5).
    // Student [0, 0] -> p_s = [0.5, 0.5]; KL = s ln(2s) + (1-s) ln(2(1-s)) = 0.622459 ln 1.244918 + 0.377541 ln 0.755082.
    const sig = 1 / (1 + Math.exp(-0.5));
    const expected = sig * Math.log(2 * sig) + (1 - sig) * Math.log(2 * (1 - sig));
    expect(expected).toBeCloseTo(0.622459 * Math.log(1.244918) + 0.377541 * Math.log(0.755082), 5);
    const student = tf.tensor2d([[0, 0]]);
    const labels = tf.tensor1d([0], 'int32');
    expect(await value(tfkdLoss(student, labels, { a: 0.75, T: 1 }))).toBeCloseTo(expected, 6);
    // A student whose logits equal p^d matches the softened virtual teacher at every T.
    const matching = tf.tensor2d([[0.75, 0.25]]);
    expect(await value(tfkdLoss(matching, labels, { a: 0.75, T: 7 }))).toBeCloseTo(0, 6);
    tf.dispose([student, labels, matching]);
  });

  it('rejects an impossible a', () => {
    const labels = tf.tensor1d([0], 'int32');
    expect(() => virtualTeacher(labels, 3, 1)).toThrow(/\(0, 1\)/);
    labels.dispose();
  });
});

describe('softTargets', () => {
  it('is softmax(z / T)', async () => {
    const logits = tf.tensor2d([[2, 0]]);
    const probs = softTargets(logits, 2);
    const [p0] = await probs.data();
    expect(p0).toBeCloseTo(Math.E / (Math.E + 1), 6); // softmax([1, 0])
    tf.dispose([logits, probs]);
  });
});

describe('dkdLoss (Zhao et al. 2022)', () => {
  it('is classical KD when alpha = 1 and beta = 1 - p_y of the teacher (one sample, hand-derived identity)', async () => {
    const student = tf.tensor2d([[1.5, -0.3, 0.2, 2.0]]);
    const teacher = tf.tensor2d([[0.4, 2.5, -1.0, 0.9]]);
    const label = tf.tensor1d([1], 'int32');
    const T = 3;
    const teacherTrue = (await tf.softmax(tf.div(teacher, T)).data())[1];
    const decoupled = dkdLoss(student, teacher, label, { T, alpha: 1, beta: 1 - teacherTrue });
    const classical = kdLoss(student, teacher, { T });
    expect((await decoupled.data())[0]).toBeCloseTo((await classical.data())[0], 5);
    tf.dispose([student, teacher, label, decoupled, classical]);
  });

  it('stays finite for a confident teacher and student, and is 0 when they agree', async () => {
    const confident = tf.tensor2d([[40, -40, 0], [-35, 35, 1]]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const same = dkdLoss(confident, confident, labels, { T: 1, alpha: 1, beta: 8 });
    expect(Math.abs((await same.data())[0])).toBeLessThan(1e-6);
    const other = tf.tensor2d([[-30, 30, 0], [30, -30, 0]]);
    const apart = dkdLoss(other, confident, labels, { T: 1, alpha: 1, beta: 8 });
    const [value] = await apart.data();
    expect(Number.isFinite(value) && value > 10).toBe(true);
    tf.dispose([confident, labels, same, other, apart]);
  });
});


describe('tsdLoss (Yang et al. 2019)', () => {
  // Logits log p give softmax p exactly: p = [0.5, 0.25, 0.15, 0.1].
  const confidences = [0.5, 0.25, 0.15, 0.1];

  it('is the true class minus the mean of the K - 1 most confident others, batch mean (hand-computed)', async () => {
    // Row 1, label 0, K = 3: 0.5 - (0.25 + 0.15) / 2 = 0.3.
    // Row 2, label 1 (not the top class): 0.25 - (0.5 + 0.15) / 2 = -0.075.  Mean = 0.1125.
    const logits = tf.log(tf.tensor2d([confidences, confidences]));
    const labels = tf.tensor1d([0, 1], 'int32');
    expect(await value(tsdLoss(logits, labels, { K: 3 }))).toBeCloseTo(0.1125, 6);
    // K = 4 takes every other class: row 1 0.5 - 0.5 / 3 = 1/3, row 2 0.25 - 0.75 / 3 = 0 -> mean 1/6.
    expect(await value(tsdLoss(logits, labels, { K: 4 }))).toBeCloseTo(1 / 6, 6);
    tf.dispose([logits, labels]);
  });

  it('sends the gradient through the softmax only, the top-K choice being constant (hand-derived)', async () => {
    // dL/dp = g = [1, -1/2, -1/2, 0] (label 0, K = 3); dL/dz_j = p_j (g_j - sum_i g_i p_i), sum_i g_i p_i = 0.3:
    // [0.5 * 0.7, 0.25 * -0.8, 0.15 * -0.8, 0.1 * -0.3] = [0.35, -0.2, -0.12, -0.03].
    const logits = tf.log(tf.tensor2d([confidences]));
    const labels = tf.tensor1d([0], 'int32');
    const gradient = tf.grad((z: tf.Tensor) => tsdLoss(z, labels, { K: 3 }))(logits);
    const expected = [0.35, -0.2, -0.12, -0.03];
    Array.from(await gradient.data()).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 6));
    tf.dispose([logits, labels, gradient]);
  });

  it('is 0 when the K classes share the confidence, and refuses K outside 2..classes', async () => {
    const logits = tf.log(tf.tensor2d([[0.3, 0.3, 0.3, 0.1]]));
    const labels = tf.tensor1d([1], 'int32');
    expect(Math.abs(await value(tsdLoss(logits, labels, { K: 3 })))).toBeLessThan(1e-7);
    expect(() => tsdLoss(logits, labels, { K: 1 })).toThrow(/from 2 to the number of classes \(4\)/);
    expect(() => tsdLoss(logits, labels, { K: 5 })).toThrow(/got 5/);
    tf.dispose([logits, labels]);
  });
});

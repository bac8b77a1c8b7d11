import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { huber, pktLoss, rkdAngleLoss, rkdDistanceLoss, rkdLoss, spLoss } from './relations';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function value(scalar: tf.Scalar): Promise<number> {
  const [v] = await scalar.data();
  scalar.dispose();
  return v;
}

const rightTriangle = [[0, 0], [1, 0], [0, 1]];
const equilateral = [[0, 0], [1, 0], [0.5, Math.sqrt(3) / 2]];

describe('SP', () => {
  it('matches the hand-computed 1/B^2 ||G_t - G_s||_F^2', async () => {
    // Teacher Q = I -> G_t = I. Student Q = [[1,0],[1,0]] -> Q Q^T = ones -> rows / sqrt 2.
    // Diff entries: 1 - 1/sqrt2 (twice), -1/sqrt2 (twice): sum of squares = 2 (1 - 1/sqrt2)^2 + 1 = 1.171573; / 4 = 0.292893.
    const teacher = tf.tensor2d([[1, 0], [0, 1]]);
    const student = tf.tensor2d([[1, 0], [1, 0]]);
    expect(await value(spLoss(student, teacher))).toBeCloseTo((2 * (1 - Math.SQRT1_2) ** 2 + 1) / 4, 6);
    tf.dispose([teacher, student]);
  });
});

describe('RKD', () => {
  it('huber is smooth L1 with delta 1', async () => {
    const x = tf.tensor1d([0, 0.5, 3, -2]);
    const zero = tf.zeros([4]);
    const h = huber(x, zero);
    // 0, 0.5 * 0.25 = 0.125, 3 - 0.5 = 2.5, 2 - 0.5 = 1.5
    expect(Array.from(await h.data())).toEqual([0, 0.125, 2.5, 1.5]);
    tf.dispose([x, zero, h]);
  });

  it('angle loss on a tiny triangle: right isosceles student vs equilateral teacher', async () => {
    // Student cosines at each vertex: (0,0): 0; (1,0): 1/sqrt2; (0,1): 1/sqrt2. Teacher: 0.5 everywhere.
    // 6 ordered triples, each vertex anchors two: Huber = 0.5 * 0.25 = 0.125 (twice) and
    // 0.5 * (0.707107 - 0.5)^2 = 0.021447 (four times): mean = (0.25 + 0.085786) / 6 = 0.055964.
    const student = tf.tensor2d(rightTriangle);
    const teacher = tf.tensor2d(equilateral);
    const expected = (2 * 0.125 + 4 * 0.5 * (Math.SQRT1_2 - 0.5) ** 2) / 6;
    expect(expected).toBeCloseTo(0.055964, 5);
    expect(await value(rkdAngleLoss(student, teacher))).toBeCloseTo(expected, 6);
    tf.dispose([student, teacher]);
  });

  it('distance loss on the same triangle', async () => {
    // Student distances 1, 1, sqrt2; mu = (2 + sqrt2) / 3 -> psi = 0.878680, 0.878680, 1.242641; teacher psi = 1.
    // Huber: 0.5 * 0.121320^2 (twice) + 0.5 * 0.242641^2 = 0.044156 per unordered set; mean over 6 ordered = 0.014719.
    const student = tf.tensor2d(rightTriangle);
    const teacher = tf.tensor2d(equilateral);
    const mu = (2 + Math.SQRT2) / 3;
    const perSet = 2 * 0.5 * (1 / mu - 1) ** 2 + 0.5 * (Math.SQRT2 / mu - 1) ** 2;
    expect((2 * perSet) / 6).toBeCloseTo(0.014719, 5);
    expect(await value(rkdDistanceLoss(student, teacher))).toBeCloseTo((2 * perSet) / 6, 6);
    tf.dispose([student, teacher]);
  });

  it('ignores scale and translation of the embedding, and weights the two terms', async () => {
    const teacher = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
    const moved = tf.add(tf.mul(teacher, 3), 1);
    expect(await value(rkdLoss(moved, teacher, { distanceWeight: 25, angleWeight: 50 }))).toBeLessThan(1e-5);
    const student = tf.randomNormal([5, 3], 0, 1, 'float32', 5);
    const d = await value(rkdDistanceLoss(student, teacher));
    const a = await value(rkdAngleLoss(student, teacher));
    expect(await value(rkdLoss(student, teacher, { distanceWeight: 25, angleWeight: 50 }))).toBeCloseTo(25 * d + 50 * a, 5);
    const pair = tf.zeros([2, 3]);
    expect(() => rkdAngleLoss(pair, pair)).toThrow(/at least 3/);
    tf.dispose([teacher, moved, student, pair]);
  });
});

describe('PKT', () => {
  it('paper form: conditionals over the other samples (self excluded), KL averaged over B', async () => {
    // Teacher (1,0), (0,1), (-1,0): cosines 0, -1, 0 -> K(1,2) = K(2,3) = 1/2, K(1,3) = 0.
    // Conditioned on sample 1: over {2, 3} -> [1, 0]; on 2: over {1, 3} -> [1/2, 1/2]; on 3: over {1, 2} -> [0, 1].
    // Student (1,0), (2,0), (3,0): all cosines 1 -> every conditional is [1/2, 1/2].
    // KL: ln 2 + 0 + ln 2 -> mean over the 3 conditioning samples = (2/3) ln 2 = 0.462098.
    const teacher = tf.tensor2d([[1, 0], [0, 1], [-1, 0]]);
    const student = tf.tensor2d([[1, 0], [2, 0], [3, 0]]);
    expect((2 / 3) * Math.LN2).toBeCloseTo(0.462098, 5);
    expect(await value(pktLoss(student, teacher, { form: 'paper' }))).toBeCloseTo((2 / 3) * Math.LN2, 6);
    tf.dispose([teacher, student]);
  });

  it('repdistiller form keeps the self-pairs and averages over all B^2 entries', async () => {
    // Same inputs. Teacher K = [[1, .5, 0], [.5, 1, .5], [0, .5, 1]]: conditionals [2/3, 1/3, 0],
    // [1/4, 1/2, 1/4], [0, 1/3, 2/3]; student K = ones -> 1/3 everywhere.
    // KL sums: 2/3 ln 2, 1/2 ln(3/4) + 1/2 ln(3/2) = 1/2 ln(9/8), 2/3 ln 2 -> total / 9 (eps 1e-7 is negligible).
    const teacher = tf.tensor2d([[1, 0], [0, 1], [-1, 0]]);
    const student = tf.tensor2d([[1, 0], [2, 0], [3, 0]]);
    const expected = ((4 / 3) * Math.LN2 + 0.5 * Math.log(9 / 8)) / 9;
    expect(expected).toBeCloseTo(0.109232, 5);
    expect(await value(pktLoss(student, teacher, { form: 'repdistiller' }))).toBeCloseTo(expected, 5);
    const single = tf.tensor2d([[1, 0]]);
    expect(() => pktLoss(single, single, { form: 'paper' })).toThrow(/at least 2/);
    tf.dispose([teacher, student, single]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { l2Normalize } from './features';
import { getLoss } from './registry';
import { pktLoss, rkdAngleLoss } from './relations';
import type { LossInputs } from './types';

/**
 * Numerical safety: ReLU layers produce all-zero channels and samples, and a batch can hold two
 * samples with the same embedding. The losses must give finite, moderate gradients there, not the
 * 1/eps blow-ups of a normalisation at zero.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Largest |gradient| of the loss w.r.t. one student port (Infinity when any entry is not finite). */
async function maxGradient(id: string, inputs: LossInputs, port: string, params: Record<string, number> = {}): Promise<number> {
  const gradient = tf.grad((x: tf.Tensor) => getLoss(id).compute({ ...inputs, [port]: x }, params))(inputs[port]);
  const values = await gradient.data();
  gradient.dispose();
  return Array.from(values).reduce((max, v) => (Number.isFinite(v) ? Math.max(max, Math.abs(v)) : Infinity), 0);
}

describe('l2Normalize', () => {
  it('maps a zero vector to zero with a zero gradient, and normalises the others as usual', async () => {
    const x = tf.tensor2d([[0, 0, 0], [3, 0, 4]]);
    const normalised = l2Normalize(x, 1);
    expect(Array.from(await normalised.data())).toEqual([0, 0, 0, expect.closeTo(0.6, 6), 0, expect.closeTo(0.8, 6)]);
    // d/dx of sum(w * x / |x|) for the row (3, 0, 4) with w = (1, 1, 1): (w - (w.u) u) / |x|, u = (0.6, 0, 0.8).
    const gradient = tf.grad((v: tf.Tensor) => tf.sum(l2Normalize(v, 1)))(x);
    const g = await gradient.data();
    const u = [0.6, 0, 0.8];
    const wu = 1.4;
    expect(Array.from(g.slice(0, 3))).toEqual([0, 0, 0]);
    Array.from(g.slice(3)).forEach((v, i) => expect(v).toBeCloseTo((1 - wu * u[i]) / 5, 6));
    tf.dispose([x, normalised, gradient]);
  });
});

describe('gradients at zero features (dead ReLU channels and samples)', () => {
  const teacherMap = (): tf.Tensor => tf.randomUniform([4, 3, 3, 4], 0, 1, 'float32', 1);
  const deadChannel = (): tf.Tensor =>
    tf.concat([tf.zeros([4, 3, 3, 1]), tf.randomUniform([4, 3, 3, 2], 0, 1, 'float32', 2)], 3);
  const deadSample = (): tf.Tensor =>
    tf.concat([tf.zeros([1, 3, 3, 3]), tf.randomUniform([3, 3, 3, 3], 0, 1, 'float32', 3)], 0);

  const cases: { name: string; id: string; params: Record<string, number>; student: () => tf.Tensor }[] = [
    { name: 'at p = 1, all-zero student', id: 'at', params: { p: 1 }, student: () => tf.zeros([4, 3, 3, 2]) },
    { name: 'at p = 1, one dead sample', id: 'at', params: { p: 1 }, student: deadSample },
    { name: 'at p = 2, all-zero student', id: 'at', params: {}, student: () => tf.zeros([4, 3, 3, 2]) },
    { name: 'nst linear, dead channel', id: 'nst', params: { kernel: 0 }, student: deadChannel },
    { name: 'nst polynomial, dead channel', id: 'nst', params: { kernel: 1 }, student: deadChannel },
    { name: 'nst gaussian, dead channel', id: 'nst', params: { kernel: 2 }, student: deadChannel },
    { name: 'sp, one dead sample', id: 'sp', params: {}, student: deadSample },
    { name: 'pkt, one dead sample', id: 'pkt', params: {}, student: deadSample },
    { name: 'pkt repdistiller, one dead sample', id: 'pkt', params: { form: 1 }, student: deadSample },
    { name: 'rkd, one dead sample', id: 'rkd', params: {}, student: deadSample },
    { name: 'rkd, all-zero student', id: 'rkd', params: {}, student: () => tf.zeros([4, 3, 3, 2]) },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s: finite and moderate', async (_name, c) => {
    const inputs = { guide: teacherMap(), guided: c.student() };
    expect(await maxGradient(c.id, inputs, 'guided', c.params)).toBeLessThan(100);
    tf.dispose(Object.values(inputs));
  });
});

describe('RKD with coincident samples', () => {
  it('gives the angle at a coincident pair no gradient, so a duplicate cannot blow up the step', async () => {
    const base = tf.randomNormal([4, 6], 0, 1, 'float32', 5);
    // Sample 0 appears twice (rows 0 and 1).
    const duplicated = tf.concat([base.slice([0, 0], [1, 6]), base.slice([0, 0], [3, 6])], 0);
    const teacher = tf.randomNormal([4, 5], 0, 1, 'float32', 6);
    const scaled = tf.mul(duplicated, 100);
    expect(await maxGradient('rkd', { guide: teacher, guided: scaled }, 'guided', { distanceWeight: 0 })).toBeLessThan(1);
    expect(await maxGradient('rkd', { guide: teacher, guided: duplicated }, 'guided')).toBeLessThan(100);
    tf.dispose([base, duplicated, scaled, teacher]);
  });

  it('counts an angle at a coincident pair as 0 (the authors\' normalize-of-zero) in the mean over triples', async () => {
    // Student: points 0 and 1 coincide at the origin, point 2 is (1, 0). Anchored at 0 or 1 every triple uses
    // the other copy: cosine 0. Anchored at 2, both directions are (-1, 0): cosine 1.
    // Teacher (0,0), (1,0), (0,1): cosine 0 at anchor 0, 1/sqrt2 at anchors 1 and 2.
    // Huber per anchor (two triples each): 0; 0.5 * 0.5; 0.5 * (1 - 1/sqrt2)^2 -> mean over 6 = 0.097631.
    const student = tf.tensor2d([[0, 0], [0, 0], [1, 0]]);
    const teacher = tf.tensor2d([[0, 0], [1, 0], [0, 1]]);
    const expected = (2 * 0.25 + 2 * 0.5 * (1 - Math.SQRT1_2) ** 2) / 6;
    expect(expected).toBeCloseTo(0.097631, 5);
    const loss = rkdAngleLoss(student, teacher);
    expect((await loss.data())[0]).toBeCloseTo(expected, 6);
    tf.dispose([student, teacher, loss]);
  });
});

describe('default weights next to cross-entropy', () => {
  it("pkt's default weight on the paper form matches RepDistiller's 30000 on its B^2 mean at batch 64", async () => {
    const teacher = tf.randomNormal([64, 12], 0, 1, 'float32', 7);
    const student = tf.randomNormal([64, 8], 0, 1, 'float32', 8);
    const [paperLoss, repdistillerLoss] = [pktLoss(student, teacher, { form: 'paper' }), pktLoss(student, teacher, { form: 'repdistiller' })];
    const paper = getLoss('pkt').defaultWeight * (await paperLoss.data())[0];
    const repdistiller = 30000 * (await repdistillerLoss.data())[0];
    expect(paper / repdistiller).toBeGreaterThan(0.8);
    expect(paper / repdistiller).toBeLessThan(1.25);
    tf.dispose([teacher, student, paperLoss, repdistillerLoss]);
  });
});

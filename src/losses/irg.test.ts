import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { irgEdges, irgLoss, irgTransformation, type IrgInputs } from './irg';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function value(scalar: tf.Scalar): Promise<number> {
  const [v] = await scalar.data();
  scalar.dispose();
  return v;
}

/** Central differences of a scalar function of x, entry by entry. */
async function numericGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, eps = 1e-2): Promise<number[]> {
  const base = Array.from(await x.data());
  const at = async (values: number[]): Promise<number> => {
    const probe = tf.tensor(values, x.shape);
    const result = await value(f(probe));
    probe.dispose();
    return result;
  };
  const gradient: number[] = [];
  for (let i = 0; i < base.length; i += 1) {
    const plus = [...base];
    const minus = [...base];
    plus[i] += eps;
    minus[i] -= eps;
    gradient.push(((await at(plus)) - (await at(minus))) / (2 * eps));
  }
  return gradient;
}

describe('IRG edges', () => {
  it('are squared distances over their batch maximum; the edge term is their MSE (hand-computed)', async () => {
    // Teacher points 0, 1, 3 on a line: squared distances 1, 9, 4 -> / 9: [[0, 1/9, 1], [1/9, 0, 4/9], [1, 4/9, 0]].
    // Student points 0, 1, 2: 1, 4, 1 -> / 4: [[0, 1/4, 1], [1/4, 0, 1/4], [1, 1/4, 0]].
    // Differences: 1/9 - 1/4 = -5/36 (twice), 4/9 - 1/4 = 7/36 (twice), 0 elsewhere: MSE = 2 (25 + 49) / 1296 / 9 = 0.012689.
    const teacher = tf.tensor2d([[0], [1], [3]]);
    const student = tf.tensor2d([[0], [1], [2]]);
    const edges = irgEdges(teacher);
    const expected = [0, 1 / 9, 1, 1 / 9, 0, 4 / 9, 1, 4 / 9, 0];
    Array.from(await edges.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    const logits = tf.zeros([3, 2]);
    const inputs: IrgInputs = { teacherLogits: logits, studentLogits: logits, teacher: [teacher, teacher], student: [student, student] };
    expect((2 * (25 + 49)) / 1296 / 9).toBeCloseTo(0.012689, 6);
    // The same pair at both layers: the mean over the two layers is the one value.
    expect(await value(irgLoss(inputs, { vertexWeight: 0, edgeWeight: 1, transformWeight: 0 }))).toBeCloseTo((2 * (25 + 49)) / 1296 / 9, 6);
    tf.dispose([teacher, student, edges, logits]);
  });

  it('have the gradient of the definition (central differences), the normalising maximum included', async () => {
    const target = irgEdges(tf.randomNormal([4, 3], 0, 1, 'float32', 21));
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 22);
    const f = (v: tf.Tensor): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.sub(irgEdges(v), target))) as tf.Scalar);
    const analytic = tf.grad(f)(x);
    const numeric = await numericGradient(f, x);
    Array.from(await analytic.data()).forEach((g, i) => expect(g).toBeCloseTo(numeric[i], 3));
    tf.dispose([target, x, analytic]);
  });
});

describe('IRG transformation', () => {
  it('averages each layer over positions, then takes per-sample squared distances over their maximum (hand-computed)', async () => {
    // Layer 1 [B, 1, 2, 1]: sample 0 positions 1, 3 -> 2; sample 1: 0, 2 -> 1.
    // Layer 2 [B, 2, 1, 1]: sample 0: 0, 0 -> 0; sample 1: 5, 5 -> 5.  Distances 4, 16 -> [0.25, 1].
    const first = tf.tensor4d([1, 3, 0, 2], [2, 1, 2, 1]);
    const second = tf.tensor4d([0, 0, 5, 5], [2, 2, 1, 1]);
    const lambda = irgTransformation(first, second);
    expect(Array.from(await lambda.data())).toEqual([0.25, 1]);
    const wide = tf.zeros([2, 1, 1, 2]);
    expect(() => irgTransformation(first, wide)).toThrow(/equal channels, got 1 and 2/);
    tf.dispose([first, second, lambda, wide]);
  });

  it('has the gradient of the definition (central differences)', async () => {
    const other = tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 23);
    const target = irgTransformation(tf.randomNormal([4, 3], 0, 1, 'float32', 24), tf.randomNormal([4, 3], 0, 1, 'float32', 25));
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 26);
    const f = (v: tf.Tensor): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.sub(irgTransformation(v, other), target))) as tf.Scalar);
    const analytic = tf.grad(f)(x);
    const numeric = await numericGradient(f, x);
    Array.from(await analytic.data()).forEach((g, i) => expect(g).toBeCloseTo(numeric[i], 3));
    tf.dispose([other, target, x, analytic]);
  });
});

describe('IRG loss', () => {
  const make = (seed: number): IrgInputs => ({
    teacherLogits: tf.randomNormal([5, 4], 0, 1, 'float32', seed),
    studentLogits: tf.randomNormal([5, 4], 0, 1, 'float32', seed + 1),
    teacher: [tf.randomNormal([5, 3, 3, 2], 0, 1, 'float32', seed + 2), tf.randomNormal([5, 2], 0, 1, 'float32', seed + 3)],
    student: [tf.randomNormal([5, 6], 0, 1, 'float32', seed + 4), tf.randomNormal([5, 2, 2, 6], 0, 1, 'float32', seed + 5)],
  });
  const dispose = (inputs: IrgInputs): void => tf.dispose([inputs.teacherLogits, inputs.studentLogits, ...inputs.teacher, ...inputs.student]);

  it('is the weighted sum of its three terms; the vertex term is the MSE of the logits', async () => {
    const inputs = make(30);
    const vertex = await value(irgLoss(inputs, { vertexWeight: 1, edgeWeight: 0, transformWeight: 0 }));
    const edge = await value(irgLoss(inputs, { vertexWeight: 0, edgeWeight: 1, transformWeight: 0 }));
    const transformation = await value(irgLoss(inputs, { vertexWeight: 0, edgeWeight: 0, transformWeight: 1 }));
    const mse = await value(tf.tidy(() => tf.mean(tf.square(tf.sub(inputs.teacherLogits, inputs.studentLogits))) as tf.Scalar));
    expect(vertex).toBeCloseTo(mse, 6);
    expect(await value(irgLoss(inputs, { vertexWeight: 0.1, edgeWeight: 5, transformWeight: 5 })))
      .toBeCloseTo(0.1 * vertex + 5 * edge + 5 * transformation, 5);
    dispose(inputs);
  });

  it('ignores the scale of each network\'s features (edges and transformation are max-normalised)', async () => {
    const inputs = make(40);
    const scaled: IrgInputs = {
      ...inputs,
      studentLogits: inputs.teacherLogits,
      student: [tf.mul(inputs.teacher[0], 7), tf.mul(inputs.teacher[1], 7)],
    };
    expect(await value(irgLoss(scaled, { vertexWeight: 0.1, edgeWeight: 5, transformWeight: 5 }))).toBeLessThan(1e-6);
    tf.dispose(scaled.student);
    dispose(inputs);
  });

  it('stays finite at all-zero student features, and needs two samples for edges', async () => {
    const inputs = make(50);
    const zeros: IrgInputs = { ...inputs, student: [tf.zeros([5, 6]), tf.zeros([5, 2, 2, 6])] };
    const gradients = tf.grads((a: tf.Tensor, b: tf.Tensor) => irgLoss({ ...zeros, student: [a, b] }, { vertexWeight: 0.1, edgeWeight: 5, transformWeight: 5 }))(zeros.student);
    for (const g of gradients) expect(Array.from(await g.data()).every(Number.isFinite)).toBe(true);
    const one = tf.zeros([1, 2]);
    const single: IrgInputs = { teacherLogits: one, studentLogits: one, teacher: [one, one], student: [one, one] };
    expect(() => irgLoss(single, { vertexWeight: 1, edgeWeight: 1, transformWeight: 0 })).toThrow(/at least 2 samples/);
    tf.dispose([...zeros.student, ...gradients, one]);
    dispose(inputs);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CcModule, ccLoss, correlationMatrix } from './cc';
import { getLoss } from './registry';
import { disposeInputs, fixtures, makeInputs, moduleFor } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function value(scalar: tf.Scalar): Promise<number> {
  const [v] = await scalar.data();
  scalar.dispose();
  return v;
}

// gamma = 0.4, P = 2: k(c) = e^-0.8 (1 + 0.8 c + 0.32 c^2) for the cosine c of two unit vectors.
const kSame = Math.exp(-0.8) * (1 + 0.8 + 0.32); // c = 1: 0.952577 (the exact RBF gives 1)
const kOrthogonal = Math.exp(-0.8); // c = 0: 0.449329, exact

describe('CC correlation matrix', () => {
  it('is the Taylor series of the Gaussian RBF in the cosine (hand-computed)', async () => {
    const unit = tf.tensor2d([[1, 0], [0, 1], [1, 0]]);
    const matrix = correlationMatrix(unit, { gamma: 0.4, P: 2 });
    expect(kSame).toBeCloseTo(0.952577, 6);
    const expected = [kSame, kOrthogonal, kSame, kOrthogonal, kSame, kOrthogonal, kSame, kOrthogonal, kSame];
    Array.from(await matrix.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    tf.dispose([unit, matrix]);
  });

  it('tends to exp(-gamma |x - y|^2) as P grows', async () => {
    // Unit vectors 60 degrees apart: |x - y|^2 = 1, so the kernel is exp(-0.4) = 0.670320; identical ones give 1.
    const unit = tf.tensor2d([[1, 0], [0.5, Math.sqrt(3) / 2]]);
    const matrix = correlationMatrix(unit, { gamma: 0.4, P: 12 });
    const [same, apart] = await matrix.data();
    expect(same).toBeCloseTo(1, 5);
    expect(apart).toBeCloseTo(Math.exp(-0.4), 5);
    tf.dispose([unit, matrix]);
  });
});

describe('CC loss with its embeddings', () => {
  it('is 1/B^2 ||C_t - C_s||_F^2 of the embedded, normalised features (hand-computed)', async () => {
    // Identity embeddings (dim 2). Teacher (1, 0), (0, 1): C_t = [[kSame, kOrthogonal], [kOrthogonal, kSame]].
    // Student (1, 0), (2, 0) both normalise to (1, 0): C_s = kSame everywhere.
    // Two off-diagonal differences kOrthogonal - kSame = -0.503248: 2 * 0.253259 / 4 = 0.126630.
    const module = new CcModule(2, 2, 2, 1);
    for (const side of [module.teacher, module.student]) {
      side.kernel.assign(tf.eye(2));
      side.bias.assign(tf.zeros([2]));
    }
    const teacher = tf.tensor2d([[1, 0], [0, 1]]);
    const student = tf.tensor2d([[1, 0], [2, 0]]);
    const expected = (2 * (kOrthogonal - kSame) ** 2) / 4;
    expect(expected).toBeCloseTo(0.12663, 5);
    expect(await value(ccLoss(student, teacher, module, { gamma: 0.4, P: 2 }))).toBeCloseTo(expected, 6);
    // P = 0 keeps only the constant term e^-2gamma: both matrices are equal.
    expect(await value(ccLoss(student, teacher, module, { gamma: 0.4, P: 0 }))).toBeCloseTo(0, 7);
    tf.dispose([teacher, student]);
    module.dispose();
  });

  it('makes 128-wide embeddings by default and trains both of them and the student feature through the loss', async () => {
    const shapes = fixtures.cc.good;
    const module = moduleFor('cc', shapes) as CcModule;
    expect(module.variables.map((v) => v.shape)).toEqual([[6, 128], [128], [12, 128], [128]]);
    const inputs = makeInputs(shapes, 9);
    const { grads } = tf.variableGrads(() => getLoss('cc').compute(inputs, {}, module), module.variables);
    for (const variable of module.variables) {
      const values = await grads[variable.name].data();
      expect(values.every(Number.isFinite) && values.some((v) => v !== 0)).toBe(true);
    }
    tf.dispose(Object.values(grads));
    disposeInputs(inputs);
    module.dispose();
  });

  it('refuses to run without its module or with one made for other layers, and needs two samples', () => {
    const inputs = makeInputs(fixtures.cc.good, 2);
    expect(() => getLoss('cc').compute(inputs, {})).toThrow(/learned embeddings/);
    const other = moduleFor('cc', { guide: [5], guided: [12] }, { dim: 8 }) as CcModule;
    expect(() => getLoss('cc').compute(inputs, {}, other)).toThrow(/teacher embedding takes 5 values per sample, got 6/);
    expect(getLoss('cc').minBatch?.({})).toBe(2);
    other.dispose();
    disposeInputs(inputs);
  });
});

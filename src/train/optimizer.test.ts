import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, createOptimizer } from './optimizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function values(variable: tf.Variable): Promise<number[]> {
  return Array.from(await variable.data());
}

describe('SGD with momentum', () => {
  it('follows v <- m v + g, w <- w - lr v (hand-computed)', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0.5 });
    const g = tf.tensor1d([0.2, 0.4]);
    optimizer.apply([w], { [w.name]: g }, 0.1);
    // v = [0.2, 0.4]; w = [1 - 0.02, -2 - 0.04]
    expect((await values(w))[0]).toBeCloseTo(0.98, 6);
    expect((await values(w))[1]).toBeCloseTo(-2.04, 6);
    optimizer.apply([w], { [w.name]: g }, 0.1);
    // v = 0.5 * [0.2, 0.4] + [0.2, 0.4] = [0.3, 0.6]; w = [0.98 - 0.03, -2.04 - 0.06]
    expect((await values(w))[0]).toBeCloseTo(0.95, 6);
    expect((await values(w))[1]).toBeCloseTo(-2.1, 6);
    expect(optimizer.iterations).toBe(2);
    optimizer.dispose();
    tf.dispose([w, g]);
  });

  it('rejects momentum outside [0, 1)', () => {
    expect(() => createOptimizer({ optimizer: 'sgd', momentum: 1 })).toThrow(/momentum/);
  });
});

describe('Adam', () => {
  it('matches the bias-corrected update over two steps (hand-computed)', async () => {
    const w = tf.variable(tf.tensor1d([0.5]));
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const g1 = tf.tensor1d([2]);
    const g2 = tf.tensor1d([-1]);
    optimizer.apply([w], { [w.name]: g1 }, 0.01);
    // Step 1: m_hat = g, v_hat = g^2, update = lr * g / (|g| + eps) ~ lr
    const after1 = 0.5 - 0.01 * 2 / (2 + ADAM_EPSILON);
    expect((await values(w))[0]).toBeCloseTo(after1, 6);
    optimizer.apply([w], { [w.name]: g2 }, 0.01);
    const m = ADAM_BETA1 * (1 - ADAM_BETA1) * 2 + (1 - ADAM_BETA1) * -1;
    const v = ADAM_BETA2 * (1 - ADAM_BETA2) * 4 + (1 - ADAM_BETA2) * 1;
    const mHat = m / (1 - ADAM_BETA1 ** 2);
    const vHat = v / (1 - ADAM_BETA2 ** 2);
    expect((await values(w))[0]).toBeCloseTo(after1 - 0.01 * mHat / (Math.sqrt(vHat) + ADAM_EPSILON), 6);
    optimizer.dispose();
    tf.dispose([w, g1, g2]);
  });

  it('frees every slot on dispose', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.ones([3, 2])));
    const g = tf.onesLike(w);
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    optimizer.apply([w], { [w.name]: g }, 0.1);
    optimizer.dispose();
    tf.dispose([w, g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

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

describe('weight decay (coupled L2, as PyTorch weight_decay)', () => {
  it('SGD adds wd * w to the gradient before momentum (hand-computed, two steps)', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0.9, weightDecay: 0.1 });
    const g = tf.tensor1d([0.2, 0.4]);
    optimizer.apply([w], { [w.name]: g }, 0.5);
    // g' = [0.2 + 0.1, 0.4 - 0.2] = [0.3, 0.2]; v = g'; w = [1 - 0.15, -2 - 0.1] = [0.85, -2.1]
    const first = await values(w);
    expect(first[0]).toBeCloseTo(0.85, 6);
    expect(first[1]).toBeCloseTo(-2.1, 6);
    optimizer.apply([w], { [w.name]: g }, 0.5);
    // g' = [0.2 + 0.085, 0.4 - 0.21] = [0.285, 0.19]; v = 0.9 [0.3, 0.2] + g' = [0.555, 0.37]
    const second = await values(w);
    expect(second[0]).toBeCloseTo(0.85 - 0.2775, 6);
    expect(second[1]).toBeCloseTo(-2.1 - 0.185, 6);
    optimizer.dispose();
    tf.dispose([w, g]);
  });

  it('Adam sees the decayed gradient: wd * w alone moves w against its sign', async () => {
    const w = tf.variable(tf.tensor1d([3, -3]));
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0, weightDecay: 0.01 });
    const g = tf.zeros([2]);
    optimizer.apply([w], { [w.name]: g }, 0.1);
    // First Adam step with gradient [0.03, -0.03]: m_hat / sqrt(v_hat) = sign, so w moves by 0.1.
    const after = await values(w);
    expect(after[0]).toBeCloseTo(2.9, 4);
    expect(after[1]).toBeCloseTo(-2.9, 4);
    optimizer.dispose();
    tf.dispose([w, g]);
  });

  it('absent and 0 give the same update; a negative decay is refused', async () => {
    const run = async (weightDecay?: number) => {
      const w = tf.variable(tf.tensor1d([1, -2]));
      const g = tf.tensor1d([0.2, 0.4]);
      const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0.9, ...(weightDecay === undefined ? {} : { weightDecay }) });
      optimizer.apply([w], { [w.name]: g }, 0.1);
      const result = await values(w);
      optimizer.dispose();
      tf.dispose([w, g]);
      return result;
    };
    expect(await run(0)).toEqual(await run());
    expect(() => createOptimizer({ optimizer: 'sgd', momentum: 0.9, weightDecay: -1 })).toThrow(/Weight decay/);
  });
});

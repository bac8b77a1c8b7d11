import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureTrainingSpeed } from './speedProbe';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('measureTrainingSpeed', () => {
  it('times real training steps of the default student and leaves no tensor behind', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const result = await measureTrainingSpeed({ now: () => performance.now(), budgetMs: Number.POSITIVE_INFINITY, batchSize: 8, timedSteps: 2 });
    expect(result.status).toBe('measured');
    if (result.status !== 'measured') return;
    expect(result.timedSteps).toBe(2);
    expect(Number.isFinite(result.samplesPerSecond)).toBe(true);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('stops after the warm-up step when it alone exceeds the budget, also without leaking', async () => {
    const tensorsBefore = tf.memory().numTensors;
    // A clock that advances 1 s per reading: the warm-up "takes" 1 s against a 0.5 s budget.
    let clock = 0;
    const result = await measureTrainingSpeed({ now: () => (clock += 1000), budgetMs: 500, batchSize: 4 });
    expect(result).toEqual({ status: 'overBudget', warmupMs: 1000 });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('runs at least one timed step once the warm-up fits the budget', async () => {
    let clock = 0;
    const result = await measureTrainingSpeed({ now: () => (clock += 100), budgetMs: 150, batchSize: 4, timedSteps: 5 });
    expect(result).toMatchObject({ status: 'measured', timedSteps: 1 });
  });
});

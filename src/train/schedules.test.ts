import { describe, expect, it } from 'vitest';
import { learningRateAt, stageProgress, weightFactorAt, type SchedulePosition } from './schedules';

const at = (epoch: number, stepInEpoch = 0, stepsPerEpoch = 10, totalEpochs = 4): SchedulePosition =>
  ({ epoch, stepInEpoch, stepsPerEpoch, totalEpochs });

describe('stageProgress', () => {
  it('counts completed epochs and steps as a fraction of the stage', () => {
    expect(stageProgress(at(0))).toBe(0);
    expect(stageProgress(at(1, 5))).toBeCloseTo(1.5 / 4, 12);
    expect(stageProgress(at(3, 9))).toBeCloseTo(3.9 / 4, 12);
  });
});

describe('learningRateAt', () => {
  it('keeps a constant rate', () => {
    expect(learningRateAt(0.1, { kind: 'constant' }, at(3, 9))).toBe(0.1);
  });

  it('multiplies by the factor after every `everyEpochs` completed epochs', () => {
    const schedule = { kind: 'step', everyEpochs: 2, factor: 0.1 } as const;
    expect(learningRateAt(0.05, schedule, at(0))).toBeCloseTo(0.05, 12);
    expect(learningRateAt(0.05, schedule, at(1, 9))).toBeCloseTo(0.05, 12);
    expect(learningRateAt(0.05, schedule, at(2))).toBeCloseTo(0.005, 12);
    expect(learningRateAt(0.05, schedule, at(4))).toBeCloseTo(0.0005, 12);
  });

  it('anneals along half a cosine: full at the start, half at the middle, near zero at the end', () => {
    expect(learningRateAt(0.2, { kind: 'cosine' }, at(0))).toBeCloseTo(0.2, 12);
    expect(learningRateAt(0.2, { kind: 'cosine' }, at(2))).toBeCloseTo(0.1, 12);
    // progress 0.25: 0.5 * (1 + cos(pi/4)) = 0.853553...
    expect(learningRateAt(0.2, { kind: 'cosine' }, at(1))).toBeCloseTo(0.2 * 0.8535533905932737, 12);
    expect(learningRateAt(0.2, { kind: 'cosine' }, at(3, 9))).toBeLessThan(0.002);
  });

  it('rejects a step schedule that never steps', () => {
    expect(() => learningRateAt(0.1, { kind: 'step', everyEpochs: 0, factor: 0.1 }, at(1))).toThrow(/everyEpochs/);
  });
});

describe('weightFactorAt', () => {
  it('is 1 for a constant weight', () => {
    expect(weightFactorAt({ kind: 'constant' }, at(3, 9))).toBe(1);
  });

  it('cuts the term to 0 from epoch atEpoch on (early-stopped KD)', () => {
    const eskd = { kind: 'stepToZero', atEpoch: 2 } as const;
    expect(weightFactorAt(eskd, at(0))).toBe(1);
    expect(weightFactorAt(eskd, at(1, 9))).toBe(1);
    expect(weightFactorAt(eskd, at(2))).toBe(0);
    expect(weightFactorAt(eskd, at(3, 5))).toBe(0);
  });

  it('decays linearly to 0 over the stage', () => {
    expect(weightFactorAt({ kind: 'linearDecay' }, at(0))).toBe(1);
    expect(weightFactorAt({ kind: 'linearDecay' }, at(1))).toBeCloseTo(0.75, 12);
    expect(weightFactorAt({ kind: 'linearDecay' }, at(3, 5))).toBeCloseTo(0.125, 12);
  });

  it('warms up linearly per epoch, as DKD\'s code does: min(1, (epoch + 1) / epochs)', () => {
    const warmup = { kind: 'linearWarmup', epochs: 4 } as const;
    expect(weightFactorAt(warmup, at(0))).toBeCloseTo(0.25, 12);
    expect(weightFactorAt(warmup, at(0, 7))).toBeCloseTo(0.25, 12);
    expect(weightFactorAt(warmup, at(2))).toBeCloseTo(0.75, 12);
    expect(weightFactorAt(warmup, at(3))).toBe(1);
    expect(weightFactorAt(warmup, at(6))).toBe(1);
  });

  it('decays along a half cosine', () => {
    expect(weightFactorAt({ kind: 'cosineDecay' }, at(0))).toBeCloseTo(1, 12);
    expect(weightFactorAt({ kind: 'cosineDecay' }, at(2))).toBeCloseTo(0.5, 12);
    // progress 0.75: 0.5 * (1 + cos(3pi/4)) = 0.146446...
    expect(weightFactorAt({ kind: 'cosineDecay' }, at(3))).toBeCloseTo(0.14644660940672627, 12);
  });
});

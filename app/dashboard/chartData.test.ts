import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/protocol';
import { accuracyRows, fspDistanceRows, softmaxWithTemperature } from './chartData';

describe('softmaxWithTemperature', () => {
  it('matches a hand-computed case and flattens as T grows', () => {
    // softmax([ln 1, ln 3]) = [1/4, 3/4]
    const p = softmaxWithTemperature([0, Math.log(3)], 1);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    // At T = 2 the logits halve: [1, sqrt 3] / (1 + sqrt 3).
    const soft = softmaxWithTemperature([0, Math.log(3)], 2);
    expect(soft[1]).toBeCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)), 12);
  });

  it('stays finite for large logits', () => {
    const p = softmaxWithTemperature([1000, 999], 1);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});

describe('accuracyRows', () => {
  const epoch = (phase: EpochMetrics['phase'], test: number): EpochMetrics => ({
    type: 'epoch', phase, stageIndex: 0, epoch: 1, trainAccuracy: test + 0.1, validationAccuracy: test, testAccuracy: test,
  });

  it('counts epochs within each phase and reports percent', () => {
    const rows = accuracyRows([epoch('teacher', 0.5), epoch('teacher', 0.75), epoch('student', 0.25)]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ epoch: 1, teacherTest: 50, studentTest: 25 });
    expect(rows[1]).toEqual({ epoch: 2, teacherTest: 75, teacherTrain: 85 });
  });
});

describe('fspDistanceRows', () => {
  it('keys distances by phase so the baseline and student lines stay apart', () => {
    const rows = fspDistanceRows([
      { phase: 'baseline', step: 5, distances: { f: 0.5 } },
      { phase: 'student', step: 5, distances: { f: 0.25 } },
    ]);
    expect(rows).toEqual([{ step: 5, 'baseline:f': 0.5 }, { step: 5, 'student:f': 0.25 }]);
  });
});

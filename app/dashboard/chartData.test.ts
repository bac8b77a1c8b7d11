import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/protocol';
import { accuracyDomain, accuracyRows, argmax, fspDistanceRows, latestValue, magnitudeSpread, positiveRows, probabilityCeiling, logDomain, softmaxWithTemperature } from './chartData';

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

describe('accuracyDomain', () => {
  it('zooms onto values in the 90s instead of showing 0-100%', () => {
    // min 92, max 98.5, pad = max(1, 6.5 * 0.15) = 1: [floor(91 / 5) * 5, ceil(99.5 / 5) * 5] = [90, 100]
    expect(accuracyDomain([{ epoch: 1, teacherTest: 98.5, studentTest: 92 }])).toEqual([90, 100]);
  });

  it('keeps a low, wide spread inside [0, 100] and ignores the epoch column', () => {
    // min 8, max 26, pad = 2.7: [floor(5.3 / 5) * 5, ceil(28.7 / 5) * 5] = [5, 30]
    expect(accuracyDomain([{ epoch: 40, a: 26, b: 8 }])).toEqual([5, 30]);
    expect(accuracyDomain([{ epoch: 1, a: 0.5 }])).toEqual([0, 5]);
    expect(accuracyDomain([])).toEqual([0, 100]);
  });
});

describe('latestValue and argmax', () => {
  it('finds the last row that has the key', () => {
    expect(latestValue([{ epoch: 1, a: 3 }, { epoch: 2, a: 4 }, { epoch: 3 }], 'a')).toBe(4);
    expect(latestValue([{ epoch: 1 }], 'a')).toBeNull();
  });

  it('returns the first index of the maximum', () => {
    expect(argmax([0.1, 0.7, 0.2, 0.7])).toBe(1);
    expect(argmax([])).toBe(-1);
  });
});

describe('magnitudeSpread', () => {
  it('measures orders of magnitude between series medians, robust to one spike', () => {
    const rows = [
      { step: 1, total: 2, at: 0.002 },
      { step: 2, total: 3, at: 0.5 },
      { step: 3, total: 2, at: 0.002 },
    ];
    // medians: total 2, at 0.002 -> log10(1000) = 3
    expect(magnitudeSpread(rows, ['total', 'at'])).toBeCloseTo(3, 12);
    expect(magnitudeSpread(rows, ['total'])).toBe(0);
  });
});

describe('positiveRows', () => {
  it('turns values a log axis cannot show into gaps and keeps the step', () => {
    expect(positiveRows([{ step: 0, total: 1.5, kd: 0, at: -1 }])).toEqual([{ step: 0, total: 1.5, kd: null, at: null }]);
  });
});

describe('probabilityCeiling', () => {
  it('rounds the largest probability up to a tenth, or a hundredth below 10%', () => {
    expect(probabilityCeiling([0.13, 0.05], [0.11])).toBeCloseTo(0.2, 12);
    expect(probabilityCeiling([0.3])).toBeCloseTo(0.3, 12);
    expect(probabilityCeiling([0.097, 0.0903])).toBeCloseTo(0.1, 12);
    expect(probabilityCeiling([0.999])).toBe(1);
    expect(probabilityCeiling([0, 0])).toBe(1);
  });
});

describe('logDomain', () => {
  it('covers every positive value with whole decades', () => {
    expect(logDomain([{ step: 1, total: 4.6, ce: 0.24 }, { step: 2, total: 3.4, ce: 0.2, kd: 0 }], ['total', 'ce', 'kd'])).toEqual([0.1, 10]);
    expect(logDomain([{ step: 1, total: 1 }], ['total'])).toEqual([1, 10]);
    expect(logDomain([{ step: 1, total: 0 }], ['total'])).toEqual([0.1, 1]);
  });
});

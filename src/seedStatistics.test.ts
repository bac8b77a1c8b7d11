import { describe, expect, it } from 'vitest';
import type { ExperimentResults, ModelResult } from './results';
import { confidenceInterval95, distilledPairs, pairedAccuracies, spread, summarizeGain, tQuantile975 } from './seedStatistics';

const result = (modelId: string, role: ModelResult['role'], testAccuracy: number): ModelResult => ({
  modelId, label: modelId, role, testAccuracy, validationAccuracy: testAccuracy - 0.01, trainAccuracy: 1, params: 1, bytes: 4,
  flops: 2, epochs: 1, trainingSeconds: 1, inferenceMsPerSample: 0.1, seed: 3,
});

describe('seed statistics', () => {
  it('computes mean, sample standard deviation and standard error', () => {
    const s = spread([0.003, -0.001, 0.004]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.002, 15);
    // Deviations 0.001, -0.003, 0.002: sum of squares 14e-6 over n - 1 = 2.
    expect(s.sd).toBeCloseTo(Math.sqrt(7e-6), 15);
    expect(s.standardError).toBeCloseTo(Math.sqrt(7e-6) / Math.sqrt(3), 15);
    expect(spread([0.5]).sd).toBeNaN();
    expect(() => spread([])).toThrowError('at least one value');
  });

  it('gives a t interval for the mean: the table for small samples, the expansion beyond', () => {
    expect(tQuantile975(4)).toBe(2.776);
    expect(tQuantile975(30)).toBe(2.042);
    // Tables: 2.021 at 40, 2.000 at 60, 1.980 at 120.
    expect(tQuantile975(40)).toBeCloseTo(2.021, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.000, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.980, 3);
    expect(tQuantile975(0)).toBeNaN();
    // Five gains with mean sqrt(2) and sd 1: sqrt(2) ± 2.776 / sqrt(5).
    const [low, high] = confidenceInterval95(spread([0, 1, 2, 1, 1].map((v) => v * Math.sqrt(2))));
    expect((low + high) / 2).toBeCloseTo(Math.sqrt(2), 12);
    expect(high - low).toBeCloseTo(2 * 2.776 * 1 / Math.sqrt(5), 12);
    expect(confidenceInterval95(spread([0.5])).every(Number.isNaN)).toBe(true);
  });

  it('summarises the gain over the seeds that have both runs', () => {
    const summary = summarizeGain([
      { seed: 1, baseline: { test: 0.97, validation: 0.96 }, student: { test: 0.975, validation: 0.955 } },
      { seed: 2, baseline: { test: 0.96, validation: 0.96 }, student: { test: 0.97, validation: 0.97 } },
      { seed: 3, baseline: { test: 0.5, validation: 0.5 }, student: null },
    ])!;
    expect(summary.pairedSeeds).toEqual([1, 2]);
    // Test gains +0.005 and +0.010: mean 0.0075, sd sqrt(2 * 0.0025^2) = 0.0025 * sqrt(2).
    expect(summary.gain.test.mean).toBeCloseTo(0.0075, 12);
    expect(summary.gain.test.sd).toBeCloseTo(0.0025 * Math.SQRT2, 12);
    expect(summary.gain.test.positive).toBe(2);
    expect(summary.gain.validation.positive).toBe(1);
    expect(summary.baseline.test.mean).toBeCloseTo(0.965, 12);
    expect(summarizeGain([{ seed: 1, baseline: null, student: { test: 1, validation: 1 } }])).toBeNull();
  });

  it('pairs every distilled model that has a baseline with it and its direct teacher, by the reports', () => {
    // A teacher-assistant chain run with --only baseline,student: the assistant has no baseline, the student's teacher did not run here.
    const results: ExperimentResults = {
      resultsVersion: 2, experimentName: 'chain', backend: 'cpu', datasetId: 'mnist', trainCount: 1, testCount: 1, finishedAt: 'now',
      models: [result('ta', 'assistant', 0.985), result('student/baseline', 'baseline', 0.97), result('student', 'student', 0.975)],
      distillations: [
        { studentId: 'ta', teacherId: 'teacher', baselineId: null, compressionRatio: null, accuracyDrop: null, distillationGain: null },
        { studentId: 'student', teacherId: 'ta', baselineId: 'student/baseline', compressionRatio: 2, accuracyDrop: 0.01, distillationGain: 0.005 },
        { studentId: 'peer', teacherId: 'ta', baselineId: 'peer/baseline', compressionRatio: 2, accuracyDrop: null, distillationGain: null },
      ],
    };
    const pairs = distilledPairs(results);
    expect(pairs.map((pair) => [pair.studentId, pair.baselineId, pair.teacher?.modelId, pair.baseline?.modelId, pair.student?.modelId]))
      .toEqual([['student', 'student/baseline', 'ta', 'student/baseline', 'student'], ['peer', 'peer/baseline', 'ta', undefined, undefined]]);
    expect(pairedAccuracies(results, 'student')).toEqual({ baseline: { test: 0.97, validation: 0.96 }, student: { test: 0.975, validation: 0.965 } });
    expect(pairedAccuracies(results, 'ta')).toEqual({ baseline: null, student: null });
  });
});

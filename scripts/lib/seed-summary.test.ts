import { describe, expect, it } from 'vitest';
import type { ExperimentResults, ModelResult } from '../../src/results';
import { summarizeGain } from '../../src/seedStatistics';
import { collectSeeds, formatSeedSummary } from './seed-summary';

const model = (seed: number, testAccuracy: number, validationAccuracy: number): ModelResult => ({
  testAccuracy, validationAccuracy, trainAccuracy: 1, params: 10, bytes: 40, flops: 20, epochs: 1, trainingSeconds: 1,
  inferenceMsPerSample: 0.1, seed,
});

const results = (parts: Partial<Pick<ExperimentResults, 'teacher' | 'baseline' | 'student'>>, experimentName = 'Hinton KD'): ExperimentResults => ({
  experimentName, backend: 'wasm', datasetId: 'mnist', trainCount: 55000, testCount: 10000,
  teacher: null, baseline: null, student: null, compressionRatio: null, accuracyDrop: null, distillationGain: null,
  finishedAt: '2026-12-02T00:00:00.000Z', ...parts,
});

describe('seed summary', () => {
  it('pairs baseline and student by seed across files and summarises the gain', () => {
    const teacher = model(1, 0.99, 0.991);
    const experiments = collectSeeds([
      { name: 'b1.json', results: results({ teacher, baseline: model(1, 0.980, 0.982) }) },
      { name: 's1.json', results: results({ teacher, student: model(1, 0.983, 0.981) }) },
      { name: 'both2.json', results: results({ teacher, baseline: model(2, 0.981, 0.980), student: model(2, 0.980, 0.984) }) },
      { name: 'both3.json', results: results({ teacher, baseline: model(3, 0.979, 0.983), student: model(3, 0.983, 0.985) }) },
      { name: 'lonely.json', results: results({ baseline: model(4, 0.978, 0.978) }) },
      { name: 'other.json', results: results({ student: model(1, 0.9, 0.9) }, 'Other') },
    ]);
    expect(experiments.map((e) => e.experimentName)).toEqual(['Hinton KD', 'Other']);
    const [hinton, other] = experiments;
    expect(hinton.teacherTestAccuracies).toEqual([0.99]);
    expect(hinton.rows.map((row) => row.seed)).toEqual([1, 2, 3, 4]);

    const summary = summarizeGain(hinton.rows)!;
    expect(summary.pairedSeeds).toEqual([1, 2, 3]);
    // Test gains +0.003, -0.001, +0.004; validation gains -0.001, +0.004, +0.002.
    expect(summary.gain.test.mean).toBeCloseTo(0.002, 12);
    expect(summary.gain.test.sd).toBeCloseTo(Math.sqrt(7e-6), 12);
    expect(summary.gain.test.positive).toBe(2);
    expect(summary.gain.validation.mean).toBeCloseTo(0.005 / 3, 12);
    expect(summary.gain.validation.positive).toBe(2);
    expect(summary.baseline.test.mean).toBeCloseTo(0.98, 12);
    expect(summarizeGain(other.rows)).toBeNull();

    const text = formatSeedSummary(hinton);
    expect(text).toContain('teacher test 99.00');
    expect(text).toContain('1      98.00 / 98.20       98.30 / 98.10        +0.30 / -0.10');
    expect(text).toContain('4      97.80 / 97.80       -- / --              -- / --');
    expect(text).toContain('over the seeds with both runs: 1, 2, 3');
    // 95 % CI: 0.20 ± 4.303 * 0.153 = -0.46 to +0.86 points.
    expect(text).toContain('gain +0.20 ± 0.26 (sd; standard error 0.15), 95 % CI -0.46 to +0.86, positive in 2 of 3 seeds');
    expect(formatSeedSummary(other)).toContain('no seed has both a baseline and a distilled student yet');
  });

  it('refuses results without seeds and conflicting measurements of one seed', () => {
    const { seed: _dropped, ...unseeded } = model(1, 0.98, 0.98);
    expect(() => collectSeeds([{ name: 'old.json', results: results({ baseline: unseeded as ModelResult }) }]))
      .toThrowError('old.json: the baseline has no seed');
    expect(() => collectSeeds([
      { name: 'a.json', results: results({ student: model(5, 0.98, 0.98) }) },
      { name: 'b.json', results: results({ student: model(5, 0.97, 0.98) }) },
    ])).toThrowError("b.json: a second student for seed 5 of 'Hinton KD' with different accuracies.");
  });

  it('flags runs that did not share one teacher', () => {
    const [experiment] = collectSeeds([
      { name: 'a.json', results: results({ teacher: model(1, 0.99, 0.99) }) },
      { name: 'b.json', results: results({ teacher: model(1, 0.985, 0.99) }) },
    ]);
    expect(formatSeedSummary(experiment)).toContain('teacher test 98.50, 99.00 (different teachers!)');
  });
});

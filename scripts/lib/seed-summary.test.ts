import { describe, expect, it } from 'vitest';
import type { DistillationReport, ExperimentResults, ModelResult } from '../../src/results';
import { summarizeGain } from '../../src/seedStatistics';
import { collectSeeds, formatSeedSummary } from './seed-summary';

const model = (modelId: string, seed: number, testAccuracy: number, validationAccuracy: number): ModelResult => ({
  modelId, label: modelId === 'student/baseline' ? 'Baseline' : modelId[0].toUpperCase() + modelId.slice(1),
  role: modelId === 'teacher' ? 'teacher' : modelId.endsWith('/baseline') ? 'baseline' : 'student',
  testAccuracy, validationAccuracy, trainAccuracy: 1, params: 10, bytes: 40, flops: 20, epochs: 1, trainingSeconds: 1,
  inferenceMsPerSample: 0.1, seed,
});
const teacherOf = (test: number) => model('teacher', 1, test, 0.991);
const baselineOf = (seed: number, test: number, validation: number) => model('student/baseline', seed, test, validation);
const studentOf = (seed: number, test: number, validation: number) => model('student', seed, test, validation);

const report = (studentId: string, teacherId: string | null, baselineId: string | null): DistillationReport => ({
  studentId, teacherId, baselineId, compressionRatio: 2, accuracyDrop: null, distillationGain: null,
});

/** A one-teacher, one-student run: whichever of its models are given finished. */
const results = (models: ModelResult[], experimentName = 'Hinton KD'): ExperimentResults => ({
  resultsVersion: 2, experimentName, backend: 'wasm', datasetId: 'mnist', trainCount: 55000, testCount: 10000,
  models, distillations: [report('student', 'teacher', 'student/baseline')], finishedAt: '2026-12-02T00:00:00.000Z',
});

describe('seed summary', () => {
  it('pairs baseline and student by seed across files and summarises the gain', () => {
    const teacher = teacherOf(0.99);
    const experiments = collectSeeds([
      { name: 'b1.json', results: results([teacher, baselineOf(1, 0.980, 0.982)]) },
      { name: 's1.json', results: results([teacher, studentOf(1, 0.983, 0.981)]) },
      { name: 'both2.json', results: results([teacher, baselineOf(2, 0.981, 0.980), studentOf(2, 0.980, 0.984)]) },
      { name: 'both3.json', results: results([teacher, baselineOf(3, 0.979, 0.983), studentOf(3, 0.983, 0.985)]) },
      { name: 'lonely.json', results: results([baselineOf(4, 0.978, 0.978)]) },
      { name: 'other.json', results: results([studentOf(1, 0.9, 0.9)], 'Other') },
    ]);
    expect(experiments.map((e) => e.experimentName)).toEqual(['Hinton KD', 'Other']);
    const [[hinton], [other]] = experiments.map((e) => e.distilled);
    expect(hinton).toMatchObject({ studentId: 'student', label: 'Student', teacherLabel: 'Teacher', teacherTestAccuracies: [0.99] });
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

    const text = formatSeedSummary(experiments[0]);
    expect(text.split('\n').slice(0, 2)).toEqual(['Hinton KD', '  teacher test 99.00']);
    expect(text).toContain('1      98.00 / 98.20       98.30 / 98.10        +0.30 / -0.10');
    expect(text).toContain('4      97.80 / 97.80       -- / --              -- / --');
    expect(text).toContain('over the seeds with both runs: 1, 2, 3');
    // 95 % CI: 0.20 ± 4.303 * 0.153 = -0.46 to +0.86 points.
    expect(text).toContain('gain +0.20 ± 0.26 (sd; standard error 0.15), 95 % CI -0.46 to +0.86, positive in 2 of 3 seeds');
    expect(formatSeedSummary(experiments[1])).toContain('no seed has both a baseline and a distilled student yet');
  });

  it('refuses conflicting measurements of one seed, naming the model', () => {
    expect(() => collectSeeds([
      { name: 'a.json', results: results([studentOf(5, 0.98, 0.98)]) },
      { name: 'b.json', results: results([studentOf(5, 0.97, 0.98)]) },
    ])).toThrowError("b.json: a second distilled 'student' for seed 5 of 'Hinton KD' with different accuracies.");
  });

  it('flags runs that did not share one teacher', () => {
    const [experiment] = collectSeeds([
      { name: 'a.json', results: results([teacherOf(0.99)]) },
      { name: 'b.json', results: results([teacherOf(0.985)]) },
    ]);
    expect(formatSeedSummary(experiment)).toContain('teacher test 98.50, 99.00 (different teachers!)');
    expect(experiment.distilled[0].teacherTrainedPerRun).toBe(false);
  });

  it('does not flag a teacher trained in every run (a peer or an assistant): it differs by seed by design', () => {
    const peerTeacher = (test: number): ModelResult => ({ ...teacherOf(test), role: 'peer' });
    const [experiment] = collectSeeds([
      { name: 'a.json', results: results([peerTeacher(0.97)]) },
      { name: 'b.json', results: results([peerTeacher(0.975)]) },
    ]);
    expect(formatSeedSummary(experiment)).toContain('teacher test 97.00, 97.50 (trained in each run)');
  });

  it('prints one table per distilled model with a baseline, each with its own teacher and baseline', () => {
    // Two students of one teacher, an assistant without a baseline: the assistant gets no table.
    const run = (seed: number, a: [number, number], b: [number, number]): ExperimentResults => ({
      ...results([]),
      experimentName: 'Two students',
      models: [
        teacherOf(0.99), model('ta', 1, 0.985, 0.985),
        { ...model('a/baseline', seed, a[0], 0.97), label: 'A baseline', role: 'baseline', baselineOf: 'a' },
        { ...model('a', seed, a[1], 0.97), label: 'Small A' },
        { ...model('b/baseline', seed + 1000, b[0], 0.96), label: 'B baseline', role: 'baseline', baselineOf: 'b' },
        { ...model('b', seed + 1000, b[1], 0.96), label: 'Small B' },
      ],
      distillations: [report('ta', 'teacher', null), report('a', 'teacher', 'a/baseline'), report('b', 'ta', 'b/baseline')],
    });
    const [experiment] = collectSeeds([
      { name: 's1.json', results: run(1, [0.97, 0.975], [0.96, 0.958]) },
      { name: 's2.json', results: run(2, [0.972, 0.974], [0.961, 0.966]) },
    ]);
    expect(experiment.distilled.map((d) => [d.studentId, d.label, d.teacherLabel])).toEqual([['a', 'Small A', 'Teacher'], ['b', 'Small B', 'Ta']]);
    expect(experiment.distilled[1].rows.map((row) => row.seed)).toEqual([1001, 1002]);
    const tables = formatSeedSummary(experiment).split('\n\n');
    expect(tables).toHaveLength(2);
    expect(tables[0].split('\n').slice(0, 2)).toEqual(['Two students: Small A (a)', '  teacher Teacher test 99.00']);
    expect(tables[0]).toContain('gain +0.35 ± 0.21');
    expect(tables[1].split('\n').slice(0, 2)).toEqual(['Two students: Small B (b)', '  teacher Ta test 98.50']);
    expect(tables[1]).toContain('1001   96.00 / 96.00       95.80 / 96.00        -0.20 / +0.00');
    expect(tables[1]).toContain('positive in 1 of 2 seeds');
  });

  it('says when an experiment has no distilled model with a baseline', () => {
    const [experiment] = collectSeeds([{ name: 'ta.json', results: { ...results([teacherOf(0.99)]), distillations: [report('ta', 'teacher', null)] } }]);
    expect(formatSeedSummary(experiment)).toBe('Hinton KD\n  no distilled model with a baseline in these results');
  });
});

import { describe, expect, it } from 'vitest';
import type { DistillationReport, ExperimentResults, ModelResult } from '../../src/results';
import { summarizeGain } from '../../src/seedStatistics';
import type { TrainingPlan } from '../../src/train/plan';
import { currentSeed, endSweep, isSeedSweep, recordSeedRun, seedRowsOf, startSweep, sweepDistillations, sweepSecondsLeft, sweepSeedOf } from './seedSweep';

const model = (modelId: string, role: ModelResult['role'], seed: number, testAccuracy: number, trainingSeconds: number): ModelResult => ({
  modelId, label: modelId, role, testAccuracy, validationAccuracy: testAccuracy - 0.01, trainAccuracy: 1, params: 100, bytes: 400, flops: 200,
  epochs: 1, trainingSeconds, inferenceMsPerSample: 0.1, seed,
});

const report = (studentId: string, baselineId: string | null, gain: number | null): DistillationReport => ({
  studentId, teacherId: 'teacher', baselineId, compressionRatio: 2, accuracyDrop: null, distillationGain: gain,
});

/** A run of teacher -> student with its baseline, optionally without the student (stopped early). */
const run = (seed: number, baseline: number, student: number | null, seconds = 10): ExperimentResults => ({
  resultsVersion: 2, experimentName: 'Hinton KD', backend: 'webgl', datasetId: 'mnist', trainCount: 256, testCount: 128,
  models: [
    model('teacher', 'teacher', 1, 0.95, 0),
    model('student/baseline', 'baseline', seed, baseline, seconds),
    ...(student === null ? [] : [model('student', 'student', seed, student, 2 * seconds)]),
  ],
  distillations: [report('student', 'student/baseline', student === null ? null : student - baseline)],
  finishedAt: '2026-12-03T09:00:00.000Z',
});

const withTeacher = (results: ExperimentResults, patch: Partial<ModelResult>): ExperimentResults => ({
  ...results, models: results.models.map((m) => (m.role === 'teacher' ? { ...m, ...patch } : m)),
});

describe('seed sweep', () => {
  it('walks the seeds from the graph\'s own and is done after the last', () => {
    let sweep = startSweep('Hinton KD', 7, 3);
    expect(currentSeed(sweep)).toEqual({ index: 0, seed: 7 });
    sweep = recordSeedRun(sweep, run(7, 0.9, 0.92), 60);
    expect(currentSeed(sweep)).toEqual({ index: 1, seed: 8 });
    expect(sweep.state).toBe('running');
    sweep = recordSeedRun(sweep, run(8, 0.91, 0.9), 60);
    sweep = recordSeedRun(sweep, run(9, 0.89, 0.93), 60);
    expect(sweep.state).toBe('done');
    expect(sweep.finished.map((r) => r.seed)).toEqual([7, 8, 9]);
    // A finished sweep takes no more runs and stays done.
    expect(recordSeedRun(sweep, run(10, 0.5, 0.5), 60)).toBe(sweep);
    expect(endSweep(sweep)).toBe(sweep);
  });

  it('ends early with the seeds that finished when a run stops or fails', () => {
    const sweep = endSweep(recordSeedRun(startSweep('Hinton KD', 1, 4), run(1, 0.9, 0.92), 60));
    expect(sweep.state).toBe('stopped');
    expect(sweep.finished).toHaveLength(1);
    expect(recordSeedRun(sweep, run(2, 0.9, 0.9), 60)).toBe(sweep);
  });

  it('refuses sweeps of fewer than two or too many seeds', () => {
    expect(() => startSweep('X', 1, 1)).toThrowError('2 to 20 seeds');
    expect(() => startSweep('X', 1, 21)).toThrowError('2 to 20 seeds');
    expect(() => startSweep('X', 1, 2.5)).toThrowError('2 to 20 seeds');
  });

  it('pairs baseline and student per seed for the gain statistics', () => {
    let sweep = startSweep('Hinton KD', 1, 2);
    sweep = recordSeedRun(sweep, run(1, 0.90, 0.92), 60);
    sweep = recordSeedRun(sweep, run(2, 0.91, null), 60);
    const rows = seedRowsOf(sweep);
    expect(rows[0]).toEqual({ seed: 1, baseline: { test: 0.90, validation: 0.89 }, student: { test: 0.92, validation: 0.91 } });
    expect(rows[1].student).toBeNull();
    expect(summarizeGain(rows)!.pairedSeeds).toEqual([1]);
  });

  it('estimates the time left from the finished seeds\' wall-clock time, less teacher training', () => {
    let sweep = startSweep('Hinton KD', 1, 4);
    expect(sweepSecondsLeft(sweep, 30)).toBeNull();
    sweep = recordSeedRun(sweep, withTeacher(run(1, 0.9, 0.92), { trainingSeconds: 50 }), 90);
    sweep = recordSeedRun(sweep, withTeacher(run(2, 0.9, 0.92), { trainingSeconds: 50, fromCache: true }), 50);
    // Seed 3 runs with 5 s left; seed 4 is expected to take the mean of 90 - 50 and 50 seconds.
    expect(sweepSecondsLeft(sweep, 5)).toBe(5 + 45);
    expect(sweepSecondsLeft(sweep, null)).toBeNull();
    expect(sweepSecondsLeft(endSweep(sweep), 5)).toBeNull();
  });

  it('reads the gain of each distillation that has a baseline, the headline by default', () => {
    // A teacher-assistant chain: the assistant has no baseline, the student has one.
    const chain = (seed: number, baseline: number, student: number): ExperimentResults => {
      const results = run(seed, baseline, student);
      return {
        ...results,
        models: [...results.models, model('assistant', 'assistant', seed, 0.93, 5)],
        distillations: [report('assistant', null, null), ...results.distillations],
      };
    };
    let sweep = startSweep('TA', 1, 2);
    sweep = recordSeedRun(sweep, chain(1, 0.9, 0.92), 60);
    sweep = recordSeedRun(sweep, chain(2, 0.9, 0.89), 60);
    expect(sweepDistillations(sweep)).toEqual([{ studentId: 'student', label: 'student' }]);
    expect(seedRowsOf(sweep).map((row) => row.student?.test)).toEqual([0.92, 0.89]);
    expect(seedRowsOf(sweep, 'assistant').map((row) => row.baseline)).toEqual([null, null]);
  });

  it('starts from the seed of the first baseline in the plan', () => {
    const plan = { models: [{ id: 't', role: 'teacher', seed: 1 }, { id: 's/baseline', role: 'baseline', seed: 7 }, { id: 's', role: 'student', seed: 7 }] } as unknown as TrainingPlan;
    expect(sweepSeedOf(plan)).toBe(7);
  });

  it('recognises a stored sweep and rejects a malformed one', () => {
    const isResults = (value: unknown): value is ExperimentResults => typeof value === 'object' && value !== null && 'experimentName' in value;
    const sweep = recordSeedRun(startSweep('Hinton KD', 1, 2), run(1, 0.9, 0.92), 60);
    expect(isSeedSweep(JSON.parse(JSON.stringify(sweep)), isResults)).toBe(true);
    expect(isSeedSweep({ ...sweep, state: 'paused' }, isResults)).toBe(false);
    expect(isSeedSweep({ ...sweep, finished: [{ seed: '1', results: run(1, 0.9, 0.9) }] }, isResults)).toBe(false);
    expect(isSeedSweep({ ...sweep, finished: [{ seed: 1, results: 'lost', seconds: 1 }] }, isResults)).toBe(false);
    // Seeds out of order, a count no sweep can have, more runs than seeds.
    expect(isSeedSweep({ ...sweep, finished: [{ ...sweep.finished[0], seed: 2 }] }, isResults)).toBe(false);
    expect(isSeedSweep({ ...sweep, count: 1 }, isResults)).toBe(false);
    expect(isSeedSweep({ ...sweep, count: 2, finished: [...sweep.finished, sweep.finished[0], sweep.finished[0]] }, isResults)).toBe(false);
    expect(isSeedSweep(null, isResults)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { ExperimentResults, ModelResult } from '../../src/results';
import {
  bestRowIndex, currentPoint, runIndexOf, endParamSweep, gainLines, isParamSweep, paramSweepProgress, paramSweepRows, recordParamRun, startParamSweep,
  type ParamSweepAxis,
} from './paramSweep';
import { runTexts } from '../i18n/catalogs/run';

const model = (modelId: string, role: ModelResult['role'], testAccuracy: number): ModelResult => ({
  modelId, label: modelId, role, testAccuracy, validationAccuracy: testAccuracy, trainAccuracy: 1, params: 100, bytes: 400, flops: 200,
  epochs: 1, trainingSeconds: 1, inferenceMsPerSample: 0.1, seed: 1,
});

/** Teacher 0.95 -> student with its baseline; the student missing when the run stopped before it. */
const run = (baseline: number, student: number | null): ExperimentResults => ({
  resultsVersion: 2, experimentName: 'Hinton KD', backend: 'wasm', datasetId: 'mnist', trainCount: 256, testCount: 128,
  models: [model('teacher', 'teacher', 0.95), model('student/baseline', 'baseline', baseline), ...(student === null ? [] : [model('student', 'student', student)])],
  distillations: [{ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline', compressionRatio: 2, accuracyDrop: null,
    distillationGain: student === null ? null : student - baseline }],
  finishedAt: '2026-12-05T09:00:00.000Z',
});

const T: ParamSweepAxis = { label: 'KD: T', symbol: 'T', values: [2, 8] };
const lr: ParamSweepAxis = { label: 'Distil: learning rate', symbol: 'lr', values: [0.001, 0.01] };
const grid = [[2, 0.001], [2, 0.01], [8, 0.001], [8, 0.01]];

describe('parameter sweep', () => {
  it('walks the queue, names each run, and is done after the last', () => {
    let sweep = startParamSweep('Hinton KD', [T, lr], grid);
    expect(paramSweepProgress(sweep, runTexts.en)).toBe('Run 1 of 4: T = 2, lr = 0.001');
    expect(paramSweepProgress(sweep, runTexts.zh)).toBe('第 1 次运行，共 4 次：T = 2, lr = 0.001');
    sweep = recordParamRun(sweep, run(0.9, 0.91), 10);
    expect(currentPoint(sweep)).toEqual({ index: 1, values: [2, 0.01] });
    expect(paramSweepProgress(sweep, runTexts.en)).toBe('Run 2 of 4: T = 2, lr = 0.01');
    for (const _ of [1, 2, 3]) sweep = recordParamRun(sweep, run(0.9, 0.9), 10);
    expect(sweep.state).toBe('done');
    expect(sweep.finished.map((r) => r.values)).toEqual(grid);
    expect(recordParamRun(sweep, run(0.5, 0.5), 1)).toBe(sweep);
    expect(endParamSweep(sweep)).toBe(sweep);
  });

  it('keeps the finished runs when stopped and takes no more', () => {
    const sweep = endParamSweep(recordParamRun(startParamSweep('X', [T], [[2], [8], [20]]), run(0.9, 0.92), 5));
    expect(sweep.state).toBe('stopped');
    expect(paramSweepRows(sweep)).toHaveLength(1);
    expect(recordParamRun(sweep, run(0.9, 0.9), 5)).toBe(sweep);
  });

  it('tells which run a results object belongs to, finished or in progress', () => {
    const first = run(0.9, 0.91);
    const sweep = recordParamRun(startParamSweep('X', [T], [[2], [8]]), first, 5);
    expect(runIndexOf(sweep, first)).toBe(0);
    expect(runIndexOf(sweep, structuredClone(first))).toBe(0);
    expect(runIndexOf(sweep, { ...run(0.9, null), finishedAt: 'later' })).toBe(1);
  });

  it('refuses fewer than two runs', () => {
    expect(() => startParamSweep('X', [T], [[2]])).toThrowError('2 to 24 runs');
  });

  it('reads teacher, baseline, distilled and gain per run and marks the best gain', () => {
    let sweep = startParamSweep('Hinton KD', [T], [[2], [8], [20]]);
    sweep = recordParamRun(sweep, run(0.90, 0.91), 10);
    sweep = recordParamRun(sweep, run(0.90, 0.94), 10);
    sweep = recordParamRun(sweep, run(0.90, null), 10);
    const rows = paramSweepRows(sweep);
    expect(rows[0]).toEqual({ values: [2], teacher: 0.95, baseline: 0.9, distilled: 0.91, gain: expect.closeTo(0.01, 10) });
    expect(rows[2]).toEqual({ values: [20], teacher: 0.95, baseline: 0.9, distilled: null, gain: null });
    expect(bestRowIndex(rows)).toBe(1);
    expect(bestRowIndex([])).toBeNull();
    expect(bestRowIndex(rows.map((row) => ({ ...row, gain: null })))).toBeNull();
    // Ties go to the first.
    expect(bestRowIndex([rows[0], rows[0]])).toBe(0);
  });

  it('draws one gain line per second-parameter value, the best point marked', () => {
    let sweep = startParamSweep('Hinton KD', [T, lr], grid);
    for (const student of [0.91, 0.92, 0.97, 0.93]) sweep = recordParamRun(sweep, run(0.9, student), 10);
    const lines = gainLines(sweep, 'gain');
    expect(lines.map((line) => line.name)).toEqual(['lr = 0.001', 'lr = 0.01']);
    expect(lines[0].points.map((p) => [p.x, p.best])).toEqual([[2, false], [8, true]]);
    expect(lines[1].points.map((p) => p.x)).toEqual([2, 8]);
    const single = recordParamRun(startParamSweep('X', [T], [[2], [8]]), run(0.9, 0.92), 1);
    expect(gainLines(single, 'gain')).toEqual([{ name: 'gain', points: [{ x: 2, gain: expect.closeTo(0.02, 10), best: true }] }]);
  });

  it('recognises a stored sweep and rejects a malformed one', () => {
    const isResults = (value: unknown): value is ExperimentResults => typeof value === 'object' && value !== null && 'experimentName' in value;
    const sweep = recordParamRun(startParamSweep('Hinton KD', [T], [[2], [8]]), run(0.9, 0.92), 10);
    expect(isParamSweep(JSON.parse(JSON.stringify(sweep)), isResults)).toBe(true);
    expect(isParamSweep({ ...sweep, state: 'paused' }, isResults)).toBe(false);
    expect(isParamSweep({ ...sweep, axes: [] }, isResults)).toBe(false);
    expect(isParamSweep({ ...sweep, points: [[2, 3], [8, 3]] }, isResults)).toBe(false);
    expect(isParamSweep({ ...sweep, finished: [{ ...sweep.finished[0], values: [8] }] }, isResults)).toBe(false);
    expect(isParamSweep({ ...sweep, finished: [{ ...sweep.finished[0], results: 'lost' }] }, isResults)).toBe(false);
    expect(isParamSweep(null, isResults)).toBe(false);
  });
});

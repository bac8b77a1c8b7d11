import { describe, expect, it } from 'vitest';
import type { ExperimentResults, ModelResult } from '../../src/results';
import type { TrainingPlan } from '../../src/train/plan';
import { missingResultText, resultRows } from './resultRows';
import { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

const en = dashboardResultsTexts.en;

const phase = (id: string, kind: string, trains: string[], frozen: string[] = []) => ({ id, kind, label: id, trains, frozen, teachers: {}, stages: [], augmentShift: 0 });

/** Deep mutual learning between two peers, each with its baseline, after a teacher. */
const plan = {
  models: [
    { id: 'teacher', label: 'Teacher', role: 'teacher' },
    { id: 'peer-a/baseline', label: 'Peer A baseline', role: 'baseline' },
    { id: 'peer-b/baseline', label: 'Peer B baseline', role: 'baseline' },
    { id: 'peer-a', label: 'Peer A', role: 'peer' },
    { id: 'peer-b', label: 'Peer B', role: 'peer' },
  ],
  phases: [
    phase('teacher:teacher', 'teacher', ['teacher']),
    phase('baseline:peer-a', 'baseline', ['peer-a/baseline']),
    phase('baseline:peer-b', 'baseline', ['peer-b/baseline']),
    phase('distill:dml', 'student', ['peer-a', 'peer-b'], ['teacher']),
  ],
} as unknown as TrainingPlan;

const result = (modelId: string, role: ModelResult['role'], label = modelId): ModelResult => ({
  modelId, label, role, testAccuracy: 0.9, validationAccuracy: 0.9, trainAccuracy: 0.9, params: 1, bytes: 4, flops: 1, epochs: 1,
  trainingSeconds: 1, inferenceMsPerSample: 0.1, seed: 1,
});

const results = (models: ModelResult[]): ExperimentResults => ({
  resultsVersion: 2, experimentName: 'DML', backend: 'cpu', datasetId: 'mnist', trainCount: 1, testCount: 1, models, distillations: [], finishedAt: '',
});

describe('resultRows', () => {
  it('lists every model of the plan, numbering the second of a role, with the selected ones marked', () => {
    const rows = resultRows(plan, { teacher: false, baseline: false, student: true }, results([result('teacher', 'teacher')]));
    expect(rows.map((row) => [row.modelId, row.testId, row.selected, row.result !== null])).toEqual([
      ['teacher', 'teacher', true, true],
      ['peer-a/baseline', 'baseline', false, false],
      ['peer-b/baseline', 'baseline-2', false, false],
      ['peer-a', 'peer', true, false],
      ['peer-b', 'peer-2', true, false],
    ]);
  });

  it('shows the results alone without a plan (after a reload)', () => {
    const rows = resultRows(null, null, results([result('teacher', 'teacher', 'Big teacher'), result('student', 'student')]));
    expect(rows.map((row) => [row.label, row.testId, row.selected])).toEqual([['Big teacher', 'teacher', false], ['student', 'student', false]]);
    expect(resultRows(null, null, null)).toEqual([]);
  });

  it('says where a stop caught the models of the stopped phase, and "not run" for the phases after it', () => {
    const stoppedAt = { phaseId: 'distill:dml', step: 12, stepsTotal: 40, epoch: 2, epochs: 5 };
    const rows = resultRows(plan, null, results([result('teacher', 'teacher'), result('peer-a/baseline', 'baseline')]), stoppedAt);
    const text = rows.map((row) => [row.modelId, row.result === null ? missingResultText(row, false, en) : 'done']);
    expect(text).toEqual([
      ['teacher', 'done'],
      ['peer-a/baseline', 'done'],
      ['peer-b/baseline', 'not run'],
      ['peer-a', 'stopped at step 12/40, epoch 2/5'],
      ['peer-b', 'stopped at step 12/40, epoch 2/5'],
    ]);
    expect(missingResultText(rows[3], false, dashboardResultsTexts.zh)).toBe('停止于第 12/40 步，第 2/5 轮');
  });

  it('keeps "pending" for a selected model while the run is active, and "not run" once it is over', () => {
    const [, baseline] = resultRows(plan, null, results([]));
    expect(missingResultText(baseline, true, en)).toBe('pending');
    expect(missingResultText(baseline, false, en)).toBe('not run');
    expect(missingResultText(baseline, true, dashboardResultsTexts.zh)).toBe('等待中');
  });
});

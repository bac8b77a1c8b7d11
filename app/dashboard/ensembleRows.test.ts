import { describe, expect, it } from 'vitest';
import type { EnsembleResult, ExperimentResults, ModelResult } from '../../src/results';
import type { TrainingPlan } from '../../src/train/plan';
import { ensembleRows } from './ensembleRows';

const phase = (id: string, kind: string, trains: string[], frozen: string[] = []) => ({ id, kind, label: id, trains, frozen, teachers: {}, stages: [], augmentShift: 0 });

/** Born-again generations: gen2 learns from the ensemble of gen0 and gen1; the ensemble of all three is a result. */
const plan = {
  models: [
    { id: 'gen0', label: 'Gen 0', role: 'teacher' },
    { id: 'gen1', label: 'Gen 1', role: 'assistant' },
    { id: 'gen2', label: 'Gen 2', role: 'student' },
  ],
  phases: [phase('teacher:gen0', 'teacher', ['gen0']), phase('distill:gen1', 'student', ['gen1'], ['gen0']), phase('distill:gen2', 'student', ['gen2'], ['gen0', 'gen1'])],
  ensembles: [{ id: 'pair', label: 'Gens 0 + 1', members: ['gen0', 'gen1'] }, { id: 'all', label: 'All', members: ['gen0', 'gen1', 'gen2'] }],
} as unknown as TrainingPlan;

const model = (modelId: string, label: string, testAccuracy: number): ModelResult => ({
  modelId, label, role: 'teacher', testAccuracy, validationAccuracy: 0.9, trainAccuracy: 0.9, params: 10, bytes: 40, flops: 10, epochs: 1,
  trainingSeconds: 1, inferenceMsPerSample: 0.1, seed: 1,
});
const pair: EnsembleResult = { ensembleId: 'pair', label: 'Gens 0 + 1', members: ['gen0', 'gen1'], testAccuracy: 0.95, validationAccuracy: 0.94, params: 20 };
const results = (models: ModelResult[], ensembles?: EnsembleResult[]): ExperimentResults => ({
  resultsVersion: 2, experimentName: 'BAN', backend: 'cpu', datasetId: 'mnist', trainCount: 1, testCount: 1, models, distillations: [],
  ...(ensembles === undefined ? {} : { ensembles }), finishedAt: '',
});

describe('ensembleRows', () => {
  it('lists the plan\'s ensembles with their members, selected when the run trains every member, against the best member', () => {
    const rows = ensembleRows(plan, { teacher: true, baseline: false, student: false }, results([model('gen0', 'Gen 0', 0.93), model('gen1', 'Gen 1', 0.94)], [pair]));
    expect(rows.map((row) => [row.testId, row.label, row.members, row.selected, row.result?.testAccuracy ?? null, row.bestMemberAccuracy])).toEqual([
      ['ensemble', 'Gens 0 + 1', ['Gen 0', 'Gen 1'], false, 0.95, 0.94],
      ['ensemble-2', 'All', ['Gen 0', 'Gen 1', 'Gen 2'], false, null, null],
    ]);
    expect(ensembleRows(plan, null, null).map((row) => row.selected)).toEqual([true, true]);
  });

  it('shows the results\' ensembles alone without a plan (after a reload), and none for results from before ensembles', () => {
    const rows = ensembleRows(null, null, results([model('gen0', 'Gen 0', 0.9)], [pair]));
    expect(rows.map((row) => [row.ensembleId, row.members, row.bestMemberAccuracy])).toEqual([['pair', ['Gen 0', 'gen1'], null]]);
    expect(ensembleRows(null, null, results([]))).toEqual([]);
  });
});

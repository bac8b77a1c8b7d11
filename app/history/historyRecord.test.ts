import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExperimentFile } from '../../src/graph/schema';
import type { EpochMetrics } from '../../src/protocol';
import { RESULTS_VERSION, type ExperimentResults, type ModelResult } from '../../src/results';
import { initialRunData, type RunData } from '../store/runSlice';
import { historyRunOf, recordBytes, runSummary, sortedRuns, type HistoryRun } from './historyRecord';
import { overlayAccuracyRows, overlayLossRows } from './compareData';

const experiment = JSON.parse(readFileSync(new URL('../../public/presets/hinton-mnist.json', import.meta.url), 'utf8')) as ExperimentFile;

function model(modelId: string, role: ModelResult['role'], testAccuracy: number, seed: number): ModelResult {
  return {
    modelId, label: modelId, role, testAccuracy, validationAccuracy: testAccuracy, trainAccuracy: testAccuracy,
    params: 1, bytes: 4, flops: 1, epochs: 1, trainingSeconds: 1, inferenceMsPerSample: 0.1, seed,
  };
}

const results: ExperimentResults = {
  resultsVersion: RESULTS_VERSION, experimentName: experiment.name, backend: 'wasm', datasetId: 'mnist',
  trainCount: 256, testCount: 128, finishedAt: '2026-01-01T00:00:00.000Z',
  models: [model('teacher', 'teacher', 0.97, 1), model('student/baseline', 'baseline', 0.9, 7), model('student', 'student', 0.93, 7)],
  distillations: [{ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline', compressionRatio: 3, accuracyDrop: 0.04, distillationGain: 0.03 }],
};

const epoch = (modelId: string, kind: EpochMetrics['kind'], testAccuracy: number): EpochMetrics => ({
  type: 'epoch', phaseId: kind, kind, modelId, stageIndex: 0, epoch: 1, trainAccuracy: testAccuracy, validationAccuracy: testAccuracy, testAccuracy,
});

function finishedRun(overrides: Partial<RunData> = {}): RunData {
  return {
    ...initialRunData(), status: 'finished', runId: 'run-1', startedAt: 1000, results,
    backend: { name: 'wasm', reason: 'asked for' },
    epochMetrics: { student: [epoch('student', 'student', 0.8), epoch('student', 'student', 0.93)], teacher: [epoch('teacher', 'teacher', 0.97)] },
    lossSeries: { student: { phaseId: 'student', kind: 'student', label: 'Student', stride: 1, points: [{ step: 1, epoch: 1, total: 2, terms: {}, metrics: {} }] } },
    ...overrides,
  };
}

describe('historyRunOf', () => {
  it('keeps finished and stopped runs with their graph, seeds, curves and results', () => {
    const record = historyRunOf(finishedRun(), experiment, 5000)!;
    expect(record).toMatchObject({ id: 'run-1', name: experiment.name, notes: '', status: 'finished', startedAt: 1000, endedAt: 5000, results });
    expect(record.seeds).toEqual({ teacher: 1, 'student/baseline': 7, student: 7 });
    expect(record.experiment).toBe(experiment);
    expect(historyRunOf(finishedRun({ status: 'stopped', results: null }), experiment, 5000)?.seeds).toEqual({});
  });

  it('keeps nothing of runs still going, failed, or restored without an id', () => {
    for (const status of ['running', 'paused', 'error', 'idle'] as const) expect(historyRunOf(finishedRun({ status }), experiment, 1)).toBeNull();
    expect(historyRunOf(finishedRun({ runId: null }), experiment, 1)).toBeNull();
  });
});

describe('runSummary', () => {
  it('reads teacher, baseline and distilled accuracy and the gain of the headline distillation', () => {
    const summary = runSummary(historyRunOf(finishedRun(), experiment, 2)!);
    expect(summary).toMatchObject({ backend: 'wasm', teacherAccuracy: 0.97, baselineAccuracy: 0.9, distilledAccuracy: 0.93, gain: 0.03 });
  });

  it('leaves numbers empty for a run stopped before any model finished', () => {
    const summary = runSummary(historyRunOf(finishedRun({ status: 'stopped', results: null }), experiment, 2)!);
    expect(summary).toMatchObject({ backend: 'wasm', teacherAccuracy: null, baselineAccuracy: null, distilledAccuracy: null, gain: null });
  });
});

describe('history helpers', () => {
  const first = historyRunOf(finishedRun(), experiment, 2)!;
  const second: HistoryRun = { ...first, id: 'run-2', startedAt: 3000, lossSeries: { s: { ...first.lossSeries.student, points: [{ step: 2, epoch: 1, total: 1, terms: {}, metrics: {} }] } } };

  it('sorts newest first and sizes a record by its JSON', () => {
    expect(sortedRuns([first, second]).map((run) => run.id)).toEqual(['run-2', 'run-1']);
    expect(recordBytes(first)).toBe(JSON.stringify(first).length);
    expect(recordBytes({ ...first, notes: 'é' })).toBe(recordBytes(first) + 2);
  });

  it('overlays each run\'s headline student accuracy per epoch and distillation loss per step', () => {
    expect(overlayAccuracyRows([first, { ...second, epochMetrics: { student: [epoch('student', 'student', 0.5)] } }]))
      .toEqual([{ epoch: 1, 'run-1': 80, 'run-2': 50 }, { epoch: 2, 'run-1': 93 }]);
    expect(overlayLossRows([second, first])).toEqual([{ step: 1, 'run-1': 2 }, { step: 2, 'run-2': 1 }]);
  });
});

import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ExperimentResults, ModelResult } from '../../src/results';
import { MemoryStorage } from './memoryStorage';
import { recordParamRun, startParamSweep } from '../run/paramSweep';
import { closeRunJournal, journalNotice, readRunJournal, RUN_JOURNAL_KEY, startRunJournal, type JournalSource } from './runJournal';

const model = (modelId: string, role: ModelResult['role'], testAccuracy: number): ModelResult => ({
  modelId, label: modelId, role, testAccuracy, validationAccuracy: testAccuracy, trainAccuracy: 0.9, params: 100, bytes: 400, flops: 200,
  epochs: 1, trainingSeconds: 3, inferenceMsPerSample: 0.1, seed: 1,
});

const results: ExperimentResults = {
  resultsVersion: 2, experimentName: 'Hinton KD', backend: 'wasm', datasetId: 'mnist', trainCount: 256, testCount: 128,
  models: [model('teacher', 'teacher', 0.9), model('student/baseline', 'baseline', 0.8), model('student', 'student', 0.82)],
  distillations: [{ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline', compressionRatio: 2, accuracyDrop: null, distillationGain: 0.02 }],
  finishedAt: '2026-12-05T03:00:00.000Z',
};

describe('run journal: parameter sweeps', () => {
  it('keeps a cut-off sweep\'s finished runs and marks it stopped once reported', () => {
    const store = createStore<JournalSource>()(() => ({ experiment: { name: 'Hinton KD' }, run: { status: 'idle', startedAt: null, results: null, sweep: null } }));
    const storage = new MemoryStorage();
    const stop = startRunJournal(store, storage, new EventTarget());
    const firstDone = recordParamRun(startParamSweep('Hinton KD', [{ label: 'KD: T', symbol: 'T', values: [2, 8, 20] }], [[2], [8], [20]]), results, 30);
    store.setState({ run: { status: 'running', startedAt: 2_000, results: null, sweep: null, paramSweep: firstDone } });
    stop();
    const journal = readRunJournal(storage)!;
    expect(journal.paramSweep).toEqual(firstDone);
    expect(journalNotice(journal)).toMatch(/^The page was closed while run 2 of 3 \(T = 8\) of "Hinton KD" was training .* The sweep's 1 finished run is shown\./);
    closeRunJournal(journal, storage);
    expect(readRunJournal(storage)!.paramSweep).toEqual({ ...firstDone, state: 'stopped' });
  });

  it('drops a journal whose stored sweep is malformed', () => {
    const storage = new MemoryStorage();
    storage.setItem(RUN_JOURNAL_KEY, JSON.stringify({ experimentName: 'X', status: 'stopped', startedAt: 1, results: null, paramSweep: { experimentName: 'X', axes: [] } }));
    expect(readRunJournal(storage)).toBeNull();
    expect(storage.getItem(RUN_JOURNAL_KEY)).toBeNull();
  });
});

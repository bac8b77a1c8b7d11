import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ExperimentResults, ModelResult } from '../../src/results';
import { MemoryStorage } from './memoryStorage';
import { recordSeedRun, startSweep } from '../run/seedSweep';
import { closeRunJournal, journalNotice, readRunJournal, RUN_JOURNAL_KEY, startRunJournal, type JournalSource } from './runJournal';

const measured = { trainAccuracy: 0.9, params: 100, bytes: 400, flops: 200, epochs: 1, trainingSeconds: 3, inferenceMsPerSample: 0.1, seed: 1 };

const model = (modelId: string, role: ModelResult['role'], testAccuracy: number): ModelResult => ({
  modelId, label: modelId, role, ...measured, testAccuracy, validationAccuracy: testAccuracy,
});

const afterTeacher: ExperimentResults = {
  resultsVersion: 2, experimentName: 'Hinton KD', backend: 'webgl', datasetId: 'mnist', trainCount: 256, testCount: 128,
  models: [model('teacher', 'teacher', 0.9)],
  distillations: [{ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline', compressionRatio: 2, accuracyDrop: null, distillationGain: null }],
  finishedAt: '2026-12-03T03:00:00.000Z',
};

const withStudents = (baseline: number, student: number): ExperimentResults => ({
  ...afterTeacher,
  models: [...afterTeacher.models, { ...model('student/baseline', 'baseline', baseline), baselineOf: 'student' }, model('student', 'student', student)],
});

function journaledStore() {
  const store = createStore<JournalSource>()(() => ({
    experiment: { name: 'Hinton KD' },
    run: { status: 'idle', startedAt: null, results: null, sweep: null },
  }));
  const storage = new MemoryStorage();
  const window = new EventTarget();
  const stop = startRunJournal(store, storage, window);
  const leave = (): boolean => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };
  return { store, storage, leave, stop };
}

describe('run journal', () => {
  it('follows a run: started, results after each model, finished; asks before leaving only while it runs', () => {
    const { store, storage, leave, stop } = journaledStore();
    expect(leave()).toBe(false);
    expect(readRunJournal(storage)).toBeNull();

    store.setState({ run: { status: 'running', startedAt: 1_000, results: null, sweep: null } });
    expect(readRunJournal(storage)).toEqual({ experimentName: 'Hinton KD', status: 'running', startedAt: 1_000, results: null, sweep: null });
    expect(journalNotice(readRunJournal(storage)!)).toMatch(/^The page was closed while "Hinton KD" was training .* No model had finished yet\./);
    expect(leave()).toBe(true);

    store.setState({ run: { status: 'running', startedAt: 1_000, results: afterTeacher, sweep: null } });
    const midRun = readRunJournal(storage)!;
    expect(midRun.results).toEqual(afterTeacher);
    expect(journalNotice(midRun)).toContain('The results of the models it had finished are shown.');

    store.setState({ run: { status: 'finished', startedAt: 1_000, results: afterTeacher, sweep: null } });
    expect(journalNotice(readRunJournal(storage)!)).toBeNull();
    expect(leave()).toBe(false);

    stop();
    store.setState({ run: { status: 'running', startedAt: 2_000, results: null, sweep: null } });
    expect(readRunJournal(storage)!.startedAt).toBe(1_000);
    expect(leave()).toBe(false);
  });

  it('reports an interrupted run once', () => {
    const storage = new MemoryStorage();
    storage.setItem(RUN_JOURNAL_KEY, JSON.stringify({ experimentName: 'X', status: 'paused', startedAt: 5, results: afterTeacher }));
    const journal = readRunJournal(storage)!;
    expect(journalNotice(journal)).not.toBeNull();
    closeRunJournal(journal, storage);
    expect(readRunJournal(storage)).toEqual({ ...journal, status: 'stopped' });
    expect(journalNotice(readRunJournal(storage)!)).toBeNull();
  });

  it('keeps a seed sweep: the seeds that finished come back and the cut-off sweep is marked stopped', () => {
    const { store, storage, stop } = journaledStore();
    const firstSeedDone = recordSeedRun(startSweep('Hinton KD', 1, 3), withStudents(0.8, 0.82), 120);
    store.setState({ run: { status: 'running', startedAt: 1_000, results: null, sweep: startSweep('Hinton KD', 1, 3) } });
    store.setState({ run: { status: 'running', startedAt: 2_000, results: null, sweep: firstSeedDone } });
    stop();
    const journal = readRunJournal(storage)!;
    expect(journal.sweep).toEqual(firstSeedDone);
    expect(journalNotice(journal)).toMatch(/^The page was closed while seed 2 of 3 of "Hinton KD" was training .* The seed that finished before it is shown\./);
    closeRunJournal(journal, storage);
    expect(readRunJournal(storage)!.sweep).toEqual({ ...firstSeedDone, state: 'stopped' });
  });

  it('upgrades results stored by the first format, which knew one teacher, baseline and student', () => {
    const storage = new MemoryStorage();
    const v1Model = { ...measured, testAccuracy: 0.9, validationAccuracy: 0.9 };
    const v1 = {
      experimentName: 'Hinton KD', backend: 'webgl', datasetId: 'mnist', trainCount: 256, testCount: 128,
      teacher: v1Model, baseline: null, student: null, compressionRatio: 2, accuracyDrop: null, distillationGain: null, finishedAt: '2026-12-03T03:00:00.000Z',
    };
    const v1Sweep = { ...startSweep('Hinton KD', 1, 2), finished: [{ seed: 1, results: { ...v1, baseline: v1Model, student: v1Model }, seconds: 10 }] };
    storage.setItem(RUN_JOURNAL_KEY, JSON.stringify({ experimentName: 'Hinton KD', status: 'paused', startedAt: 5, results: v1, sweep: v1Sweep }));
    const journal = readRunJournal(storage)!;
    expect(journal.results?.resultsVersion).toBe(2);
    expect(journal.results?.models.map((m) => [m.modelId, m.role])).toEqual([['teacher', 'teacher']]);
    expect(journal.sweep?.finished[0].results.models.map((m) => m.modelId)).toEqual(['teacher', 'student/baseline', 'student']);
    expect(journalNotice(journal)).toContain('The results of the models it had finished are shown.');
  });

  it('drops a journal it cannot read instead of showing half of it', () => {
    const storage = new MemoryStorage();
    for (const text of [
      '{"experimentName": "X", "status": "running", ',
      JSON.stringify({ experimentName: 'X', status: 'running', startedAt: 5, results: { ...afterTeacher, models: [{ ...afterTeacher.models[0], testAccuracy: '90%' }] } }),
      JSON.stringify({ experimentName: 'X', status: 'running', startedAt: 5, results: { ...afterTeacher, resultsVersion: 3 } }),
      JSON.stringify({ experimentName: 'X', status: 'running', results: null }),
      JSON.stringify({ experimentName: 'X', status: 'running', startedAt: 5, results: null, sweep: { ...startSweep('X', 1, 2), finished: [{ seed: 1, results: { teacher: 1 } }] } }),
    ]) {
      storage.setItem(RUN_JOURNAL_KEY, text);
      expect(readRunJournal(storage)).toBeNull();
      expect(storage.getItem(RUN_JOURNAL_KEY)).toBeNull();
    }
  });
});

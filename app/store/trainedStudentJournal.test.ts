import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { TrainedModel } from '../../src/protocol';
import type { KeyValueStore } from '../../workers/keyValueStore';
import { restoreTrainedStudent, startTrainedStudentJournal, type SavedStudent, type TrainedStudentSource } from './trainedStudentJournal';

/** IndexedDB's role played by a Map (the e2e export test covers the real database across a reload). */
class MemoryKeyValueStore<T> implements KeyValueStore<T> {
  readonly items = new Map<string, T>();
  puts = 0;
  failPuts = false;
  /** When set, reads wait for this promise (to start a run while a restore is reading). */
  readGate: Promise<void> | null = null;
  async get(key: string): Promise<T | null> {
    if (this.readGate) await this.readGate;
    return this.items.get(key) ?? null;
  }
  put(key: string, value: T): Promise<void> {
    if (this.failPuts) return Promise.reject(new Error('QuotaExceededError'));
    this.puts += 1;
    this.items.set(key, value);
    return Promise.resolve();
  }
}

const trained = (units: number): TrainedModel => ({
  experimentName: 'Tiny student',
  spec: { name: 'student', inputShape: [28, 28, 1], layers: [{ kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units }] },
  datasetId: 'mnist',
  weights: [{ layerId: 'logits', tensors: [{ shape: [784, units], values: new Float32Array(784 * units).fill(0.5) }, { shape: [units], values: new Float32Array(units) }] }],
});

function journaled() {
  const store = createStore<TrainedStudentSource>()(() => ({ run: { startedAt: null, trainedModels: {}, restored: null } }));
  const database = new MemoryKeyValueStore<SavedStudent>();
  const failures: string[] = [];
  const stop = startTrainedStudentJournal(store, database, (message) => failures.push(message));
  return { store, database, failures, stop };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('trained student journal', () => {
  it('stores each newly trained student with its run\'s start time, and nothing else', async () => {
    const { store, database, stop } = journaled();
    store.setState({ run: { startedAt: 1_000, trainedModels: { baseline: trained(10) }, restored: null } });
    await flush();
    expect(database.items.size).toBe(0);
    const student = trained(10);
    store.setState({ run: { startedAt: 1_000, trainedModels: { baseline: trained(10), student }, restored: null } });
    await flush();
    expect(database.items.get('last-student')).toEqual({ runStartedAt: 1_000, model: student });
    stop();
    store.setState({ run: { startedAt: 2_000, trainedModels: { student: trained(10) }, restored: null } });
    await flush();
    expect(database.items.get('last-student')?.runStartedAt).toBe(1_000);
  });

  it('restores the student only with the results of the run that trained it', async () => {
    const { store, database } = journaled();
    const student = trained(10);
    await database.put('last-student', { runStartedAt: 1_000, model: student });
    store.setState({ run: { startedAt: null, trainedModels: {}, restored: { notice: null } } });

    expect(await restoreTrainedStudent(store, database, 2_000)).toBe(false);
    expect(store.getState().run.trainedModels.student).toBeUndefined();
    expect(await restoreTrainedStudent(store, database, 1_000)).toBe(true);
    expect(store.getState().run.trainedModels.student).toEqual(student);
    // Restoring is not a new training: it is not written back.
    await flush();
    expect(database.puts).toBe(1);
  });

  it('leaves a run started while the database was read alone, and ignores a record of another shape', async () => {
    const { store, database } = journaled();
    await database.put('last-student', { runStartedAt: 1_000, model: trained(10) });
    store.setState({ run: { startedAt: null, trainedModels: {}, restored: { notice: null } } });
    let open = (): void => undefined;
    database.readGate = new Promise((resolve) => { open = resolve; });
    const restoring = restoreTrainedStudent(store, database, 1_000);
    // A new run clears `restored` (runController starts from initialRunData()).
    store.setState({ run: { startedAt: 5_000, trainedModels: {}, restored: null } });
    open();
    expect(await restoring).toBe(false);
    expect(store.getState().run.trainedModels.student).toBeUndefined();
    database.readGate = null;

    store.setState({ run: { startedAt: null, trainedModels: {}, restored: { notice: null } } });
    for (const model of [{ spec: { name: 'x' }, weights: 'not weights' }, { ...trained(10), weights: [null] }, { ...trained(10), experimentName: undefined }]) {
      database.items.set('last-student', { runStartedAt: 1_000, model } as unknown as SavedStudent);
      expect(await restoreTrainedStudent(store, database, 1_000)).toBe(false);
    }
    expect(store.getState().run.trainedModels.student).toBeUndefined();
  });

  it('says when the student cannot be stored, and that it can still be exported now', async () => {
    const { store, database, failures } = journaled();
    database.failPuts = true;
    store.setState({ run: { startedAt: 1_000, trainedModels: { student: trained(10) }, restored: null } });
    await flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('QuotaExceededError');
    expect(failures[0]).toContain('can be exported now');
  });
});

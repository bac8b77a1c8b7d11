import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { TrainedModel } from '../../src/protocol';
import type { KeyValueStore } from '../../workers/keyValueStore';
import { restoreTrainedStudent, startTrainedStudentJournal, type SavedModels, type TrainedStudentSource } from './trainedStudentJournal';

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
  delete(key: string): Promise<void> {
    this.items.delete(key);
    return Promise.resolve();
  }
}

const trained = (units: number, modelId = 'student', role: TrainedModel['role'] = 'student'): TrainedModel => ({
  modelId,
  label: modelId,
  role,
  experimentName: 'Tiny student',
  spec: { name: 'student', inputShape: [28, 28, 1], layers: [{ kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units }] },
  datasetId: 'mnist',
  weights: [{ layerId: 'logits', tensors: [{ shape: [784, units], values: new Float32Array(784 * units).fill(0.5) }, { shape: [units], values: new Float32Array(units) }] }],
});

function journaled() {
  const store = createStore<TrainedStudentSource>()(() => ({ run: { startedAt: null, trainedModels: {}, restored: null } }));
  const database = new MemoryKeyValueStore<SavedModels>();
  const failures: string[] = [];
  const stop = startTrainedStudentJournal(store, database, (message) => failures.push(message));
  return { store, database, failures, stop };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const KEY = 'last-run-models';

describe('trained model journal', () => {
  it('stores the run\'s trained models keyed by model id with its start time, and nothing else', async () => {
    const { store, database, stop } = journaled();
    store.setState({ run: { startedAt: null, trainedModels: { student: trained(10) }, restored: null } });
    await flush();
    expect(database.items.size).toBe(0);
    const baseline = trained(10, 'student/baseline', 'baseline');
    store.setState({ run: { startedAt: 1_000, trainedModels: { 'student/baseline': baseline }, restored: null } });
    await flush();
    const student = trained(10);
    store.setState({ run: { startedAt: 1_000, trainedModels: { 'student/baseline': baseline, student }, restored: null } });
    await flush();
    expect(database.items.get(KEY)).toEqual({ runStartedAt: 1_000, models: { 'student/baseline': baseline, student } });
    expect(database.puts).toBe(2);
    stop();
    store.setState({ run: { startedAt: 2_000, trainedModels: { student: trained(10) }, restored: null } });
    await flush();
    expect(database.items.get(KEY)?.runStartedAt).toBe(1_000);
  });

  it('restores the models only with the results of the run that trained them', async () => {
    const { store, database } = journaled();
    const models = { 'peer-a': trained(10, 'peer-a', 'peer'), 'peer-b': trained(12, 'peer-b', 'peer') };
    await database.put(KEY, { runStartedAt: 1_000, models });
    store.setState({ run: { startedAt: null, trainedModels: {}, restored: { notice: null } } });

    expect(await restoreTrainedStudent(store, database, 2_000)).toBe(false);
    expect(store.getState().run.trainedModels).toEqual({});
    expect(await restoreTrainedStudent(store, database, 1_000)).toBe(true);
    expect(store.getState().run.trainedModels).toEqual(models);
    // Restoring is not a new training: it is not written back.
    await flush();
    expect(database.puts).toBe(1);
  });

  it('leaves a run started while the database was read alone, and ignores a record of another shape', async () => {
    const { store, database } = journaled();
    await database.put(KEY, { runStartedAt: 1_000, models: { student: trained(10) } });
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
    const { modelId: _modelId, ...withoutId } = trained(10);
    for (const model of [{ spec: { name: 'x' }, weights: 'not weights' }, { ...trained(10), weights: [null] }, { ...trained(10), experimentName: undefined },
      withoutId, trained(10, 'another-id')]) {
      database.items.set(KEY, { runStartedAt: 1_000, models: { student: model } } as unknown as SavedModels);
      expect(await restoreTrainedStudent(store, database, 1_000)).toBe(false);
    }
    // The single record of the first format (one student, no model id) is not read either.
    database.items.set(KEY, { runStartedAt: 1_000, model: trained(10) } as unknown as SavedModels);
    expect(await restoreTrainedStudent(store, database, 1_000)).toBe(false);
    expect(store.getState().run.trainedModels.student).toBeUndefined();
  });

  it('says when the models cannot be stored, and that they can still be exported now', async () => {
    const { store, database, failures } = journaled();
    database.failPuts = true;
    store.setState({ run: { startedAt: 1_000, trainedModels: { student: trained(10) }, restored: null } });
    await flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('QuotaExceededError');
    expect(failures[0]).toContain('can be exported now');
  });
});

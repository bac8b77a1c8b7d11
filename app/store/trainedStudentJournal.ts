/**
 * The trained models of the last run (students, assistants, peers, baselines: every model but the
 * teachers), kept in IndexedDB keyed by model id (their weights are megabytes, too much for
 * localStorage) together with the start time of their run. After a reload the export panel can
 * export them again without training: they come back with the run journal's results of the same
 * run (app/store/runJournal.ts), never paired with another run's.
 */
import type { StoreApi } from 'zustand';
import { errorMessage } from '../../src/errorMessage';
import { storeTextsNow } from './storeTexts';
import { storeTexts } from '../i18n/catalogs/store';
import type { TrainedModel } from '../../src/protocol';
import { keyValueStore, type KeyValueStore } from '../../workers/keyValueStore';
import type { RunData } from './runSlice';

export interface SavedModels {
  /** `run.startedAt` of the run that trained them; matched against the run journal's. */
  runStartedAt: number;
  /** Keyed by model id. */
  models: Record<string, TrainedModel>;
}

/** One record: each new model of a run rewrites it, so models of an older run never linger beside it. */
const LAST_RUN_KEY = 'last-run-models';

export function trainedStudentDatabase(): KeyValueStore<SavedModels> {
  return keyValueStore<SavedModels>('distillation-studio-runs', 'trained-students');
}

/** The slice of the store this journal reads and writes; the whole studio store satisfies it. */
export interface TrainedStudentSource {
  run: Pick<RunData, 'startedAt' | 'trainedModels' | 'restored'>;
}

/** Saves the run's trained models whenever one is added. Returns the function that stops saving. */
export function startTrainedStudentJournal(
  store: StoreApi<TrainedStudentSource>,
  database: KeyValueStore<SavedModels>,
  reportFailure: (message: string) => void,
): () => void {
  return store.subscribe((state, previous) => {
    const models = state.run.trainedModels;
    if (models === previous.run.trainedModels || Object.keys(models).length === 0 || state.run.startedAt === null) return;
    database.put(LAST_RUN_KEY, { runStartedAt: state.run.startedAt, models }).catch((error: unknown) => {
      reportFailure(storeTextsNow(storeTexts).studentsNotStored(errorMessage(error)));
    });
  });
}

const isTrainedModel = (value: unknown, modelId: string): value is TrainedModel => {
  const model = value as Partial<TrainedModel> | null;
  return typeof model === 'object' && model !== null && model.modelId === modelId && typeof model.label === 'string'
    && typeof model.role === 'string' && typeof model.experimentName === 'string'
    && typeof model.datasetId === 'string' && Array.isArray(model.spec?.layers) && Array.isArray(model.weights)
    && model.weights.every((layer: Partial<TrainedModel['weights'][number]> | null) => typeof layer?.layerId === 'string'
      && Array.isArray(layer.tensors)
      && layer.tensors.every((tensor) => Array.isArray(tensor?.shape) && tensor.values instanceof Float32Array));
};

const isSavedModels = (value: unknown): value is SavedModels => {
  const saved = value as Partial<SavedModels> | null;
  return typeof saved === 'object' && saved !== null && typeof saved.runStartedAt === 'number'
    && typeof saved.models === 'object' && saved.models !== null
    && Object.entries(saved.models).every(([modelId, model]) => isTrainedModel(model, modelId));
};

/**
 * Puts the stored models of the run that started at `runStartedAt` back into the store, if there
 * are some and no new run has begun meanwhile. Unreadable storage or a record of another shape is
 * ignored: the results are shown either way, only the export needs a new run.
 */
export async function restoreTrainedStudent(
  store: StoreApi<TrainedStudentSource>,
  database: KeyValueStore<SavedModels>,
  runStartedAt: number,
): Promise<boolean> {
  let saved: SavedModels | null;
  try {
    saved = await database.get(LAST_RUN_KEY);
  } catch {
    return false;
  }
  if (!isSavedModels(saved) || saved.runStartedAt !== runStartedAt || Object.keys(saved.models).length === 0) return false;
  const models = saved.models;
  // `restored` is cleared when a run starts; then that run's models win.
  if (store.getState().run.restored === null) return false;
  store.setState((state) => ({ run: { ...state.run, trainedModels: { ...models, ...state.run.trainedModels } } }));
  return true;
}

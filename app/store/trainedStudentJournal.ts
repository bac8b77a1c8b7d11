/**
 * The last trained student, kept in IndexedDB (its weights are megabytes, too much for
 * localStorage) together with the start time of its run. After a reload the export panel can
 * export it again without training: it comes back with the run journal's results of the same run
 * (app/store/runJournal.ts), never paired with another run's.
 */
import type { StoreApi } from 'zustand';
import { errorMessage } from '../../src/errorMessage';
import type { TrainedModel } from '../../src/protocol';
import { keyValueStore, type KeyValueStore } from '../../workers/keyValueStore';
import type { RunData } from './runSlice';

export interface SavedStudent {
  /** `run.startedAt` of the run that trained it; matched against the run journal's. */
  runStartedAt: number;
  model: TrainedModel;
}

const LAST_STUDENT_KEY = 'last-student';

export function trainedStudentDatabase(): KeyValueStore<SavedStudent> {
  return keyValueStore<SavedStudent>('distillation-studio-runs', 'trained-students');
}

/** The slice of the store this journal reads and writes; the whole studio store satisfies it. */
export interface TrainedStudentSource {
  run: Pick<RunData, 'startedAt' | 'trainedModels' | 'restored'>;
}

/** Saves each newly trained student. Returns the function that stops saving. */
export function startTrainedStudentJournal(
  store: StoreApi<TrainedStudentSource>,
  database: KeyValueStore<SavedStudent>,
  reportFailure: (message: string) => void,
): () => void {
  return store.subscribe((state, previous) => {
    const model = state.run.trainedModels.student;
    if (!model || model === previous.run.trainedModels.student || state.run.startedAt === null) return;
    database.put(LAST_STUDENT_KEY, { runStartedAt: state.run.startedAt, model }).catch((error: unknown) => {
      reportFailure(`The trained student could not be stored for after a reload (${errorMessage(error)}). ` +
        'It can be exported now; after closing the page it would need another run.');
    });
  });
}

const isTrainedModel = (value: unknown): value is TrainedModel => {
  const model = value as Partial<TrainedModel> | null;
  return typeof model === 'object' && model !== null && typeof model.experimentName === 'string'
    && typeof model.datasetId === 'string' && Array.isArray(model.spec?.layers) && Array.isArray(model.weights)
    && model.weights.every((layer: Partial<TrainedModel['weights'][number]> | null) => typeof layer?.layerId === 'string'
      && Array.isArray(layer.tensors)
      && layer.tensors.every((tensor) => Array.isArray(tensor?.shape) && tensor.values instanceof Float32Array));
};

/**
 * Puts the stored student of the run that started at `runStartedAt` back into the store, if there
 * is one and no new run has begun meanwhile. Unreadable storage or a record of another shape is
 * ignored: the results are shown either way, only the export needs a new run.
 */
export async function restoreTrainedStudent(
  store: StoreApi<TrainedStudentSource>,
  database: KeyValueStore<SavedStudent>,
  runStartedAt: number,
): Promise<boolean> {
  let saved: SavedStudent | null;
  try {
    saved = await database.get(LAST_STUDENT_KEY);
  } catch {
    return false;
  }
  if (saved === null || saved.runStartedAt !== runStartedAt || !isTrainedModel(saved.model)) return false;
  const model = saved.model;
  // `restored` is cleared when a run starts; then that run's models win.
  if (store.getState().run.restored === null) return false;
  store.setState((state) => ({ run: { ...state.run, trainedModels: { ...state.run.trainedModels, student: model } } }));
  return true;
}

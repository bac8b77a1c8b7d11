/**
 * The experiment as the user last opened or saved it (a preset, a file, a link), kept in
 * localStorage beside the autosave. The graph on screen differs from it exactly when it holds work
 * that exists nowhere else, and opening something else then asks first.
 */
import type { ExperimentFile } from '../../src/graph/schema';
import { serializeExperiment } from '../../src/graph/serialize';

const KEPT_KEY = 'distillation-studio.kept.v1';

export function markKept(file: ExperimentFile, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEPT_KEY, serializeExperiment(file));
  } catch {
    // Storage unavailable (private mode, quota): every graph then counts as unsaved, so we ask.
  }
}

/** True when `file` holds edits that were not opened or saved as they are; an empty graph has none. */
export function hasUnkeptChanges(file: ExperimentFile, storage: Storage | undefined = globalThis.localStorage): boolean {
  if (file.nodes.length === 0) return false;
  try {
    return storage === undefined || storage.getItem(KEPT_KEY) !== serializeExperiment(file);
  } catch {
    return true;
  }
}

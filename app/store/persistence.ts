/**
 * Persistence is declared per store key: only the experiment autosaves (to localStorage,
 * debounced, flushed when the page hides). History, UI state and the run's live data are not
 * persisted; the run journal (runJournal.ts) keeps the last run's status and results. A corrupt
 * autosave is reported and left out, never half-loaded.
 */
import type { StoreApi } from 'zustand';
import type { ExperimentFile } from '../../src/graph/schema';
import { parseExperiment, serializeExperiment } from '../../src/graph/serialize';
import type { StudioState } from './index';
import { errorMessage } from '../../src/errorMessage';
import { fileErrorText } from '../i18n/fileProblemText';
import { storeLanguageNow, storeTextsNow } from './storeTexts';
import { storeTexts } from '../i18n/catalogs/store';

export interface PersistedKey<K extends keyof StudioState> {
  key: K;
  storageKey: string;
  debounceMs: number;
  save: (value: StudioState[K]) => string;
  /** Parses stored text; throws with a message a user can act on. */
  restore: (text: string) => StudioState[K];
}

export const experimentPersistence: PersistedKey<'experiment'> = {
  key: 'experiment',
  storageKey: 'distillation-studio.experiment.v1',
  debounceMs: 400,
  save: (file) => serializeExperiment(file),
  restore: (text) => parseExperiment(text),
};

export type AutosaveRestore =
  | { status: 'none' }
  | { status: 'restored'; experiment: ExperimentFile }
  | { status: 'corrupt'; message: string };

export function readAutosave(storage: Storage = localStorage): AutosaveRestore {
  const { storageKey, restore } = experimentPersistence;
  let text: string | null;
  try {
    text = storage.getItem(storageKey);
  } catch {
    return { status: 'none' };
  }
  if (text === null) return { status: 'none' };
  try {
    return { status: 'restored', experiment: restore(text) };
  } catch (error) {
    return { status: 'corrupt', message: fileErrorText(error, storeLanguageNow()) };
  }
}

/** Moves a corrupt autosave aside (kept for inspection) so it is reported once, not on every load. */
export function quarantineAutosave(storage: Storage = localStorage): void {
  const { storageKey } = experimentPersistence;
  try {
    const text = storage.getItem(storageKey);
    if (text !== null) storage.setItem(`${storageKey}.corrupt`, text);
    storage.removeItem(storageKey);
  } catch {
    // Storage unavailable (private mode, quota): nothing to move.
  }
}

/**
 * Writes the experiment whenever it changes, at most once per debounce interval, and at once
 * when the page is hidden or unloaded (so a reload right after an edit keeps it).
 * Returns a function that stops autosaving.
 */
export function startAutosave(
  store: StoreApi<StudioState>,
  onError: (message: string) => void,
  storage: Storage = localStorage,
): () => void {
  const { key, storageKey, debounceMs, save } = experimentPersistence;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: ExperimentFile | null = null;
  let lastError: string | null = null;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending === null) return;
    const value = pending;
    pending = null;
    try {
      storage.setItem(storageKey, save(value));
      lastError = null;
    } catch (error) {
      // Report once per distinct problem: an edit in progress may be invalid for a few keystrokes.
      const message = storeTextsNow(storeTexts).autosaveSkipped(errorMessage(error));
      if (message !== lastError) onError(message);
      lastError = message;
    }
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state[key] === previous[key]) return;
    pending = state[key];
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  const onHidden = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  window.addEventListener('pagehide', flush);
  window.addEventListener('beforeunload', flush);
  document.addEventListener('visibilitychange', onHidden);
  return () => {
    flush();
    unsubscribe();
    window.removeEventListener('pagehide', flush);
    window.removeEventListener('beforeunload', flush);
    document.removeEventListener('visibilitychange', onHidden);
  };
}

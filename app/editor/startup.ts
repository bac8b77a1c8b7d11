import type { StoreApi } from 'zustand';
import type { StudioState } from '../store';
import { quarantineAutosave, readAutosave, startAutosave } from '../store/persistence';
import { closeRunJournal, journalNotice, readRunJournal, startRunJournal } from '../store/runJournal';
import { defaultPresetFile, fetchPreset } from './experimentFiles';
import { errorMessage } from '../../src/errorMessage';

/**
 * First load: the autosaved experiment if there is a valid one, else the Hinton MNIST preset.
 * A corrupt autosave is reported and ignored. The last run's results come back from the run
 * journal, with a notice when closing the page cut that run off. Autosaving and the journal start
 * once the graph is in place. Returns the function that stops both.
 */
export async function startStudio(store: StoreApi<StudioState>): Promise<() => void> {
  const { loadExperiment, pushToast } = store.getState();
  const saved = readAutosave();
  if (saved.status === 'restored') {
    loadExperiment(saved.experiment, { resetHistory: true });
  } else {
    if (saved.status === 'corrupt') {
      quarantineAutosave();
      pushToast('error', `The autosaved experiment could not be restored (${saved.message}). The MNIST preset was opened instead.`);
    }
    try {
      loadExperiment(await fetchPreset(defaultPresetFile), { resetHistory: true });
    } catch (error) {
      pushToast('error', `Could not open the default preset: ${errorMessage(error)}`);
    }
  }
  restoreLastRun(store);
  const stopAutosave = startAutosave(store, (message) => store.getState().pushToast('error', message));
  const stopJournal = startRunJournal(store, localStorage, window);
  return () => {
    stopAutosave();
    stopJournal();
  };
}

function restoreLastRun(store: StoreApi<StudioState>): void {
  const journal = readRunJournal(localStorage);
  if (journal === null) return;
  const notice = journalNotice(journal);
  if (notice === null && journal.results === null) return;
  store.setState((state) => ({ run: { ...state.run, results: journal.results, restored: { notice } } }));
  if (notice !== null) {
    store.getState().pushToast('error', notice);
    closeRunJournal(journal, localStorage);
  }
}

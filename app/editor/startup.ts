import type { StoreApi } from 'zustand';
import type { StudioState } from '../store';
import { quarantineAutosave, readAutosave, startAutosave } from '../store/persistence';
import { defaultPresetFile, fetchPreset } from './experimentFiles';
import { errorMessage } from '../../src/errorMessage';

/**
 * First load: the autosaved experiment if there is a valid one, else the Hinton MNIST preset.
 * A corrupt autosave is reported and ignored. Autosaving starts once the graph is in place.
 * Returns the function that stops autosaving.
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
  return startAutosave(store, (message) => store.getState().pushToast('error', message));
}

import { listStoredUserDatasets } from '../../workers/userDatasetStore';
import type { useStudio } from '../store';

/** Registers the datasets imported in earlier visits; without IndexedDB there are none, and nothing else changes. */
export async function startUserDatasets(store: typeof useStudio): Promise<void> {
  try {
    const infos = await listStoredUserDatasets();
    if (infos.length > 0) store.getState().addUserDatasets(infos);
  } catch (error) {
    console.warn('Imported datasets could not be read from IndexedDB:', error);
  }
}

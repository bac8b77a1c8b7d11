import { registerUserDataset, unregisterUserDataset } from '../../src/data/registry';
import type { DatasetInfo } from '../../src/data/types';
import { problemsOf } from './graphSlice';
import type { StudioSlice } from './index';

/**
 * Datasets imported from the user's images (app/datasets/), known to this page. Adding one registers
 * it in src/data's registry and re-checks the graph, since a Dataset node that named a missing one
 * was flagged before its images were read from IndexedDB.
 */
export interface UserDatasetSlice {
  userDatasets: DatasetInfo[];
  addUserDatasets: (infos: readonly DatasetInfo[]) => void;
  /** Forgets a deleted one: a Dataset node that still names it is flagged (import the images again). */
  removeUserDataset: (id: string) => void;
}

export const createUserDatasetSlice: StudioSlice<UserDatasetSlice> = (set) => ({
  userDatasets: [],
  addUserDatasets: (infos) => {
    for (const info of infos) registerUserDataset(info);
    set((state) => ({
      userDatasets: [...state.userDatasets.filter((known) => !infos.some((info) => info.id === known.id)), ...infos],
      problems: problemsOf(state.experiment),
    }));
  },
  removeUserDataset: (id) => {
    unregisterUserDataset(id);
    set((state) => ({ userDatasets: state.userDatasets.filter((known) => known.id !== id), problems: problemsOf(state.experiment) }));
  },
});

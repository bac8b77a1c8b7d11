/**
 * Opening an experiment (a preset, a file, a shared link) over the one on screen: at once when the
 * current graph has nothing unsaved, otherwise only after the user answers the replace dialog
 * (app/editor/ReplaceDialog.tsx). Either way the replaced graph stays one Undo away.
 */
import type { ExperimentFile } from '../../src/graph/schema';
import { downloadExperiment } from '../editor/experimentFiles';
import { errorMessage } from '../../src/errorMessage';
import { hasUnkeptChanges, markKept } from './keptCopy';
import type { StudioSlice } from './index';
import { storeTextsNow } from './storeTexts';
import { storeTexts } from '../i18n/catalogs/store';

export interface PendingReplace {
  experiment: ExperimentFile;
  /** Where it comes from, as the dialog names it: 'the preset list', 'the file "…"', 'the shared link'. */
  source: string;
}

export type ReplaceChoice = 'save-then-open' | 'open' | 'cancel';

export interface ReplaceSlice {
  pendingReplace: PendingReplace | null;
  /** Opens `experiment`, asking first when the current graph has unsaved edits. */
  openExperiment: (experiment: ExperimentFile, source: string, options?: { alwaysAsk?: boolean }) => void;
  resolveReplace: (choice: ReplaceChoice) => void;
  /** Downloads the current experiment as a file and remembers it as saved. */
  saveExperiment: () => void;
}

export const createReplaceSlice: StudioSlice<ReplaceSlice> = (set, get) => {
  const open = ({ experiment, source }: PendingReplace): void => {
    const { loadExperiment, setFileError, pushToast } = get();
    loadExperiment(experiment);
    markKept(experiment);
    setFileError(null);
    set({ pendingReplace: null });
    pushToast('success', storeTextsNow(storeTexts).opened(experiment.name, source));
  };

  return {
    pendingReplace: null,

    openExperiment: (experiment, source, options = {}) => {
      const current = get().experiment;
      const asks = current.nodes.length > 0 && (options.alwaysAsk === true || hasUnkeptChanges(current));
      if (asks) set({ pendingReplace: { experiment, source } });
      else open({ experiment, source });
    },

    resolveReplace: (choice) => {
      const pending = get().pendingReplace;
      if (pending === null) return;
      if (choice === 'cancel') {
        set({ pendingReplace: null });
        get().pushToast('info', storeTextsNow(storeTexts).kept(get().experiment.name, pending.experiment.name, pending.source));
        return;
      }
      if (choice === 'save-then-open') {
        get().saveExperiment();
      }
      open(pending);
    },

    saveExperiment: () => {
      const { experiment, pushToast } = get();
      try {
        downloadExperiment(experiment);
        markKept(experiment);
      } catch (error) {
        pushToast('error', storeTextsNow(storeTexts).saveFailed(errorMessage(error)));
      }
    },
  };
};

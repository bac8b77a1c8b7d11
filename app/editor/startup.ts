import type { StoreApi } from 'zustand';
import type { StudioState } from '../store';
import { quarantineAutosave, readAutosave, startAutosave } from '../store/persistence';
import { closeRunJournal, journalNotice, readRunJournal, startRunJournal } from '../store/runJournal';
import { endSweep } from '../run/seedSweep';
import { endParamSweep } from '../run/paramSweep';
import { restoreTrainedStudent, startTrainedStudentJournal, trainedStudentDatabase } from '../store/trainedStudentJournal';
import { defaultPresetFile, fetchPreset } from './experimentFiles';
import { shareCodeInFragment, takeSharedExperiment } from './shareLink';
import { markKept } from '../store/keptCopy';
import { errorMessage } from '../../src/errorMessage';
import { fileErrorText } from '../i18n/fileProblemText';
import { currentLanguage } from '../i18n/language';
import { textsNow } from '../i18n/texts';
import { editorTexts } from '../i18n/catalogs/editor';

/**
 * First load: the autosaved experiment if there is a valid one, else the Hinton MNIST preset; then
 * the experiment of a shared link in the address bar, if any (now or later, through the fragment).
 * A corrupt autosave is reported and ignored. The last run's results come back from the run
 * journal, with a notice when closing the page cut that run off. Autosaving and the journal start
 * once the graph is in place, with the store of the last trained student (for export after a
 * reload). Returns the function that stops all three.
 */
export async function startStudio(store: StoreApi<StudioState>): Promise<() => void> {
  const { loadExperiment, pushToast } = store.getState();
  const saved = readAutosave();
  if (saved.status === 'restored') {
    loadExperiment(saved.experiment, { resetHistory: true });
  } else {
    if (saved.status === 'corrupt') {
      quarantineAutosave();
      pushToast('error', textsNow(editorTexts).autosaveCorrupt(saved.message));
    }
    try {
      const preset = await fetchPreset(defaultPresetFile);
      loadExperiment(preset, { resetHistory: true });
      markKept(preset);
    } catch (error) {
      pushToast('error', textsNow(editorTexts).defaultPresetFailed(errorMessage(error)));
    }
  }
  openSharedLink(store);
  const onHashChange = () => openSharedLink(store);
  window.addEventListener('hashchange', onHashChange);
  const studentDatabase = trainedStudentDatabase();
  restoreLastRun(store, studentDatabase);
  const stopAutosave = startAutosave(store, (message) => store.getState().pushToast('error', message));
  const stopJournal = startRunJournal(store, localStorage, window);
  const stopStudentJournal = startTrainedStudentJournal(store, studentDatabase, (message) => store.getState().pushToast('error', message));
  return () => {
    window.removeEventListener('hashchange', onHashChange);
    stopAutosave();
    stopJournal();
    stopStudentJournal();
  };
}

/** Opens the experiment of a shared link in the address bar (asking first if it would replace unsaved work). */
function openSharedLink(store: StoreApi<StudioState>): void {
  const code = shareCodeInFragment(window.location.hash);
  if (code === null) return;
  try {
    store.getState().openExperiment(takeSharedExperiment(code), textsNow(editorTexts).sharedLinkSource);
  } catch (error) {
    store.getState().pushToast('error', textsNow(editorTexts).sharedLinkFailed(fileErrorText(error, currentLanguage())));
  }
}

function restoreLastRun(store: StoreApi<StudioState>, studentDatabase: ReturnType<typeof trainedStudentDatabase>): void {
  const journal = readRunJournal(localStorage);
  if (journal === null) return;
  const notice = journalNotice(journal);
  const sweep = journal.sweep ? endSweep(journal.sweep) : null;
  const paramSweep = journal.paramSweep ? endParamSweep(journal.paramSweep) : null;
  if (notice === null && journal.results === null && sweep === null && paramSweep === null) return;
  store.setState((state) => ({ run: { ...state.run, results: journal.results, sweep, paramSweep, restored: { notice } } }));
  // The trained student's weights come back too, so the export panel works without a new run.
  const trainedLearner = journal.results?.models.some((model) => model.role !== 'teacher' && model.role !== 'baseline') ?? false;
  if (trainedLearner) void restoreTrainedStudent(store, studentDatabase, journal.startedAt);
  if (notice !== null) {
    store.getState().pushToast('error', notice);
    closeRunJournal(journal, localStorage);
  }
}

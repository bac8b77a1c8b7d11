import type { StoreApi } from 'zustand';
import type { StudioState } from '../store';
import { startHistoryRecorder } from './historyRecorder';
import { configureHistory, currentHistoryDatabase, useHistory } from './historyStore';

/** Wires the history to the studio: failures become error toasts, finished runs are kept. Returns the stop function. */
export function startHistory(store: StoreApi<StudioState>): () => void {
  const reportFailure = (message: string) => store.getState().pushToast('error', message);
  configureHistory({ reportFailure });
  return startHistoryRecorder(store, currentHistoryDatabase(), (run) => useHistory.getState().added(run), reportFailure);
}

/**
 * Keeps every run that finishes or is stopped in the history. The graph is snapshotted when a run
 * starts (the editor stays usable while it trains); a seed sweep's later seeds reuse the sweep's
 * first snapshot, as the run controller trains one snapshot for the whole sweep.
 */
import type { StoreApi } from 'zustand';
import type { ExperimentFile } from '../../src/graph/schema';
import { isRunActive, type RunData } from '../store/runSlice';
import { historyFailureMessage, type HistoryDatabase } from './historyDatabase';
import { historyRunOf, type HistoryRun } from './historyRecord';

export interface HistorySource {
  experiment: ExperimentFile;
  run: RunData;
}

export function startHistoryRecorder(
  store: StoreApi<HistorySource>,
  database: HistoryDatabase,
  onStored: (run: HistoryRun) => void,
  reportFailure: (message: string) => void,
): () => void {
  let snapshot: ExperimentFile | null = null;
  return store.subscribe((state, previous) => {
    const { run } = state;
    if (run.runId !== previous.run.runId && run.runId !== null && isRunActive(run.status)) {
      const sweepGoesOn = run.sweep !== null && run.sweep.finished.length > 0 && snapshot !== null;
      if (!sweepGoesOn) snapshot = structuredClone(state.experiment);
    }
    if (snapshot === null || !isRunActive(previous.run.status) || isRunActive(run.status)) return;
    const record = historyRunOf(run, snapshot, Date.now());
    if (record === null) return;
    // Never awaited by the run: a failed write costs only the history entry.
    database.put(record).then(() => onStored(record), (error: unknown) => {
      reportFailure(historyFailureMessage({ kind: 'keep', name: record.name }, error));
    });
  });
}

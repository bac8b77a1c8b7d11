import { useMemo } from 'react';
import { formatBytes } from '../dashboard/format';
import { recordBytes } from './historyRecord';
import { HistoryCompare } from './HistoryCompare';
import { HistoryRunItem } from './HistoryRunItem';
import { useHistory } from './historyStore';
import './history.css';

/** The run bar's button that opens the history drawer. */
export function HistoryButton() {
  const open = useHistory((s) => s.open);
  return (
    <button type="button" data-testid="history-button" aria-expanded={open} onClick={() => useHistory.getState().setOpen(!open)}>
      History
    </button>
  );
}

/** Kept runs, newest first, with storage use; ticking two or more compares them below the list. */
export function HistoryPanel() {
  const open = useHistory((s) => s.open);
  const runs = useHistory((s) => s.runs);
  const loaded = useHistory((s) => s.loaded);
  const selected = useHistory((s) => s.selected);
  const storage = useHistory((s) => s.storage);
  const historyBytes = useMemo(() => runs.reduce((sum, run) => sum + recordBytes(run), 0), [runs]);
  // Oldest first, so each later run's settings are compared against the earliest one ticked.
  const compared = useMemo(
    () => runs.filter((run) => selected.includes(run.id)).sort((a, b) => a.startedAt - b.startedAt),
    [runs, selected],
  );
  if (!open) return null;

  return (
    <aside className="history-drawer" data-testid="history-panel" aria-label="Run history">
      <header className="history-drawer__head">
        <h2>History</h2>
        <button type="button" data-testid="history-close" aria-label="Close history" onClick={() => useHistory.getState().setOpen(false)}>×</button>
      </header>
      <p className="history-drawer__storage" data-testid="history-storage">
        {runs.length} {runs.length === 1 ? 'run' : 'runs'}, {formatBytes(historyBytes)}
        {storage !== null && storage.quota > 0 && ` · this site uses ${formatBytes(storage.usage)} of ${formatBytes(storage.quota)} browser storage`}
      </p>
      {loaded && runs.length === 0 && <p className="dash-panel__empty">Finished and stopped runs are kept here.</p>}
      <ul className="history-drawer__list">
        {runs.map((run) => <HistoryRunItem key={run.id} run={run} />)}
      </ul>
      {compared.length >= 2 ? <HistoryCompare runs={compared} /> : (
        runs.length >= 2 && <p className="history-drawer__hint" data-testid="history-compare-hint">Tick two or more runs to compare them.</p>
      )}
    </aside>
  );
}

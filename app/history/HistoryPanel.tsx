import { useMemo } from 'react';
import { formatBytes } from '../dashboard/format';
import { recordBytes } from './historyRecord';
import { HistoryCompare } from './HistoryCompare';
import { HistoryRunItem } from './HistoryRunItem';
import { useHistory } from './historyStore';
import { useTexts } from '../i18n/texts';
import { historyTexts } from '../i18n/catalogs/history';
import './history.css';

/** The run bar's button that opens the history drawer. */
export function HistoryButton() {
  const open = useHistory((s) => s.open);
  const tx = useTexts(historyTexts);
  return (
    <button type="button" data-testid="history-button" aria-expanded={open} onClick={() => useHistory.getState().setOpen(!open)}>
      {tx.button}
    </button>
  );
}

/** Kept runs, newest first, with storage use; ticking two or more compares them below the list. */
export function HistoryPanel() {
  const tx = useTexts(historyTexts);
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
    <aside className="history-drawer" data-testid="history-panel" aria-label={tx.region}>
      <header className="history-drawer__head">
        <h2>{tx.title}</h2>
        <button type="button" data-testid="history-close" aria-label={tx.close} onClick={() => useHistory.getState().setOpen(false)}>×</button>
      </header>
      <p className="history-drawer__storage" data-testid="history-storage">
        {tx.runs(runs.length)}, {formatBytes(historyBytes)}
        {storage !== null && storage.quota > 0 && tx.siteStorage(formatBytes(storage.usage), formatBytes(storage.quota))}
      </p>
      {loaded && runs.length === 0 && <p className="dash-panel__empty">{tx.empty}</p>}
      <ul className="history-drawer__list">
        {runs.map((run) => <HistoryRunItem key={run.id} run={run} />)}
      </ul>
      {compared.length >= 2 ? <HistoryCompare runs={compared} /> : (
        runs.length >= 2 && <p className="history-drawer__hint" data-testid="history-compare-hint">{tx.compareHint}</p>
      )}
    </aside>
  );
}

import { useState } from 'react';
import { useStudio } from '../store';
import { formatBytes, formatPercent, formatPoints } from '../dashboard/format';
import { recordBytes, runSummary, type HistoryRun } from './historyRecord';
import { useHistory } from './historyStore';
import { useTexts } from '../i18n/texts';
import { historyTexts } from '../i18n/catalogs/history';

export const formatRunDate = (time: number): string =>
  new Date(time).toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** A text field that saves when it loses focus (or on Enter for one line), not on every key. */
function SavedField({ value, onSave, multiline, label, placeholder, testId }: {
  value: string; onSave: (text: string) => void; multiline?: boolean; label: string; placeholder?: string; testId: string;
}) {
  const [draft, setDraft] = useState(value);
  const save = () => {
    const text = multiline ? draft : draft.trim();
    if (text !== value && (multiline || text !== '')) onSave(text);
    else setDraft(value);
  };
  return multiline ? (
    <textarea className="history-run__notes" aria-label={label} data-testid={testId} value={draft} rows={2}
      placeholder={placeholder} onChange={(event) => setDraft(event.target.value)} onBlur={save} />
  ) : (
    <input className="history-run__name" aria-label={label} data-testid={testId} value={draft}
      onChange={(event) => setDraft(event.target.value)} onBlur={save}
      onKeyDown={(event) => { if (event.key === 'Enter') event.currentTarget.blur(); }} />
  );
}

/** One kept run: its headline numbers, editable name and notes, open and delete. */
export function HistoryRunItem({ run }: { run: HistoryRun }) {
  const tx = useTexts(historyTexts);
  const summary = runSummary(run);
  const selected = useHistory((s) => s.selected.includes(run.id));
  const [confirming, setConfirming] = useState(false);
  const { update, remove, toggleSelected, setOpen } = useHistory.getState();

  const openExperiment = () => {
    setOpen(false);
    useStudio.getState().openExperiment(run.experiment, tx.openedFrom(run.name));
  };

  return (
    <li className="history-run" data-testid="history-run" data-run-id={run.id}>
      <div className="history-run__head">
        <input type="checkbox" checked={selected} data-testid="history-run-select" aria-label={tx.compareRun(run.name)}
          onChange={() => toggleSelected(run.id)} />
        <SavedField value={run.name} label={tx.runName} testId="history-run-name" onSave={(name) => void update(run.id, { name })} />
      </div>
      <p className="history-run__meta">
        {formatRunDate(run.startedAt)} · <span data-testid="history-run-backend">{summary.backend}</span>
        {run.status === 'stopped' && tx.stopped} · {formatBytes(recordBytes(run))}
      </p>
      <dl className="history-run__numbers">
        <dt>{tx.teacher}</dt><dd data-testid="history-run-teacher">{formatPercent(summary.teacherAccuracy)}</dd>
        <dt>{tx.baseline}</dt><dd data-testid="history-run-baseline">{formatPercent(summary.baselineAccuracy)}</dd>
        <dt>{tx.distilled}</dt><dd data-testid="history-run-distilled">{formatPercent(summary.distilledAccuracy)}</dd>
        <dt>{tx.gain}</dt><dd data-testid="history-run-gain">{formatPoints(summary.gain)}</dd>
      </dl>
      <SavedField value={run.notes} label={tx.runNotes} placeholder={tx.notes} testId="history-run-notes" multiline onSave={(notes) => void update(run.id, { notes })} />
      <div className="history-run__actions">
        <button type="button" data-testid="history-run-open" onClick={openExperiment}>{tx.openExperiment}</button>
        {confirming ? (
          <span className="history-run__confirm" role="group" aria-label={tx.confirmDelete}>
            {tx.deleteThisRun}
            <button type="button" className="danger" data-testid="history-run-delete-confirm" onClick={() => void remove(run.id)}>{tx.delete}</button>
            <button type="button" data-testid="history-run-delete-cancel" onClick={() => setConfirming(false)}>{tx.keep}</button>
          </span>
        ) : (
          <button type="button" data-testid="history-run-delete" onClick={() => setConfirming(true)}>{tx.deleteEllipsis}</button>
        )}
      </div>
    </li>
  );
}

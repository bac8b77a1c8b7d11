import './share.css';
import { useEffect, useRef } from 'react';
import { useStudio } from '../store';
import { useTexts } from '../i18n/texts';
import { editorTexts } from '../i18n/catalogs/editor';

/**
 * Asks before an opened experiment replaces a graph with unsaved edits: save it first, open
 * anyway (Undo still brings it back), or keep it. Escape keeps it.
 */
export function ReplaceDialog() {
  const tx = useTexts(editorTexts);
  const pending = useStudio((s) => s.pendingReplace);
  const currentName = useStudio((s) => s.experiment.name);
  const resolve = useStudio((s) => s.resolveReplace);
  const keepButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (pending === null) return;
    keepButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') resolve('cancel');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pending, resolve]);

  if (pending === null) return null;
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="replace-title" data-testid="replace-dialog">
        <h2 id="replace-title">{tx.replaceTitle}</h2>
        <p>{tx.replaceBody(pending.experiment.name, pending.source, currentName)}</p>
        <div className="dialog__actions">
          <button type="button" data-testid="replace-save-then-open" onClick={() => resolve('save-then-open')}>{tx.replaceSaveThenOpen}</button>
          <button type="button" data-testid="replace-open" onClick={() => resolve('open')}>{tx.replaceOpen}</button>
          <button type="button" ref={keepButton} className="primary" data-testid="replace-cancel" onClick={() => resolve('cancel')}>
            {tx.replaceKeep(currentName)}
          </button>
        </div>
      </div>
    </div>
  );
}

import './share.css';
import { useEffect, useRef } from 'react';
import { useStudio } from '../store';

/**
 * Asks before an opened experiment replaces a graph with unsaved edits: save it first, open
 * anyway (Undo still brings it back), or keep it. Escape keeps it.
 */
export function ReplaceDialog() {
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
        <h2 id="replace-title">Replace the experiment on screen?</h2>
        <p>
          Opening &ldquo;{pending.experiment.name}&rdquo; from {pending.source} replaces &ldquo;{currentName}&rdquo;, which has
          changes that were never saved to a file. After opening, Undo (Ctrl+Z) still brings it back.
        </p>
        <div className="dialog__actions">
          <button type="button" data-testid="replace-save-then-open" onClick={() => resolve('save-then-open')}>Save it, then open</button>
          <button type="button" data-testid="replace-open" onClick={() => resolve('open')}>Open without saving</button>
          <button type="button" ref={keepButton} className="primary" data-testid="replace-cancel" onClick={() => resolve('cancel')}>
            Keep &ldquo;{currentName}&rdquo;
          </button>
        </div>
      </div>
    </div>
  );
}

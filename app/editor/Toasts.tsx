import { useEffect } from 'react';
import { useStudio } from '../store';
import type { Toast } from '../store/uiSlice';
import { useTexts } from '../i18n/texts';
import { editorTexts } from '../i18n/catalogs/editor';

/** Errors stay until closed: they say what to fix. Other messages go by themselves. */
const lifetimeMs: Record<Toast['kind'], number | null> = { info: 4000, success: 3500, error: null };

function ToastItem({ toast }: { toast: Toast }) {
  const tx = useTexts(editorTexts);
  const lifetime = lifetimeMs[toast.kind];
  useEffect(() => {
    if (lifetime === null) return;
    const timer = setTimeout(() => useStudio.getState().dismissToast(toast.id), lifetime);
    return () => clearTimeout(timer);
    // A repeat (new revision) restarts the timer.
  }, [toast.id, toast.revision, lifetime]);
  return (
    <li className={`toast toast--${toast.kind}`} data-testid="toast" data-kind={toast.kind} data-count={toast.count}
      role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span className="toast__message">{toast.message}</span>
      {toast.count > 1 && <b className="toast__count" data-testid="toast-count" aria-label={tx.times(toast.count)}>×{toast.count}</b>}
      <button type="button" className="toast__close" data-testid="toast-close" aria-label={tx.closeMessage}
        onClick={() => useStudio.getState().dismissToast(toast.id)}>×</button>
    </li>
  );
}

/** Messages for the user, newest last; a repeated message shows once with its count. */
export function Toasts() {
  const toasts = useStudio((s) => s.toasts);
  return (
    <ul className="toasts" aria-live="polite">
      {toasts.map((t) => <ToastItem key={t.id} toast={t} />)}
    </ul>
  );
}

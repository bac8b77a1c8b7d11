import { useEffect } from 'react';
import { useStudio } from '../store';
import type { Toast } from '../store/uiSlice';

const lifetimeMs: Record<Toast['kind'], number> = { info: 4000, success: 3500, error: 9000 };

function ToastItem({ toast }: { toast: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => useStudio.getState().dismissToast(toast.id), lifetimeMs[toast.kind]);
    return () => clearTimeout(timer);
  }, [toast.id, toast.kind]);
  return (
    <li className={`toast toast--${toast.kind}`} data-testid="toast" data-kind={toast.kind} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span>{toast.message}</span>
      <button type="button" aria-label="Dismiss" onClick={() => useStudio.getState().dismissToast(toast.id)}>×</button>
    </li>
  );
}

/** Messages for the user, newest last; errors stay longer. */
export function Toasts() {
  const toasts = useStudio((s) => s.toasts);
  return (
    <ul className="toasts" aria-live="polite">
      {toasts.map((t) => <ToastItem key={t.id} toast={t} />)}
    </ul>
  );
}

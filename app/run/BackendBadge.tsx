import { BACKEND_LABELS } from '../../src/backendChoice';
import { useStudio } from '../store';

/** Which backend runs and why: what Auto measured, the user's choice, or what was unavailable. */
export function BackendBadge() {
  const backend = useStudio((s) => s.run.backend);
  const preference = useStudio((s) => s.backendPreference);
  if (backend === null) {
    const title = preference === 'auto'
      ? 'Chosen when a run starts: Auto times a few training steps on each backend once per device and keeps the fastest'
      : 'Chosen when a run starts';
    return (
      <span className="backend-badge backend-badge--pending" data-testid="backend-badge" title={title}>
        backend: {preference}
      </span>
    );
  }
  return (
    <span
      className="backend-badge"
      data-testid="backend-badge"
      data-backend={backend.name}
      title={`${BACKEND_LABELS[backend.name]}: ${backend.reason}`}
    >
      <strong>{BACKEND_LABELS[backend.name]}</strong>
      <span className="backend-badge__reason" data-testid="backend-reason">— {backend.reason}</span>
    </span>
  );
}

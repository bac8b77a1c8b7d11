import { useStudio } from '../store';

/** Which backend runs and why (a fallback says what was unavailable). */
export function BackendBadge() {
  const backend = useStudio((s) => s.run.backend);
  const preference = useStudio((s) => s.backendPreference);
  if (backend === null) {
    return (
      <span className="backend-badge backend-badge--pending" data-testid="backend-badge" title="Chosen when a run starts">
        backend: {preference}
      </span>
    );
  }
  return (
    <span className="backend-badge" data-testid="backend-badge" data-backend={backend.name} title={backend.reason}>
      <strong>{backend.name}</strong>
      <span className="backend-badge__reason">{backend.reason}</span>
    </span>
  );
}

import { BACKEND_LABELS } from '../../src/backendChoice';
import { useStudio } from '../store';
import { useTexts } from '../i18n/texts';
import { runTexts } from '../i18n/catalogs/run';

/** Which backend runs and why: what Auto measured, the user's choice, or what was unavailable (the worker's reason, in English). */
export function BackendBadge() {
  const tx = useTexts(runTexts);
  const backend = useStudio((s) => s.run.backend);
  const preference = useStudio((s) => s.backendPreference);
  if (backend === null) {
    const title = preference === 'auto' ? tx.badgeAutoTitle : tx.badgeChosenTitle;
    return (
      <span className="backend-badge backend-badge--pending" data-testid="backend-badge" title={title}>
        {tx.badgePending(preference)}
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

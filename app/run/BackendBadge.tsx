import { BACKEND_LABELS, FIXED_BACKEND_REASONS } from '../../src/backendChoice';
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
  // The worker's fixed sentences are shown in the interface language; measured reasons (numbers) stay as sent.
  const reason = backend.reason === FIXED_BACKEND_REASONS.chosen ? tx.backendReasonChosen
    : backend.reason === FIXED_BACKEND_REASONS.firstStarted ? tx.backendReasonFirstStarted : backend.reason;
  return (
    <span
      className="backend-badge"
      data-testid="backend-badge"
      data-backend={backend.name}
      title={`${BACKEND_LABELS[backend.name]}: ${reason}`}
    >
      <strong>{BACKEND_LABELS[backend.name]}</strong>
      <span className="backend-badge__reason" data-testid="backend-reason">— {reason}</span>
    </span>
  );
}

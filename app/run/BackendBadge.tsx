import { BACKEND_LABELS, englishBackendWords, FIXED_BACKEND_REASONS, measuredReason } from '../../src/backendChoice';
import { useLanguage } from '../i18n/language';
import { backendWordsZh } from '../i18n/backendWords';
import { useStudio } from '../store';
import { useTexts } from '../i18n/texts';
import { runTexts } from '../i18n/catalogs/run';

/**
 * Which backend runs and why: what Auto measured (worded here from the numbers, in the interface
 * language), the user's choice, or what was unavailable (a start failure: the worker's English).
 */
export function BackendBadge() {
  const tx = useTexts(runTexts);
  const language = useLanguage();
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
  const words = language === 'zh' ? backendWordsZh : englishBackendWords;
  const measured = backend.measured === undefined ? null : measuredReason(backend.measured, words);
  const reason = measured ?? (backend.reason === FIXED_BACKEND_REASONS.chosen ? tx.backendReasonChosen
    : backend.reason === FIXED_BACKEND_REASONS.firstStarted ? tx.backendReasonFirstStarted : backend.reason);
  // wasm on several threads (the GEMM and Adam helpers): say how many.
  const threads = backend.threads !== undefined && backend.threads > 1 ? ` (${tx.badgeThreads(backend.threads)})` : '';
  return (
    <span
      className="backend-badge"
      data-testid="backend-badge"
      data-backend={backend.name}
      data-threads={backend.threads ?? 1}
      title={`${BACKEND_LABELS[backend.name]}${threads}: ${reason}`}
    >
      <strong>{BACKEND_LABELS[backend.name]}{threads}</strong>
      <span className="backend-badge__reason" data-testid="backend-reason">— {reason}</span>
    </span>
  );
}

import { useStudio } from '../store';
import { currentRunText, searchFraction } from './guidanceState';
import { useTexts } from '../i18n/texts';
import { guidanceTexts } from '../i18n/catalogs/guidance';

/** Pairing k of N with its layers, the phase training now, and the whole search's fraction done. */
export function GuidanceProgress() {
  const tx = useTexts(guidanceTexts);
  const current = useStudio((s) => s.guidance.current);
  const phase = useStudio((s) => s.guidance.step?.phaseLabel ?? null);
  const fraction = useStudio((s) => searchFraction(s.guidance));
  const backend = useStudio((s) => s.guidance.backend?.name ?? null);
  const done = useStudio((s) => s.guidance.finished.length);
  return (
    <div className="guidance__progress" role="status" data-testid="guidance-progress">
      <progress value={fraction} max={1} />
      <p data-testid="guidance-current">{current === null ? tx.startingWorker : currentRunText(current, tx)}</p>
      <p className="muted small">
        {phase !== null && tx.trainingPhase(phase)}
        {tx.done(done)}{backend !== null && <> · {backend}</>}
      </p>
    </div>
  );
}

/** What went wrong and what to do; the graph is untouched by a search, so nothing else needs saying. */
export function GuidanceErrorMessage() {
  const error = useStudio((s) => s.guidance.error);
  if (error === null) return null;
  return (
    <div className="inspector__error guidance__preline" role="alert" data-testid="guidance-error" data-kind={error.kind}>
      {error.message}
    </div>
  );
}

export function GuidanceWarnings() {
  const warnings = useStudio((s) => s.guidance.warnings);
  if (warnings.length === 0) return null;
  return <ul className="guidance__warnings" data-testid="guidance-warnings">{warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>;
}

import { useStudio } from '../store';
import { GuidanceForm } from './GuidanceForm';
import { GuidanceErrorMessage, GuidanceProgress, GuidanceWarnings } from './GuidanceProgress';
import { GuidanceReportView, GuidanceSoFar } from './GuidanceResults';
import { isGuidanceActive } from './guidanceState';
import { useTexts } from '../i18n/texts';
import { guidanceTexts } from '../i18n/catalogs/guidance';
import './guidance.css';

/** Progress, error or report of the search, when it belongs to this block of the experiment on screen. */
function GuidanceOutcome({ lossNodeId }: { lossNodeId: string }) {
  const status = useStudio((s) => s.guidance.status);
  const report = useStudio((s) => s.guidance.report);
  return (
    <>
      {isGuidanceActive(status) && <GuidanceProgress />}
      {isGuidanceActive(status) && <GuidanceSoFar lossNodeId={lossNodeId} />}
      <GuidanceErrorMessage />
      <GuidanceWarnings />
      {status === 'done' && report !== null && <GuidanceReportView lossNodeId={lossNodeId} report={report} />}
    </>
  );
}

/** A search of another block (or of the experiment open before) holds the worker: say so, offer Stop. */
function OtherSearch() {
  const status = useStudio((s) => s.guidance.status);
  const tx = useTexts(guidanceTexts);
  return (
    <p className="muted small" data-testid="guidance-busy">
      {tx.otherSearch}{' '}
      <button type="button" className="icon-button" disabled={status === 'stopping'} onClick={() => useStudio.getState().stopGuidanceSearch()}>{tx.stopIt}</button>
    </p>
  );
}

/**
 * "Best guidance path" in a FitNet/AT block's inspector: trains each (teacher layer, student
 * layer) pairing the block accepts briefly in a worker and ranks them; Apply rewires the block.
 */
export function GuidanceSection({ lossNodeId }: { lossNodeId: string }) {
  const mine = useStudio((s) => s.guidance.lossNodeId === lossNodeId && s.guidance.generation === s.loadGeneration);
  const busy = useStudio((s) => isGuidanceActive(s.guidance.status));
  const tx = useTexts(guidanceTexts);
  return (
    <section className="guidance" data-testid="guidance-section" aria-label={tx.region}>
      <h4>{tx.title}</h4>
      <p className="field__help">{tx.intro}</p>
      {busy && !mine ? <OtherSearch /> : <GuidanceForm lossNodeId={lossNodeId} />}
      {mine && <GuidanceOutcome lossNodeId={lossNodeId} />}
    </section>
  );
}

import { useMemo } from 'react';
import { rankResults, type GuidanceReport } from '../../src/train/guidanceSearch';
import { useStudio } from '../store';
import { GuidanceTable } from './GuidanceTable';
import { useTexts } from '../i18n/texts';
import { guidanceTexts } from '../i18n/catalogs/guidance';

const percent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

/** The ranking so far while the search runs (the notes come with the report). */
export function GuidanceSoFar({ lossNodeId }: { lossNodeId: string }) {
  const finished = useStudio((s) => s.guidance.finished);
  const seeds = useStudio((s) => s.guidance.current?.seeds ?? 1);
  const ranked = useMemo(() => rankResults(finished), [finished]);
  const tx = useTexts(guidanceTexts);
  if (ranked.length === 0) return null;
  return (
    <div className="guidance__so-far">
      <p className="muted small">{tx.soFar}</p>
      <GuidanceTable lossNodeId={lossNodeId} results={ranked} seeds={seeds} />
    </div>
  );
}

function ReportSummary({ report }: { report: GuidanceReport }) {
  const { data, teacher } = report;
  const tx = useTexts(guidanceTexts);
  return (
    <p className="muted small" data-testid="guidance-summary">
      {tx.summary(report.ranked.length, report.totalPairs, String(data.trainSubset ?? tx.all), report.backend)}
      {report.stopped && <b>{tx.stoppedEarly}</b>}.
      {teacher !== null && tx.teacherAccuracy(percent(teacher.validationAccuracy), percent(teacher.testAccuracy))}
    </p>
  );
}

/** The ranked table with the search's notes: they say what the ranking does not (baselines, seed spread, subset). */
export function GuidanceReportView({ lossNodeId, report }: { lossNodeId: string; report: GuidanceReport }) {
  const failures = report.ranked.filter((result) => result.error !== null);
  const tx = useTexts(guidanceTexts);
  return (
    <div className="guidance__report" data-testid="guidance-report">
      <ReportSummary report={report} />
      {report.ranked.length > 0
        ? <GuidanceTable lossNodeId={lossNodeId} results={report.ranked} seeds={report.seeds} />
        : <p className="muted">{tx.noneFinished}</p>}
      {failures.length > 0 && (
        <ul className="guidance__failures" data-testid="guidance-failures">
          {failures.map((result) => <li key={result.index}>{tx.pairingFailed(result.teacherLayerId, result.studentLayerId, result.error ?? '')}</li>)}
        </ul>
      )}
      <ul className="guidance__notes" data-testid="guidance-notes">
        {report.notes.map((note, i) => <li key={i}>{note}</li>)}
      </ul>
    </div>
  );
}

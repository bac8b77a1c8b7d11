import { useState, type ReactNode } from 'react';
import type { GuidanceResult } from '../../src/train/guidanceSearch';
import { useStudio } from '../store';
import type { Spread } from '../../src/seedStatistics';
import { drawnPairing, formatSpread, pairingKey } from './guidanceState';
import { textsNow, useTexts } from '../i18n/texts';
import { guidanceTexts } from '../i18n/catalogs/guidance';

/** Mean, with "± sd" on a line of its own over several seeds: the inspector is narrow. */
function Accuracy({ value, testId, children }: { value: Spread | null; testId: string; children?: ReactNode }) {
  const [mean, sd] = formatSpread(value).split(' ± ');
  return (
    <td data-testid={testId} title={formatSpread(value)}>
      {sd === undefined ? mean : `${mean}%`}
      {sd !== undefined && <span className="guidance__tag">± {sd}</span>}
      {children}
    </td>
  );
}

interface RowProps {
  result: GuidanceResult;
  severalSeeds: boolean;
  /** The block is wired to this pairing now (live: it follows Apply and undo). */
  drawn: boolean;
  onApply: (result: GuidanceResult) => void;
}

function ResultRow({ result, severalSeeds, drawn, onApply }: RowProps) {
  const tx = useTexts(guidanceTexts);
  const failed = result.error !== null;
  return (
    <tr data-testid="guidance-row" data-teacher-layer={result.teacherLayerId} data-student-layer={result.studentLayerId}
      data-as-drawn={drawn} className={drawn ? 'guidance__row--drawn' : undefined}>
      <td>{result.rank}</td>
      <td title={`[${result.teacherShape.join(', ')}]`}>
        {result.teacherLayerId}
        {drawn && <span className="guidance__tag" data-testid="guidance-as-drawn">{tx.asDrawn}</span>}
      </td>
      <td title={`[${result.studentShape.join(', ')}]`}>{result.studentLayerId}</td>
      <td>{result.adapter ?? tx.none}</td>
      {failed ? <td colSpan={2} className="guidance__failed" title={result.error ?? ''}>{tx.failed}</td> : (
        <>
          <Accuracy value={result.validation} testId="guidance-validation">
            {severalSeeds && result.rank > 1 && result.withinSpreadOfBest === true && <span className="guidance__tag">{tx.nearBest}</span>}
          </Accuracy>
          <Accuracy value={result.test} testId="guidance-test" />
        </>
      )}
      <td>
        <button type="button" className="icon-button" data-testid="guidance-apply" disabled={drawn}
          title={drawn ? tx.applyInUse : tx.applyTitle}
          onClick={() => onApply(result)}>
          {tx.apply}
        </button>
      </td>
    </tr>
  );
}

/** Ranked pairings, each with Apply: one undoable graph edit through the store (withGuidancePairing). */
export function GuidanceTable({ lossNodeId, results, seeds }: { lossNodeId: string; results: readonly GuidanceResult[]; seeds: number }) {
  const drawn = useStudio((s) => drawnPairing(s.experiment, lossNodeId));
  const [applyError, setApplyError] = useState<string | null>(null);
  const tx = useTexts(guidanceTexts);
  const apply = (result: GuidanceResult) => {
    const { setGuidancePairing, pushToast } = useStudio.getState();
    const refused = setGuidancePairing(lossNodeId, result.teacherLayerId, result.studentLayerId);
    setApplyError(refused);
    if (refused === null) pushToast('success', textsNow(guidanceTexts).applied(result.teacherLayerId, result.studentLayerId));
  };
  return (
    <>
      <div className="guidance__table-wrap">
        <table className="guidance__table" data-testid="guidance-table">
          <thead>
            <tr>
              <th title={tx.rank}>#</th><th title={tx.teacherLayer}>{tx.teacher}</th><th title={tx.studentLayer}>{tx.student}</th>
              <th>{tx.adapter}</th><th title={tx.validationTitle}>{tx.validationShort}</th>
              <th title={tx.testTitle}>{tx.test}</th><th />
            </tr>
          </thead>
          <tbody>
            {results.map((result) => (
              <ResultRow key={result.index} result={result} severalSeeds={seeds > 1} onApply={apply}
                drawn={drawn === pairingKey(result.teacherLayerId, result.studentLayerId)} />
            ))}
          </tbody>
        </table>
      </div>
      {applyError !== null && <p className="inspector__error" role="alert" data-testid="guidance-apply-error">{applyError}</p>}
    </>
  );
}

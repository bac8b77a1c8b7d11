import { useState, type ReactNode } from 'react';
import type { GuidanceResult } from '../../src/train/guidanceSearch';
import { useStudio } from '../store';
import type { Spread } from '../../src/seedStatistics';
import { drawnPairing, formatSpread, pairingKey } from './guidanceState';

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
  const failed = result.error !== null;
  return (
    <tr data-testid="guidance-row" data-teacher-layer={result.teacherLayerId} data-student-layer={result.studentLayerId}
      data-as-drawn={drawn} className={drawn ? 'guidance__row--drawn' : undefined}>
      <td>{result.rank}</td>
      <td title={`[${result.teacherShape.join(', ')}]`}>
        {result.teacherLayerId}
        {drawn && <span className="guidance__tag" data-testid="guidance-as-drawn">as drawn</span>}
      </td>
      <td title={`[${result.studentShape.join(', ')}]`}>{result.studentLayerId}</td>
      <td>{result.adapter ?? 'none'}</td>
      {failed ? <td colSpan={2} className="guidance__failed" title={result.error ?? ''}>failed</td> : (
        <>
          <Accuracy value={result.validation} testId="guidance-validation">
            {severalSeeds && result.rank > 1 && result.withinSpreadOfBest === true && <span className="guidance__tag">≈ best</span>}
          </Accuracy>
          <Accuracy value={result.test} testId="guidance-test" />
        </>
      )}
      <td>
        <button type="button" className="icon-button" data-testid="guidance-apply" disabled={drawn}
          title={drawn ? 'The block uses this pairing now' : 'Rewire the guide and guided layers to this pairing (undo restores them)'}
          onClick={() => onApply(result)}>
          Apply
        </button>
      </td>
    </tr>
  );
}

/** Ranked pairings, each with Apply: one undoable graph edit through the store (withGuidancePairing). */
export function GuidanceTable({ lossNodeId, results, seeds }: { lossNodeId: string; results: readonly GuidanceResult[]; seeds: number }) {
  const drawn = useStudio((s) => drawnPairing(s.experiment, lossNodeId));
  const [applyError, setApplyError] = useState<string | null>(null);
  const apply = (result: GuidanceResult) => {
    const { setGuidancePairing, pushToast } = useStudio.getState();
    const refused = setGuidancePairing(lossNodeId, result.teacherLayerId, result.studentLayerId);
    setApplyError(refused);
    if (refused === null) pushToast('success', `Guidance path set to teacher ${result.teacherLayerId} → student ${result.studentLayerId} (Undo restores the previous one).`);
  };
  return (
    <>
      <div className="guidance__table-wrap">
        <table className="guidance__table" data-testid="guidance-table">
          <thead>
            <tr>
              <th title="Rank">#</th><th title="Teacher layer (guide)">Teacher</th><th title="Student layer (guided)">Student</th>
              <th>Adapter</th><th title="Validation accuracy of the network that learns (the ranking)">Val.</th>
              <th title="Test accuracy">Test</th><th />
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

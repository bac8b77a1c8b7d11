import { useStudio } from '../store';
import { useTexts } from '../i18n/texts';
import { runTexts } from '../i18n/catalogs/run';
import { runLogTexts } from '../i18n/catalogs/runLog';
import { runErrorText } from './runLogText';

export function RunErrorMessage() {
  const error = useStudio((s) => s.run.error);
  const tx = useTexts(runTexts);
  const words = useTexts(runLogTexts);
  if (error === null) return null;
  return (
    <div className="run-error" role="alert" data-testid="run-error" data-kind={error.kind}>
      <p>{error.detail ? runErrorText(error.detail, words) : error.message}</p>
      {error.lossTerm !== undefined && <p>{tx.divergedTerm(error.lossTerm)}</p>}
      {error.problems.length > 0 && (
        <ul>
          {error.problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

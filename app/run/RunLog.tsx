import { useStudio } from '../store';
import { useTexts } from '../i18n/texts';
import { runTexts } from '../i18n/catalogs/run';
import { runLogTexts } from '../i18n/catalogs/runLog';
import type { LogLine } from '../store/runSlice';
import { logLineText } from './runLogText';

/**
 * The worker's log lines (data sizes, teacher restored from the cache or the shipped pretrained
 * teachers, fallbacks). The summary shows the latest warning if there is one, else the latest line,
 * so a fallback such as "training the teacher instead" is not scrolled away by later lines.
 */
export function RunLog() {
  const lines = useStudio((s) => s.run.log);
  const tx = useTexts(runTexts);
  const words = useTexts(runLogTexts);
  if (lines.length === 0) return null;
  const text = (line: LogLine) => (line.detail ? logLineText(line.detail, words) : line.message);
  const headline = lines.findLast((line) => line.warning) ?? lines[lines.length - 1];
  return (
    <details className="run-log" data-testid="run-log">
      <summary className={headline.warning ? 'run-log__warning' : undefined}>
        <span data-testid="run-log-headline">{text(headline)}</span>
        {lines.length > 1 && <span className="run-log__count">{tx.logCount(lines.length)}</span>}
      </summary>
      <ol>
        {lines.map((line, index) => (
          <li key={index} className={line.warning ? 'run-log__warning' : undefined}>{text(line)}</li>
        ))}
      </ol>
    </details>
  );
}

import { useStudio } from '../store';

/**
 * The worker's log lines (data sizes, teacher restored from the cache or the shipped pretrained
 * teachers, fallbacks): the latest in view, the rest one click away.
 */
export function RunLog() {
  const lines = useStudio((s) => s.run.log);
  if (lines.length === 0) return null;
  return (
    <details className="run-log" data-testid="run-log">
      <summary>
        <span className="run-log__latest" data-testid="run-log-latest">{lines[lines.length - 1]}</span>
        {lines.length > 1 && <span className="run-log__count"> ({lines.length} lines)</span>}
      </summary>
      <ol>
        {lines.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </details>
  );
}

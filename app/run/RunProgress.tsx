import { useStudio } from '../store';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '…';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return minutes > 0 ? `${minutes} min ${rest.toString().padStart(2, '0')} s` : `${rest} s`;
}

/** Progress bar with phase, stage, epoch, step and the estimated time left. */
export function RunProgress() {
  const progress = useStudio((s) => s.run.progress);
  const status = useStudio((s) => s.run.status);
  const fraction = status === 'finished' ? 1 : (progress?.fractionDone ?? 0);
  const percent = Math.round(fraction * 100);
  return (
    <div className="run-progress" data-testid="progress" data-fraction={fraction.toFixed(3)}>
      <progress max={1} value={fraction} aria-label="Run progress" />
      <span className="run-progress__text">
        {progress === null ? (
          status === 'running' ? 'Starting…' : status === 'finished' ? 'Done' : 'Not running'
        ) : (
          <>
            {percent}% · {progress.phase} · {progress.stageName} · epoch {progress.epoch}/{progress.epochs} · step{' '}
            {progress.step}/{progress.stepsTotal}
            {progress.secondsLeft !== null && status === 'running' && <> · {formatDuration(progress.secondsLeft)} left</>}
          </>
        )}
      </span>
    </div>
  );
}

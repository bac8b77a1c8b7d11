import { useStudio } from '../store';
import { currentSeed, sweepSecondsLeft } from './seedSweep';
import { paramSweepProgress } from './paramSweep';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '…';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return minutes > 0 ? `${minutes} min ${rest.toString().padStart(2, '0')} s` : `${rest} s`;
}

/** Progress bar with seed (in a sweep), phase, stage, epoch, step and the estimated time left. */
export function RunProgress() {
  const progress = useStudio((s) => s.run.progress);
  const status = useStudio((s) => s.run.status);
  const sweep = useStudio((s) => s.run.sweep);
  const paramSweep = useStudio((s) => s.run.paramSweep);
  const fraction = status === 'finished' ? 1 : (progress?.fractionDone ?? 0);
  const percent = Math.round(fraction * 100);
  const sweepRunning = sweep !== null && sweep.state === 'running';
  const sweepLeft = sweepRunning ? sweepSecondsLeft(sweep, progress?.secondsLeft ?? null) : null;
  return (
    <div className="run-progress" data-testid="progress" data-fraction={fraction.toFixed(3)}>
      <progress max={1} value={fraction} aria-label="Run progress" />
      <span className="run-progress__text">
        {sweepRunning && (
          <b data-testid="sweep-progress">
            Seed {currentSeed(sweep).index + 1} of {sweep.count}
            {sweepLeft !== null && status === 'running' && <> (about {formatDuration(sweepLeft)} left in all)</>} ·{' '}
          </b>
        )}
        {paramSweep !== null && paramSweep.state === 'running' && (
          <b data-testid="param-sweep-progress">{paramSweepProgress(paramSweep)} · </b>
        )}
        {progress === null ? (
          status === 'running' ? 'Starting…' : status === 'finished' ? 'Done' : 'Not running'
        ) : (
          <>
            {percent}% · {progress.phaseLabel}
            {progress.stageName !== progress.phaseLabel && <> · {progress.stageName}</>} · epoch {progress.epoch}/{progress.epochs} · step{' '}
            {progress.step}/{progress.stepsTotal}
            {progress.secondsLeft !== null && status === 'running' && <> · {formatDuration(progress.secondsLeft)} left</>}
          </>
        )}
      </span>
    </div>
  );
}

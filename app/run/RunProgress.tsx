import { useStudio } from '../store';
import { currentSeed, sweepSecondsLeft } from './seedSweep';
import { paramSweepProgress } from './paramSweep';
import { useTexts } from '../i18n/texts';
import { runTexts } from '../i18n/catalogs/run';

type RunTexts = (typeof runTexts)['en'];

export function formatDuration(seconds: number, tx: RunTexts): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '…';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes >= 60) return tx.hoursMinutes(Math.floor(minutes / 60), minutes % 60);
  return minutes > 0 ? tx.minutesSeconds(minutes, rest.toString().padStart(2, '0')) : tx.seconds(rest);
}

/** Progress bar with seed (in a sweep), phase, stage, epoch, step and the estimated time left. */
export function RunProgress() {
  const tx = useTexts(runTexts);
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
      <progress max={1} value={fraction} aria-label={tx.progressLabel} />
      <span className="run-progress__text">
        {sweepRunning && (
          <b data-testid="sweep-progress">
            {tx.sweepSeed(currentSeed(sweep).index + 1, sweep.count)}
            {sweepLeft !== null && status === 'running' && tx.sweepLeft(formatDuration(sweepLeft, tx))} ·{' '}
          </b>
        )}
        {paramSweep !== null && paramSweep.state === 'running' && (
          <b data-testid="param-sweep-progress">{paramSweepProgress(paramSweep, tx)} · </b>
        )}
        {progress === null ? (
          status === 'running' ? tx.starting : status === 'finished' ? tx.done : tx.notRunning
        ) : (
          <>
            {percent}% · {progress.phaseLabel}
            {progress.stageName !== progress.phaseLabel && <> · {progress.stageName}</>} · {tx.epochOf(progress.epoch, progress.epochs)} ·{' '}
            {tx.stepOf(progress.step, progress.stepsTotal)}
            {progress.secondsLeft !== null && status === 'running' && <> · {tx.timeLeft(formatDuration(progress.secondsLeft, tx))}</>}
          </>
        )}
      </span>
    </div>
  );
}

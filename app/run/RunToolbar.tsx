import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../store';
import { ALL_PHASES, isRunActive, type RunStatus } from '../store/runSlice';
import { MAX_SWEEP_SEEDS } from './seedSweep';
import type { RunSelection } from '../../src/train/plan';
import { BackendSelector } from './BackendSelector';
import { BackendBadge } from './BackendBadge';
import { RunLog } from './RunLog';
import { RunProgress } from './RunProgress';
import { RunErrorMessage } from './RunErrorMessage';
import { SweepDialog } from './SweepDialog';
import { useTexts } from '../i18n/texts';
import { runTexts } from '../i18n/catalogs/run';
import './run.css';

type RunTexts = (typeof runTexts)['en'];

/** One kind of phase alone; a distillation also runs the teacher phases it needs (restored from the cache when it can). */
const singlePhases = (tx: RunTexts): { label: string; title: string; testId: string; runs: RunSelection }[] => [
  { label: tx.teachers, title: tx.teachersTitle, testId: 'run-teacher', runs: { teacher: true, baseline: false, student: false } },
  { label: tx.baselines, title: tx.baselinesTitle, testId: 'run-baseline', runs: { teacher: false, baseline: true, student: false } },
  { label: tx.distillations, title: tx.distillationsTitle, testId: 'run-student', runs: { teacher: false, baseline: false, student: true } },
];

const statusText = (tx: RunTexts): Record<RunStatus, string> => ({
  idle: tx.statusIdle, running: tx.statusRunning, paused: tx.statusPaused, stopped: tx.statusStopped, finished: tx.statusFinished, error: tx.statusError,
});

/** Run controls, progress and the active backend, above the dashboard. */
export function RunToolbar() {
  const { status, stopping, startRun, pauseRun, resumeRun, stopRun, seedCount, setSeedCount } = useStudio(
    useShallow((s) => ({
      status: s.run.status,
      stopping: s.run.stopping,
      seedCount: s.seedCount,
      setSeedCount: s.setSeedCount,
      startRun: s.startRun,
      pauseRun: s.pauseRun,
      resumeRun: s.resumeRun,
      stopRun: s.stopRun,
    })),
  );
  const tx = useTexts(runTexts);
  const active = isRunActive(status);
  const [seedText, setSeedText] = useState(String(seedCount));
  const [sweeping, setSweeping] = useState(false);

  return (
    <section className="run-toolbar" aria-label={tx.runControls}>
      <div className="run-toolbar__buttons">
        <button
          type="button"
          className="run-toolbar__run"
          data-testid="run-button"
          disabled={active}
          onClick={() => startRun(ALL_PHASES)}
          title={tx.runTitle}
        >
          {tx.run}
        </button>
        <label
          className="run-toolbar__seeds"
          title={tx.seedsTitle}
        >
          {tx.seedsBefore}
          <input
            type="number"
            min={1}
            max={MAX_SWEEP_SEEDS}
            step={1}
            value={seedText}
            disabled={active}
            data-testid="seed-count"
            onChange={(event) => {
              // Keep what is typed (an empty field while editing); take it as soon as it is a valid count.
              setSeedText(event.target.value);
              const count = event.target.valueAsNumber;
              if (Number.isInteger(count) && count >= 1 && count <= MAX_SWEEP_SEEDS) setSeedCount(count);
            }}
            onBlur={() => setSeedText(String(seedCount))}
          />
          {tx.seedsAfter(seedCount)}
        </label>
        <button type="button" data-testid="sweep-button" disabled={active} onClick={() => setSweeping(true)}
          title={tx.sweepTitle}>
          {tx.sweep}
        </button>
        <span className="run-toolbar__alone" role="group" aria-label={tx.aloneGroup}>
          <span className="run-toolbar__alone-label">{tx.aloneLabel}</span>
          {singlePhases(tx).map((phase) => (
            <button
              key={phase.testId}
              type="button"
              data-testid={phase.testId}
              disabled={active}
              onClick={() => startRun(phase.runs)}
              title={phase.title}
            >
              {phase.label}
            </button>
          ))}
        </span>
        <button
          type="button"
          data-testid="pause-button"
          disabled={!active}
          onClick={status === 'paused' ? resumeRun : pauseRun}
        >
          {status === 'paused' ? tx.resume : tx.pause}
        </button>
        <button type="button" data-testid="stop-button" disabled={!active || stopping} onClick={stopRun}>
          {stopping && active ? tx.stopping : tx.stop}
        </button>
        <BackendSelector disabled={active} />
        <BackendBadge />
        <span className={`run-toolbar__status run-toolbar__status--${status}`} data-testid="run-status" data-status={status}>
          {statusText(tx)[status]}
        </span>
      </div>
      <RunProgress />
      <RunLog />
      <RunErrorMessage />
      {sweeping && <SweepDialog onClose={() => setSweeping(false)} />}
    </section>
  );
}

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../store';
import { ALL_PHASES, isRunActive } from '../store/runSlice';
import { MAX_SWEEP_SEEDS } from './seedSweep';
import type { RunSelection } from '../../src/train/plan';
import { BackendSelector } from './BackendSelector';
import { BackendBadge } from './BackendBadge';
import { RunLog } from './RunLog';
import { RunProgress } from './RunProgress';
import { RunErrorMessage } from './RunErrorMessage';
import { SweepDialog } from './SweepDialog';
import './run.css';

/** One kind of phase alone; a distillation also runs the teacher phases it needs (restored from the cache when it can). */
const SINGLE_PHASES: { label: string; title: string; testId: string; runs: RunSelection }[] = [
  { label: 'Teachers', title: 'Train only the teachers, on labels', testId: 'run-teacher', runs: { teacher: true, baseline: false, student: false } },
  { label: 'Baselines', title: 'Train only the baselines: each student on labels alone', testId: 'run-baseline', runs: { teacher: false, baseline: true, student: false } },
  {
    label: 'Distillations',
    title: 'Run only the distillations, with the teacher phases they need (from the cache when unchanged)',
    testId: 'run-student',
    runs: { teacher: false, baseline: false, student: true },
  },
];

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
  const active = isRunActive(status);
  const [seedText, setSeedText] = useState(String(seedCount));
  const [sweeping, setSweeping] = useState(false);

  return (
    <section className="run-toolbar" aria-label="Run controls">
      <div className="run-toolbar__buttons">
        <button
          type="button"
          className="run-toolbar__run"
          data-testid="run-button"
          disabled={active}
          onClick={() => startRun(ALL_PHASES)}
          title="Run every phase: the teachers, the baselines and the distillations"
        >
          ▶ Run
        </button>
        <label
          className="run-toolbar__seeds"
          title={'Run trains the baselines and the distilled models with this many seeds (the graph\'s seed, then the next ones) ' +
            'to read the gain with its spread; the teachers are trained once and then come from the cache. The single-kind buttons run one seed.'}
        >
          over
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
          {seedCount === 1 ? 'seed' : 'seeds'}
        </label>
        <button type="button" data-testid="sweep-button" disabled={active} onClick={() => setSweeping(true)}
          title="Run the experiment once per value of one or two parameters (temperature, a loss weight, the learning rate, ...) and compare the gains">
          Sweep…
        </button>
        <span className="run-toolbar__alone" role="group" aria-label="Run one kind of phase alone">
          <span className="run-toolbar__alone-label">or only</span>
          {SINGLE_PHASES.map((phase) => (
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
          {status === 'paused' ? '▶ Resume' : '❚❚ Pause'}
        </button>
        <button type="button" data-testid="stop-button" disabled={!active || stopping} onClick={stopRun}>
          {stopping && active ? 'Stopping…' : '■ Stop'}
        </button>
        <BackendSelector disabled={active} />
        <BackendBadge />
        <span className={`run-toolbar__status run-toolbar__status--${status}`} data-testid="run-status">
          {status}
        </span>
      </div>
      <RunProgress />
      <RunLog />
      <RunErrorMessage />
      {sweeping && <SweepDialog onClose={() => setSweeping(false)} />}
    </section>
  );
}

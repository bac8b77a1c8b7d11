import { compileExperiment, GraphCompileError } from '../../src/graph/compile';
import { withStudentSeedOffset } from '../../src/graph/seedOffset';
import type { ExperimentFile } from '../../src/graph/schema';
import type { BackendPreference, TrainCommand, TrainWorkerMessage } from '../../src/protocol';
import type { RunSelection, TrainingPlan } from '../../src/train/plan';
import { initialRunData, isRunActive, type RunData, type RunError } from '../store/runSlice';
import { applyRunMessages } from './runEvents';
import { currentSeed, endSweep, recordSeedRun, startSweep, sweepSeedOf, type SeedSweep } from './seedSweep';
import { currentPoint, endParamSweep, paramSweepProgress, recordParamRun, startParamSweep, type ParamSweep } from './paramSweep';
import { expandSweep, type SweepAxis } from '../../src/graph/sweepVariants';
import { sweepProblemText } from './sweepProblemText';
import { errorMessage } from '../../src/errorMessage';
import { backendProbeStore, browserStorage, type BackendProbeStore } from './backendProbeStore';
import { currentLanguage, type Language } from '../i18n/language';
import { runTexts } from '../i18n/catalogs/run';
import { problemText } from '../i18n/blocks/problemTexts';

/**
 * Owns the training worker: compiles the graph, starts runs, forwards pause/resume/stop, and folds
 * the worker's messages into the store in batches. A crashed worker becomes an error message; the
 * graph and the results so far stay. A seed sweep is a chain of runs of one snapshot of the graph,
 * each started when the previous one finishes; a parameter sweep is a chain of runs of that
 * snapshot's variants, all compiled before the first starts.
 */

/** One swept parameter as the dialog asks for it: the axis plus its label for the results. */
export type RequestedSweepAxis = SweepAxis & { label: string };

export interface RunControllerAccess {
  getExperiment: () => ExperimentFile;
  getRun: () => RunData;
  getBackendPreference: () => BackendPreference;
  updateRun: (update: (run: RunData) => RunData) => void;
  /** Starts a training worker; the browser's Web Worker unless a test runs the session in-process. */
  spawnWorker?: SpawnTrainWorker;
  /** Auto's stored measurements; localStorage unless a test passes its own. */
  probeStore?: BackendProbeStore;
  /** The language of the messages the controller writes; the page's unless a test (in Node, no page) passes one. */
  language?: () => Language;
}

/** What the controller hears from a worker: its messages, or that it died. */
export interface TrainWorkerHandlers {
  message: (message: TrainWorkerMessage) => void;
  crash: (detail: string) => void;
}

export interface TrainWorkerPort {
  postMessage: (command: TrainCommand) => void;
  terminate: () => void;
}

export type SpawnTrainWorker = (handlers: TrainWorkerHandlers) => TrainWorkerPort;

export const spawnBrowserTrainWorker: SpawnTrainWorker = ({ message, crash }) => {
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<TrainWorkerMessage>) => message(event.data);
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    crash(event.message || 'the worker script failed to load or threw outside the trainer');
  };
  worker.onmessageerror = () => crash('a message from the worker could not be read');
  return worker;
};

export interface RunController {
  /** Starts the selected phases; with `seedCount` > 1, a sweep over that many student seeds. */
  start: (runs: RunSelection, seedCount?: number) => void;
  /** Starts a sweep over one or two parameters (every phase each run); a variant the graph check refuses stops it before it starts. */
  startParamSweep: (axes: RequestedSweepAxis[]) => void;
  send: (command: Extract<TrainCommand, { type: 'pause' | 'resume' }>) => void;
  stop: () => void;
}

/** A parameter sweep reads the gain: every run trains teachers (cached), baselines and distillations. */
const ALL_PHASES_OF_A_SWEEP: RunSelection = { teacher: true, baseline: true, student: true };

/** Charts need no more than a few updates a second. */
const FLUSH_INTERVAL_MS = 150;

let runCounter = 0;

export function createRunController(access: RunControllerAccess): RunController {
  let worker: TrainWorkerPort | null = null;
  let pending: TrainWorkerMessage[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  /** Folds the queued messages into the store; true when there were any. */
  const applyPending = (): boolean => {
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.length === 0) return false;
    const batch = pending;
    pending = [];
    access.updateRun((run) => applyRunMessages(run, batch));
    return true;
  };

  const flush = (): void => {
    if (applyPending()) advanceSweep();
  };

  const probeStore = access.probeStore ?? backendProbeStore(browserStorage());
  // Messages are written once, in the language of that moment (they are kept in the run state and the journal).
  const language = access.language ?? currentLanguage;
  const texts = () => runTexts[language()];

  const enqueue = (message: TrainWorkerMessage): void => {
    // Auto measured this device: later runs reuse the numbers instead of measuring again.
    if (message.type === 'backend' && message.probe !== undefined) probeStore.save(message.probe);
    pending.push(message);
    if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_INTERVAL_MS);
  };

  // Never advances a sweep: a crash or a refused graph must not start the next seed.
  const reportError = (error: RunError): void => {
    applyPending();
    access.updateRun((run) => ({
      ...run, status: 'error', error, sweep: run.sweep && endSweep(run.sweep), paramSweep: run.paramSweep && endParamSweep(run.paramSweep),
    }));
  };

  const discardWorker = (): void => {
    worker?.terminate();
    worker = null;
  };

  const reportCrash = (detail: string): void => {
    discardWorker();
    reportError({
      kind: 'crash',
      message: texts().workerCrashed(detail),
      problems: [],
    });
  };

  const spawnWorker = (): TrainWorkerPort => (access.spawnWorker ?? spawnBrowserTrainWorker)({ message: enqueue, crash: reportCrash });

  /** The graph a running sweep trains: a snapshot, so edits during the sweep do not mix into it. */
  let sweepExperiment: ExperimentFile | null = null;
  /** The plans of a running parameter sweep, one per grid point in queue order. */
  let paramSweepPlans: TrainingPlan[] | null = null;
  /** Pause pressed and not resumed: the sweep's next seed starts paused too. */
  let pausedByUser = false;
  /** Stop pressed: no further seed starts, even if the current run's 'finished' is still queued. */
  let stopRequested = false;

  const launch = (plan: TrainingPlan, runs: RunSelection, sweeps: Pick<RunData, 'sweep' | 'paramSweep'>, log: RunData['log']): void => {
    // A fresh worker per run: no state or tensors leak from one run into the next.
    discardWorker();
    pending = [];
    worker = spawnWorker();
    runCounter += 1;
    const runId = `run-${Date.now()}-${runCounter}`;
    access.updateRun(() => ({ ...initialRunData(), status: 'running', runId, selection: runs, plan, startedAt: Date.now(), ...sweeps, log }));
    const backend = access.getBackendPreference();
    const command: TrainCommand = { type: 'start', runId, plan, runs, backend, ...(backend === 'auto' && { knownProbes: probeStore.load() }) };
    worker.postMessage(command);
    if (pausedByUser) worker.postMessage({ type: 'pause' } satisfies TrainCommand);
  };

  const sweepLogLine = (sweep: SeedSweep): RunData['log'][number] => {
    const { index, seed } = currentSeed(sweep);
    return { message: texts().seedLogLine(index + 1, sweep.count, seed), warning: false };
  };

  /** After each batch of messages: a sweep's run that finished starts the next seed; one that stopped or failed ends the sweep. */
  const advanceSweep = (): void => {
    const run = access.getRun();
    if (run.paramSweep !== null && run.paramSweep.state === 'running') {
      advanceParamSweep(run, run.paramSweep);
      return;
    }
    if (run.sweep === null || run.sweep.state !== 'running') return;
    if (run.status === 'stopped' || run.status === 'error') {
      access.updateRun((current) => ({ ...current, sweep: current.sweep && endSweep(current.sweep) }));
      return;
    }
    if (run.status !== 'finished' || run.results === null || run.selection === null) return;
    const seconds = run.startedAt === null ? null : (Date.now() - run.startedAt) / 1000;
    const recorded = recordSeedRun(run.sweep, run.results, seconds);
    const sweep = stopRequested || sweepExperiment === null ? endSweep(recorded) : recorded;
    if (sweep.state !== 'running' || sweepExperiment === null) {
      access.updateRun((current) => ({ ...current, sweep }));
      return;
    }
    let plan: TrainingPlan;
    try {
      plan = compileExperiment(withStudentSeedOffset(sweepExperiment, currentSeed(sweep).index));
    } catch (error) {
      access.updateRun((current) => ({ ...current, sweep: endSweep(sweep) }));
      reportError(describeCompileFailure(error, sweepExperiment, language()));
      return;
    }
    launch(plan, run.selection, { sweep, paramSweep: null }, [...run.log, sweepLogLine(sweep)]);
  };

  const paramSweepLogLine = (sweep: ParamSweep): RunData['log'][number] => ({ message: `${paramSweepProgress(sweep, texts())}.`, warning: false });

  /** The parameter sweep's counterpart of the seed sweep's step above: the next grid point, or the end. */
  const advanceParamSweep = (run: RunData, current: ParamSweep): void => {
    if (run.status === 'stopped' || run.status === 'error') {
      access.updateRun((latest) => ({ ...latest, paramSweep: latest.paramSweep && endParamSweep(latest.paramSweep) }));
      return;
    }
    if (run.status !== 'finished' || run.results === null || run.selection === null) return;
    const seconds = run.startedAt === null ? null : (Date.now() - run.startedAt) / 1000;
    const recorded = recordParamRun(current, run.results, seconds);
    const paramSweep = stopRequested || paramSweepPlans === null ? endParamSweep(recorded) : recorded;
    if (paramSweep.state !== 'running' || paramSweepPlans === null) {
      access.updateRun((latest) => ({ ...latest, paramSweep }));
      return;
    }
    launch(paramSweepPlans[currentPoint(paramSweep).index], run.selection, { sweep: null, paramSweep }, [...run.log, paramSweepLogLine(paramSweep)]);
  };

  return {
    start(runs, seedCount = 1) {
      const status = access.getRun().status;
      if (isRunActive(status)) return;
      if (!runs.teacher && !runs.baseline && !runs.student) {
        reportError({ kind: 'graph', message: texts().nothingSelected, problems: [] });
        return;
      }
      const experiment = access.getExperiment();
      let plan: TrainingPlan;
      try {
        plan = compileExperiment(experiment);
      } catch (error) {
        reportError(describeCompileFailure(error, experiment, language()));
        return;
      }
      let sweep: SeedSweep | null = null;
      if (seedCount > 1) {
        try {
          sweep = startSweep(experiment.name, sweepSeedOf(plan), seedCount);
          // The last seed must be valid too, before any seed trains.
          withStudentSeedOffset(experiment, seedCount - 1);
        } catch (error) {
          reportError({ kind: 'graph', message: texts().tooManySeeds(errorMessage(error)), problems: [] });
          return;
        }
      }
      sweepExperiment = sweep === null ? null : structuredClone(experiment);
      paramSweepPlans = null;
      pausedByUser = false;
      stopRequested = false;
      launch(plan, runs, { sweep, paramSweep: null }, sweep === null ? [] : [sweepLogLine(sweep)]);
    },
    startParamSweep(axes) {
      if (isRunActive(access.getRun().status)) return;
      const experiment = access.getExperiment();
      const expanded = expandSweep(experiment, axes);
      if ('problem' in expanded) {
        reportError({ kind: 'graph', message: texts().sweepCannotStart(sweepProblemText(expanded.problem, experiment, language())), problems: [] });
        return;
      }
      let plans: TrainingPlan[];
      try {
        // Every variant compiled now: a sweep never stops halfway on a graph it could have refused.
        plans = expanded.variants.map((variant) => compileExperiment(variant.experiment));
      } catch (error) {
        reportError(describeCompileFailure(error, experiment, language()));
        return;
      }
      const paramSweep = startParamSweep(experiment.name, axes.map(({ label, symbol, values }) => ({ label, symbol, values })),
        expanded.variants.map((variant) => variant.values));
      sweepExperiment = null;
      paramSweepPlans = plans;
      pausedByUser = false;
      stopRequested = false;
      launch(plans[0], ALL_PHASES_OF_A_SWEEP, { sweep: null, paramSweep }, [paramSweepLogLine(paramSweep)]);
    },
    send(command) {
      pausedByUser = command.type === 'pause';
      worker?.postMessage(command);
    },
    stop() {
      if (worker === null) return;
      // The run may already have finished, with its last messages still queued: the sweep keeps
      // that seed and starts no other.
      stopRequested = true;
      // Shown at once: the worker confirms only after the step in flight.
      if (isRunActive(access.getRun().status)) access.updateRun((run) => ({ ...run, stopping: true }));
      const command: TrainCommand = { type: 'stop' };
      worker.postMessage(command);
    },
  };
}

/** Turns a GraphCompileError (or anything thrown while compiling) into reasons a user can act on. */
export function describeCompileFailure(error: unknown, experiment: ExperimentFile, language: Language): RunError {
  const tx = runTexts[language];
  if (error instanceof GraphCompileError && error.problems.length > 0) {
    const labels = new Map(experiment.nodes.map((node) => [node.id, node.label]));
    return {
      kind: 'graph',
      message: tx.graphProblems,
      problems: error.problems.map((problem) => {
        const label = problem.nodeId === null ? undefined : labels.get(problem.nodeId);
        const text = problemText(problem, experiment, language);
        return label === undefined ? text : `${label}: ${text}`;
      }),
    };
  }
  const detail = errorMessage(error);
  return { kind: 'graph', message: tx.compileFailed(detail), problems: [] };
}

import { compileExperiment, GraphCompileError } from '../../src/graph/compile';
import type { ExperimentFile } from '../../src/graph/schema';
import type { BackendPreference, TrainCommand, TrainWorkerMessage } from '../../src/protocol';
import type { RunSelection, TrainingPlan } from '../../src/train/plan';
import { initialRunData, isRunActive, type RunData, type RunError } from '../store/runSlice';
import { applyRunMessages } from './runEvents';
import { errorMessage } from '../../src/errorMessage';

/**
 * Owns the training worker: compiles the graph, starts runs, forwards pause/resume/stop, and folds
 * the worker's messages into the store in batches. A crashed worker becomes an error message; the
 * graph and the results so far stay.
 */

export interface RunControllerAccess {
  getExperiment: () => ExperimentFile;
  getRun: () => RunData;
  getBackendPreference: () => BackendPreference;
  updateRun: (update: (run: RunData) => RunData) => void;
}

export interface RunController {
  start: (runs: RunSelection) => void;
  send: (command: Extract<TrainCommand, { type: 'pause' | 'resume' }>) => void;
  stop: () => void;
}

/** Charts need no more than a few updates a second. */
const FLUSH_INTERVAL_MS = 150;

let runCounter = 0;

export function createRunController(access: RunControllerAccess): RunController {
  let worker: Worker | null = null;
  let pending: TrainWorkerMessage[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  const flush = (): void => {
    flushTimer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    access.updateRun((run) => applyRunMessages(run, batch));
  };

  const enqueue = (message: TrainWorkerMessage): void => {
    pending.push(message);
    if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_INTERVAL_MS);
  };

  const reportError = (error: RunError): void => {
    flush();
    access.updateRun((run) => ({ ...run, status: 'error', error }));
  };

  const discardWorker = (): void => {
    worker?.terminate();
    worker = null;
  };

  const reportCrash = (detail: string): void => {
    discardWorker();
    reportError({
      kind: 'crash',
      message:
        `The training worker crashed: ${detail}. ` +
        'Your graph and the results so far are kept; press Run to try again.',
      problems: [],
    });
  };

  const spawnWorker = (): Worker => {
    const created = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module' });
    created.onmessage = (event: MessageEvent<TrainWorkerMessage>) => enqueue(event.data);
    created.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      reportCrash(event.message || 'the worker script failed to load or threw outside the trainer');
    };
    created.onmessageerror = () => reportCrash('a message from the worker could not be read');
    return created;
  };

  return {
    start(runs) {
      const status = access.getRun().status;
      if (isRunActive(status)) return;
      if (!runs.teacher && !runs.baseline && !runs.student) {
        reportError({ kind: 'graph', message: 'Choose at least one of teacher, baseline or student to run.', problems: [] });
        return;
      }
      const experiment = access.getExperiment();
      let plan: TrainingPlan;
      try {
        plan = compileExperiment(experiment);
      } catch (error) {
        reportError(describeCompileFailure(error, experiment));
        return;
      }
      // A fresh worker per run: no state or tensors leak from one run into the next.
      discardWorker();
      pending = [];
      worker = spawnWorker();
      runCounter += 1;
      const runId = `run-${Date.now()}-${runCounter}`;
      access.updateRun(() => ({ ...initialRunData(), status: 'running', runId, selection: runs, startedAt: Date.now() }));
      const command: TrainCommand = { type: 'start', runId, plan, runs, backend: access.getBackendPreference() };
      worker.postMessage(command);
    },
    send(command) {
      worker?.postMessage(command);
    },
    stop() {
      if (worker === null) return;
      const command: TrainCommand = { type: 'stop' };
      worker.postMessage(command);
    },
  };
}

/** Turns a GraphCompileError (or anything thrown while compiling) into reasons a user can act on. */
export function describeCompileFailure(error: unknown, experiment: ExperimentFile): RunError {
  if (error instanceof GraphCompileError && error.problems.length > 0) {
    const labels = new Map(experiment.nodes.map((node) => [node.id, node.label]));
    return {
      kind: 'graph',
      message: 'The graph has problems that block the run; fix them and press Run again.',
      problems: error.problems.map((problem) => {
        const label = problem.nodeId === null ? undefined : labels.get(problem.nodeId);
        return label === undefined ? problem.message : `${label}: ${problem.message}`;
      }),
    };
  }
  const detail = errorMessage(error);
  return { kind: 'graph', message: `The graph could not be compiled: ${detail}`, problems: [] };
}

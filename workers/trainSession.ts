import type { TrainCommand, TrainEvent, TrainWorkerMessage } from '../src/protocol';
import type { ChooseBackend } from '../src/backendChoice';
import { RunControl } from '../src/train/control';
import { runExperiment, type TrainEnv } from '../src/train/runner';
import { errorMessage } from '../src/errorMessage';

/**
 * What the training worker does with the page's commands, apart from the worker globals: one run
 * per session, every event forwarded tagged with the run id, pause/resume/stop passed to the run's
 * control, unexpected failures turned into an 'internal' error. train.worker.ts wires it to
 * `self`; the run controller's tests run it in-process on the Node backends.
 */

export interface TrainSessionDeps {
  post: (message: TrainWorkerMessage) => void;
  chooseBackend: ChooseBackend;
  /** Data, caches and clock of the run; the session supplies emit, control and backend. */
  env: Omit<TrainEnv, 'emit' | 'control' | 'backend'>;
}

export interface TrainSession {
  handle: (command: TrainCommand) => void;
  /** Reports a failure outside the run's own error handling (an unhandled rejection in the worker). */
  reportInternalError: (error: unknown) => void;
}

export function createTrainSession(deps: TrainSessionDeps): TrainSession {
  let currentRunId: string | null = null;
  let control: RunControl | null = null;

  const post = (event: TrainEvent): void => {
    if (currentRunId !== null) deps.post({ ...event, runId: currentRunId });
  };

  const reportInternalError = (error: unknown): void => {
    post({
      type: 'error',
      kind: 'internal',
      message: `Training failed unexpectedly: ${errorMessage(error)}. Your graph is kept; press Run to try again, or pick another backend.`,
    });
  };

  async function start(command: Extract<TrainCommand, { type: 'start' }>): Promise<void> {
    currentRunId = command.runId;
    const runControl = new RunControl();
    control = runControl;
    let finalStatusSent = false;
    const emit = (event: TrainEvent): void => {
      if (event.type === 'status' && (event.state === 'finished' || event.state === 'stopped')) finalStatusSent = true;
      post(event);
    };
    runControl.onStateChange((state) => {
      if (state !== 'stopped') emit({ type: 'status', state });
    });
    try {
      const chosen = await deps.chooseBackend(command.backend, { knownProbes: command.knownProbes });
      emit({ type: 'backend', backend: chosen.backend, reason: chosen.reason, ...(chosen.probe && { probe: chosen.probe }), ...(chosen.measured && { measured: chosen.measured }), ...(chosen.threads !== undefined && { threads: chosen.threads }) });
      emit({ type: 'status', state: 'running' });
      await runExperiment(command.plan, command.runs, { ...deps.env, emit, control: runControl, backend: chosen.backend });
      if (!finalStatusSent) emit({ type: 'status', state: runControl.stopRequested ? 'stopped' : 'finished' });
    } catch (error) {
      reportInternalError(error);
    } finally {
      control = null;
    }
  }

  const handle = (command: TrainCommand): void => {
    switch (command.type) {
      case 'start':
        if (control !== null) {
          post({ type: 'log', message: 'A run is already in progress in this worker; ignoring the new start.', detail: { code: 'runAlreadyInProgress' } });
          return;
        }
        void start(command);
        return;
      case 'pause':
        control?.pause();
        return;
      case 'resume':
        control?.resume();
        return;
      case 'stop':
        control?.stop();
        return;
    }
  };

  return { handle, reportInternalError };
}

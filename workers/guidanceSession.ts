import { errorMessage } from '../src/errorMessage';
import { GuidancePathError } from '../src/graph/guidancePaths';
import type { GuidanceCommand, GuidanceWorkerMessage, TrainEvent } from '../src/protocol';
import type { ChooseBackend } from '../src/backendChoice';
import { GuidanceSearchError, searchGuidancePaths, type GuidanceSearchEnv } from '../src/train/guidanceSearch';

/**
 * What the guidance-search worker does with the page's commands, apart from the worker globals:
 * one search per session (src/train/guidanceSearch.ts), its progress forwarded tagged with the
 * search id, stop passed on, failures sorted into requests the user can fix and internal ones.
 * guidance.worker.ts wires it to `self`; the tests run it in-process on the Node backends.
 */

export interface GuidanceSessionDeps {
  post: (message: GuidanceWorkerMessage) => void;
  chooseBackend: ChooseBackend;
  /** Data, caches and clock; the session supplies the backend, stop and progress callbacks. */
  env: Pick<GuidanceSearchEnv, 'readAsset' | 'now' | 'teacherCache' | 'pretrainedTeachers'>;
  /** Least time between two 'step' messages: every training step would flood the page. */
  stepIntervalMs?: number;
}

export interface GuidanceSession {
  handle: (command: GuidanceCommand) => void;
  /** Reports a failure outside the search's own handling (an unhandled rejection in the worker). */
  reportInternalError: (error: unknown) => void;
}

const DEFAULT_STEP_INTERVAL_MS = 250;

/** A worker message before the session tags it with the search id. */
type Untagged<M = GuidanceWorkerMessage> = M extends unknown ? Omit<M, 'searchId'> : never;

export function createGuidanceSession(deps: GuidanceSessionDeps): GuidanceSession {
  let searchId: string | null = null;
  let running = false;
  let stopRequested = false;
  const interval = deps.stepIntervalMs ?? DEFAULT_STEP_INTERVAL_MS;

  const post = (message: Untagged): void => {
    if (searchId !== null) deps.post({ ...message, searchId } as GuidanceWorkerMessage);
  };

  const reportInternalError = (error: unknown): void => {
    post({
      type: 'failed', kind: 'internal',
      message: `The search failed unexpectedly: ${errorMessage(error)}. Your graph is kept; search again, or pick another backend in the toolbar.`,
    });
  };

  async function search(command: Extract<GuidanceCommand, { type: 'search' }>): Promise<void> {
    searchId = command.searchId;
    running = true;
    stopRequested = false;
    let lastStep = Number.NEGATIVE_INFINITY;
    const onTrainEvent = (event: TrainEvent): void => {
      if (event.type === 'log' && event.warning === true) post({ type: 'log', message: event.message });
      if (event.type !== 'progress') return;
      const now = deps.env.now();
      if (now - lastStep < interval) return;
      lastStep = now;
      post({ type: 'step', phaseLabel: event.phaseLabel, fractionDone: event.fractionDone });
    };
    try {
      const chosen = await deps.chooseBackend(command.backend, { knownProbes: command.knownProbes });
      post({ type: 'backend', backend: chosen.backend, reason: chosen.reason, ...(chosen.probe && { probe: chosen.probe }), ...(chosen.measured && { measured: chosen.measured }) });
      const report = await searchGuidancePaths(command.experiment, command.lossNodeId, command.options, {
        ...deps.env,
        backend: chosen.backend,
        shouldStop: () => stopRequested,
        onProgress: (progress) => post({ type: 'pairing', progress }),
        onTrainEvent,
      });
      post({ type: 'report', report });
    } catch (error) {
      // Errors lose their class on the way to the page: sort them here.
      if (error instanceof GuidancePathError || error instanceof GuidanceSearchError) post({ type: 'failed', kind: 'request', message: error.message });
      else reportInternalError(error);
    } finally {
      running = false;
    }
  }

  const handle = (command: GuidanceCommand): void => {
    if (command.type === 'stop') {
      stopRequested = true;
      return;
    }
    // One search per worker: the page spawns a fresh one for the next search.
    if (!running) void search(command);
  };

  return { handle, reportInternalError };
}

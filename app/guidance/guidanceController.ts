import type { ExperimentFile } from '../../src/graph/schema';
import type { BackendPreference, GuidanceCommand, GuidanceWorkerMessage } from '../../src/protocol';
import {
  applyGuidanceMessage, crashedGuidance, isGuidanceActive, searchOptionsOf, startedGuidance,
  type GuidanceSearchState, type GuidanceSettings,
} from './guidanceState';
import { backendProbeStore, browserStorage, type BackendProbeStore } from '../run/backendProbeStore';

/**
 * Owns the guidance-search worker (workers/guidance.worker.ts): starts a search on a snapshot of
 * the graph, forwards Stop, folds the worker's messages into the store and ends the worker with
 * the search (it holds the networks and their tensors). A crash ends the search with what to do.
 */

export interface GuidanceWorkerHandlers {
  message: (message: GuidanceWorkerMessage) => void;
  crash: (detail: string) => void;
}

export interface GuidanceWorkerPort {
  postMessage: (command: GuidanceCommand) => void;
  terminate: () => void;
}

export type SpawnGuidanceWorker = (handlers: GuidanceWorkerHandlers) => GuidanceWorkerPort;

export const spawnBrowserGuidanceWorker: SpawnGuidanceWorker = ({ message, crash }) => {
  const worker = new Worker(new URL('../../workers/guidance.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<GuidanceWorkerMessage>) => message(event.data);
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    crash(event.message || 'the worker script failed to load or threw outside the search');
  };
  worker.onmessageerror = () => crash('a message from the worker could not be read');
  return worker;
};

export interface GuidanceControllerAccess {
  getState: () => GuidanceSearchState;
  update: (update: (state: GuidanceSearchState) => GuidanceSearchState) => void;
  /** The browser's Web Worker unless a test runs the session in-process. */
  spawnWorker?: SpawnGuidanceWorker;
  /** Auto's stored measurements, shared with runs; localStorage unless a test passes its own. */
  probeStore?: BackendProbeStore;
}

export interface GuidanceSearchRequest {
  experiment: ExperimentFile;
  lossNodeId: string;
  settings: GuidanceSettings;
  backend: BackendPreference;
  /** The graph's loadGeneration, recorded with the results. */
  generation: number;
}

export interface GuidanceController {
  start: (request: GuidanceSearchRequest) => void;
  stop: () => void;
}

let searchCounter = 0;

export function createGuidanceController(access: GuidanceControllerAccess): GuidanceController {
  let worker: GuidanceWorkerPort | null = null;
  const probeStore = access.probeStore ?? backendProbeStore(browserStorage());

  const discardWorker = (): void => {
    worker?.terminate();
    worker = null;
  };

  /** Handlers of one worker: a crash of a worker already replaced touches nothing. */
  const handlersFor = (port: () => GuidanceWorkerPort | null): GuidanceWorkerHandlers => ({
    message: (message) => {
      if (message.type === 'backend' && message.probe !== undefined) probeStore.save(message.probe);
      access.update((state) => applyGuidanceMessage(state, message));
      // The search is over (report or failure): free the worker's networks and tensors.
      if (worker !== null && worker === port() && !isGuidanceActive(access.getState().status)) discardWorker();
    },
    crash: (detail) => {
      if (worker === null || worker !== port()) return;
      discardWorker();
      access.update((state) => crashedGuidance(state, detail));
    },
  });

  return {
    start({ experiment, lossNodeId, settings, backend, generation }) {
      if (isGuidanceActive(access.getState().status)) return;
      discardWorker();
      searchCounter += 1;
      const searchId = `guidance-${Date.now()}-${searchCounter}`;
      access.update(() => startedGuidance(searchId, lossNodeId, generation));
      let spawned: GuidanceWorkerPort | null = null;
      spawned = (access.spawnWorker ?? spawnBrowserGuidanceWorker)(handlersFor(() => spawned));
      worker = spawned;
      // A snapshot: edits made while the search runs do not mix into it.
      const knownProbes = backend === 'auto' ? probeStore.load() : undefined;
      worker.postMessage({
        type: 'search', searchId, experiment: structuredClone(experiment), lossNodeId, options: searchOptionsOf(settings), backend, knownProbes,
      });
    },
    stop() {
      if (worker === null || access.getState().status !== 'running') return;
      access.update((state) => ({ ...state, status: 'stopping' }));
      worker.postMessage({ type: 'stop' });
    },
  };
}

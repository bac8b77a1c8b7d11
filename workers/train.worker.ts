/// <reference lib="webworker" />
import type { LayerWeights } from '../src/models/spec';
import type { TrainCommand, TrainEvent, TrainWorkerMessage } from '../src/protocol';
import { RunControl } from '../src/train/control';
import { pretrainedTeachers } from '../src/train/pretrained';
import { runExperiment, type TrainEnv } from '../src/train/runner';
import { chooseBackend } from './backend';
import { keyValueStore } from './keyValueStore';
import { errorMessage } from '../src/errorMessage';

/**
 * The training worker: picks a backend, runs src/train on the plan it is sent, and forwards every
 * event to the page tagged with the run id. One run per worker; the page spawns a fresh worker for
 * the next run.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;

let currentRunId: string | null = null;
let control: RunControl | null = null;

function post(event: TrainEvent): void {
  if (currentRunId === null) return;
  const message: TrainWorkerMessage = { ...event, runId: currentRunId };
  scope.postMessage(message);
}

function reportInternalError(error: unknown): void {
  const detail = errorMessage(error);
  post({
    type: 'error',
    kind: 'internal',
    message: `Training failed unexpectedly: ${detail}. Your graph is kept; press Run to try again, or pick another backend.`,
  });
}

// ---------- teacher cache in IndexedDB: a trained teacher is reused while its cacheKey matches ----------

/** Failures (private mode, quota) are caught and logged by the runner's teacher store (src/train/teacherStore.ts). */
const teacherCache: NonNullable<TrainEnv['teacherCache']> = keyValueStore<LayerWeights[]>('distillation-studio', 'teacher-weights');

/**
 * Pretrained teachers shipped with the studio, served from public/teachers (src/train/pretrained.ts).
 * A specific Accept header keeps Vite's dev server from answering a missing file with index.html;
 * an HTML answer from a host that rewrites every path counts as missing too.
 */
const shippedTeachers = pretrainedTeachers(async (name) => {
  const accept = name.endsWith('.bin') ? 'application/octet-stream' : 'application/json';
  const response = await fetch(`/teachers/${encodeURIComponent(name)}`, { headers: { Accept: accept } });
  if (response.status === 404 || response.headers.get('content-type')?.includes('text/html')) return null;
  if (!response.ok) throw new Error(`/teachers/${name} answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
});

async function readAsset(relativePath: string): Promise<Uint8Array> {
  const response = await fetch(`/data/${relativePath}`);
  if (!response.ok) {
    throw new Error(
      `Data file /data/${relativePath} is missing (HTTP ${response.status}). Run \`npm run prepare-data\` and reload.`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

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
    const chosen = await chooseBackend(command.backend);
    emit({ type: 'backend', backend: chosen.backend, reason: chosen.reason });
    emit({ type: 'status', state: 'running' });
    await runExperiment(command.plan, command.runs, {
      readAsset,
      emit,
      control: runControl,
      teacherCache,
      pretrainedTeachers: shippedTeachers,
      backend: chosen.backend,
      now: () => performance.now(),
    });
    if (!finalStatusSent) emit({ type: 'status', state: runControl.stopRequested ? 'stopped' : 'finished' });
  } catch (error) {
    reportInternalError(error);
  } finally {
    control = null;
  }
}

scope.onmessage = (event: MessageEvent<TrainCommand>) => {
  const command = event.data;
  switch (command.type) {
    case 'start':
      if (control !== null) {
        post({ type: 'log', message: 'A run is already in progress in this worker; ignoring the new start.' });
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

scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  reportInternalError(event.reason);
});

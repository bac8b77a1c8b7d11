/// <reference lib="webworker" />
import type { LayerWeights } from '../src/models/spec';
import type { TrainCommand } from '../src/protocol';
import { pretrainedTeachers } from '../src/train/pretrained';
import type { TrainEnv } from '../src/train/runner';
import { chooseBackend } from './backend';
import { keyValueStore } from './keyValueStore';
import { createTrainSession } from './trainSession';

/**
 * The training worker: picks a backend, runs src/train on the plan it is sent, and forwards every
 * event to the page tagged with the run id (workers/trainSession.ts). One run per worker; the page
 * spawns a fresh worker for the next run.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;

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

const session = createTrainSession({
  post: (message) => scope.postMessage(message),
  chooseBackend,
  env: { readAsset, teacherCache, pretrainedTeachers: shippedTeachers, now: () => performance.now() },
});

scope.onmessage = (event: MessageEvent<TrainCommand>) => session.handle(event.data);

scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  session.reportInternalError(event.reason);
});

/// <reference lib="webworker" />
import type { TrainCommand } from '../src/protocol';
import { chooseBackend } from './backend';
import { readAsset, shippedTeachers, teacherCache } from './trainServices';
import { createTrainSession } from './trainSession';

/**
 * The training worker: picks a backend, runs src/train on the plan it is sent, and forwards every
 * event to the page tagged with the run id (workers/trainSession.ts). One run per worker; the page
 * spawns a fresh worker for the next run. A trained teacher is reused from IndexedDB while its
 * cacheKey matches (workers/trainServices.ts).
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;

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

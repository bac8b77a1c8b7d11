/// <reference lib="webworker" />
import type { TrainCommand, TrainWorkerMessage } from '../src/protocol';
import { chooseBackend } from './backend';
import { loadUserDataset, readAsset, shippedTeachers, teacherCache } from './trainServices';
import { createTrainSession } from './trainSession';

/**
 * The training worker: picks a backend, runs src/train on the plan it is sent, and forwards every
 * event to the page tagged with the run id (workers/trainSession.ts). One run per worker; the page
 * spawns a fresh worker for the next run. A trained teacher is reused from IndexedDB while its
 * cacheKey matches (workers/trainServices.ts).
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;

const session = createTrainSession({
  post: (message: TrainWorkerMessage) => scope.postMessage(message),
  chooseBackend,
  env: { readAsset, teacherCache, pretrainedTeachers: shippedTeachers, now: () => performance.now() },
});

scope.onmessage = (event: MessageEvent<TrainCommand>) => {
  const command = event.data;
  if (command.type !== 'start') {
    session.handle(command);
    return;
  }
  // An imported dataset lives in IndexedDB: register it before the run asks the registry for it.
  loadUserDataset(command.plan.dataset.datasetId)
    .catch((error: unknown) => {
      const unread: TrainWorkerMessage = {
        type: 'log', runId: command.runId, warning: true, message: `Imported images could not be read: ${String(error)}`,
        detail: { code: 'importedImagesUnreadable', error: String(error) },
      };
      scope.postMessage(unread);
    })
    .finally(() => session.handle(command));
};

scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  session.reportInternalError(event.reason);
});

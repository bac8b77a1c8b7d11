/// <reference lib="webworker" />
import type { GuidanceCommand } from '../src/protocol';
import { chooseBackend } from './backend';
import { createGuidanceSession } from './guidanceSession';
import { loadUserDataset, readAsset, shippedTeachers, teacherCache } from './trainServices';

/**
 * The guidance-path search worker: picks a backend as the training worker does and runs the
 * search on the graph it is sent (workers/guidanceSession.ts), sharing the teacher cache with
 * training runs. One search per worker; the page spawns a fresh one for the next.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;

const session = createGuidanceSession({
  post: (message) => scope.postMessage(message),
  chooseBackend,
  env: { readAsset, teacherCache, pretrainedTeachers: shippedTeachers, now: () => performance.now() },
});

scope.onmessage = (event: MessageEvent<GuidanceCommand>) => {
  const command = event.data;
  if (command.type !== 'search') {
    session.handle(command);
    return;
  }
  // An imported dataset lives in IndexedDB: register it before the search asks the registry for it.
  const datasetId = command.experiment.nodes.find((node) => node.kind === 'dataset')?.params.datasetId;
  void (datasetId === undefined ? Promise.resolve() : loadUserDataset(datasetId)).catch(() => undefined).finally(() => session.handle(command));
};

scope.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => {
  event.preventDefault();
  session.reportInternalError(event.reason);
});

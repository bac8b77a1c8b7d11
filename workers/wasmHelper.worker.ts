/// <reference lib="webworker" />
import type { WasmHelperCommand, WasmHelperMessage } from '../src/protocol';
import { serveTeamJobs } from '../src/models/wasm-team';

/**
 * One helper thread of the studio's wasm kernels (src/models/wasm-team.ts), started by the training
 * or bench worker when the threaded tfjs build runs: after its first message it computes slices of
 * large products and Adam updates in tfjs's shared memory until its team stops it.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<WasmHelperCommand>) => {
  scope.onmessage = null;
  serveTeamJobs(event.data, (reply: WasmHelperMessage) => scope.postMessage(reply));
};

/// <reference lib="webworker" />
import type { GemmHelperCommand, GemmHelperMessage } from '../src/protocol';
import { serveGemmBands } from '../src/models/wasm-gemm-team';

/**
 * One helper thread of the wasm GEMM (src/models/wasm-gemm-team.ts), started by the training or
 * bench worker when the threaded tfjs build runs: after its first message it computes bands of
 * large products in tfjs's shared memory until its team stops it.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<GemmHelperCommand>) => {
  scope.onmessage = null;
  serveGemmBands(event.data, (reply: GemmHelperMessage) => scope.postMessage(reply));
};

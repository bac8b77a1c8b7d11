import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WasmHelperMessage } from '../../src/protocol';
import type { WasmHelperPort } from '../../src/models/wasm-team';

/**
 * The thread's bootstrap: loads scripts/lib/wasmHelperThread.ts through tsx's API (a worker's
 * `--import tsx` does not reach its entry under Node 20 once vitest or tsx runs the parent).
 */
function bootstrap(): string {
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/index\.cjs$/, 'index.mjs');
  const entry = new URL('./wasmHelperThread.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
}

/** One wasm helper as a Node worker thread running scripts/lib/wasmHelperThread.ts. */
export function nodeWasmHelperPort(): WasmHelperPort {
  const worker = new Worker(bootstrap(), { eval: true });
  return {
    start: (command) =>
      new Promise<WasmHelperMessage>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(command);
      }),
    terminate: () => void worker.terminate(),
  };
}

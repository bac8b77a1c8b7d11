import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { tfjsTapeForOf } from './scripts/lib/tfjs-tape-patch';

/**
 * tfjs-backend-wasm starts its pthread workers from the source text of the threaded module's
 * factory (`factory.toString()` in a Blob), so the factory must not use variables of the scope
 * around it. It reads one, `_scriptDir`, behind a `typeof` guard; the minifier renames it and,
 * knowing it is declared, drops the guard, and each thread then fails with "e is not defined".
 * Declaring it inside the factory keeps the text self-contained (tfjs passes the script's Blob
 * itself, so the value is not needed).
 */
function selfContainedWasmThreads(): Plugin {
  const factoryStart = 'function(WasmBackendModuleThreadedSimd) {\n';
  return {
    name: 'self-contained-wasm-threads',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js') || id.includes('.worker.')) return null;
      if (!code.includes(factoryStart)) this.error(`${id}: the threaded factory has changed; check the wasm threads fix.`);
      return { code: code.replace(factoryStart, `${factoryStart}  var _scriptDir = undefined;\n`), map: null };
    },
  };
}

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // tfjsTapeForOf: in the app, its workers and the dev server's pre-bundled tfjs alike.
  plugins: [react(), selfContainedWasmThreads(), tfjsTapeForOf()],
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  worker: { format: 'es', plugins: () => [selfContainedWasmThreads(), tfjsTapeForOf()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // bench.html drives the throughput benchmark in a real browser (scripts/bench.ts).
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  // Scan the workers too: otherwise Vite discovers their tfjs imports on the first Run,
  // re-optimises and reloads the page mid-run.
  optimizeDeps: { entries: ['index.html', 'workers/*.ts'], exclude: ['onnxruntime-web'], rolldownOptions: { plugins: [tfjsTapeForOf()] } },
});

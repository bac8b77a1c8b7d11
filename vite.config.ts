import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // bench.html drives the throughput benchmark in a real browser (scripts/bench.ts).
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  // Scan the workers too: otherwise Vite discovers their tfjs imports on the first Run,
  // re-optimises and reloads the page mid-run.
  optimizeDeps: { entries: ['index.html', 'workers/*.ts'], exclude: ['onnxruntime-web'] },
});

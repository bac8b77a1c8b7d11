import { architecturePresets } from '../../src/models/presets';
import type { BrowserBenchReply, BrowserBenchRequest, ThroughputResult } from '../../src/train/benchmark';
import type { KernelProfile } from '../../src/train/kernelTimer';

/**
 * The browser half of `npm run bench`: no React, just a worker and a table. Query parameters:
 * steps, batch, images, backends (comma list), models (preset ids), wasmThreads (comma list of
 * thread counts: one fresh worker per entry, in that order, measuring wasm only after the first;
 * e.g. 1,2,1,2 interleaves single- and two-threaded runs), gemm (comma list of wasm GEMM modes
 * auto|muladd|off, one fresh worker each in that order likewise; takes precedence over wasmThreads),
 * profile=1 (also a per-kernel profile of each row, src/train/kernelTimer.ts), warmup (untimed steps,
 * default 1), adam (comma list of Adam's wasm modes on|copy|off) and tile (comma list of the fma
 * GEMM's register-tile heights 4|6), timed in turns in each worker, every pair once per round,
 * turnRounds rounds. Results land in
 * `window.benchResults` and `document.body.dataset.benchDone` for the Node script to collect.
 */

export interface BrowserBenchResults {
  rows: (ThroughputResult & { helperChunks?: number })[];
  skipped: { backend: string; model: string; reason: string }[];
  profiles: { backend: string; model: string; profile: KernelProfile }[];
  error: string | null;
}

declare global {
  interface Window {
    benchResults?: BrowserBenchResults;
  }
}

const params = new URLSearchParams(location.search);
const number = (key: string, fallback: number): number => {
  const value = Number(params.get(key));
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const list = (key: string, fallback: string[]): string[] => params.get(key)?.split(',').filter(Boolean) ?? fallback;

const modelIds = list('models', ['hinton-teacher', 'hinton-student', 'cnn-teacher', 'cnn-student']);
const request: BrowserBenchRequest = {
  type: 'run',
  backends: list('backends', ['webgpu', 'webgl', 'cpu', 'wasm']),
  models: modelIds.map((id) => {
    const spec = architecturePresets[id];
    if (!spec) throw new Error(`Unknown model preset '${id}' (known: ${Object.keys(architecturePresets).join(', ')}).`);
    return spec;
  }),
  batchSize: number('batch', 64),
  steps: number('steps', 3),
  trainImages: number('images', 1024),
  wasmThreads: null,
  profile: params.get('profile') === '1',
  // Absent: the worker's default (DEFAULT_WARMUP_STEPS; not imported here, which would pull tfjs into the page).
  warmupSteps: params.has('warmup') ? number('warmup', 1) : undefined,
  adamModes: list('adam', []).filter((mode): mode is 'on' | 'copy' | 'off' => mode === 'on' || mode === 'copy' || mode === 'off'),
  tileRows: list('tile', []).map(Number).filter((rows): rows is 4 | 6 => rows === 4 || rows === 6),
  turnRounds: number('turnRounds', 1),
};
const threadRuns = list('wasmThreads', []).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const gemmRuns = list('gemm', []).filter((mode): mode is 'auto' | 'muladd' | 'off' => mode === 'auto' || mode === 'muladd' || mode === 'off');

const output = document.getElementById('output') as HTMLPreElement;
const results: BrowserBenchResults = { rows: [], skipped: [], profiles: [], error: null };
const line = (text: string): void => {
  output.textContent += `${text}\n`;
};

/** One worker run of `run`; resolves when it is done or failed (a failure ends the benchmark). */
function runWorker(run: BrowserBenchRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('../../workers/bench.worker.ts', import.meta.url), { type: 'module' });
    const finish = (ok: boolean): void => {
      worker.terminate();
      resolve(ok);
    };
    worker.onmessage = (event: MessageEvent<BrowserBenchReply>) => {
      const reply = event.data;
      switch (reply.type) {
        case 'row':
          results.rows.push(reply.row);
          line(`${reply.row.backend.padEnd(9)} ${reply.row.model.padEnd(16)} ${reply.row.samplesPerSecond.toFixed(1)} samples/s (${reply.row.msPerStep.toFixed(0)} ms/step)`);
          return;
        case 'profile':
          results.profiles.push(reply);
          return;
        case 'skipped':
          results.skipped.push(reply);
          line(`${reply.backend.padEnd(9)} ${reply.model.padEnd(16)} skipped: ${reply.reason}`);
          return;
        case 'failed':
          results.error = reply.message;
          line(`failed: ${reply.message}`);
          finish(false);
          return;
        case 'done':
          finish(true);
          return;
      }
    };
    worker.onerror = (event) => {
      results.error = event.message || 'the benchmark worker crashed';
      finish(false);
    };
    worker.postMessage(run);
  });
}

async function runAll(): Promise<void> {
  line(`Benchmarking ${modelIds.join(', ')} on ${request.backends.join(', ')}: ${request.steps} timed steps of batch ${request.batchSize}`);
  const runs: BrowserBenchRequest[] = gemmRuns.length > 0
    ? gemmRuns.map((gemm, i) => ({ ...request, gemm, backends: i === 0 ? request.backends : ['wasm'] }))
    : threadRuns.length === 0
    ? [request]
    : threadRuns.map((threads, i) => ({ ...request, wasmThreads: threads, backends: i === 0 ? request.backends : ['wasm'] }));
  for (const run of runs) {
    if (!(await runWorker(run))) break;
  }
  line('done');
  window.benchResults = results;
  document.body.dataset.benchDone = 'true';
}

void runAll();

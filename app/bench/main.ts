import { architecturePresets } from '../../src/models/presets';
import type { BrowserBenchReply, BrowserBenchRequest, ThroughputResult } from '../../src/train/benchmark';

/**
 * The browser half of `npm run bench`: no React, just a worker and a table. Query parameters:
 * steps, batch, images, backends (comma list), models (preset ids). Results land in
 * `window.benchResults` and `document.body.dataset.benchDone` for the Node script to collect.
 */

export interface BrowserBenchResults {
  rows: ThroughputResult[];
  skipped: { backend: string; model: string; reason: string }[];
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
};

const output = document.getElementById('output') as HTMLPreElement;
const results: BrowserBenchResults = { rows: [], skipped: [], error: null };
const line = (text: string): void => {
  output.textContent += `${text}\n`;
};

const worker = new Worker(new URL('../../workers/bench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<BrowserBenchReply>) => {
  const reply = event.data;
  switch (reply.type) {
    case 'row':
      results.rows.push(reply.row);
      line(`${reply.row.backend.padEnd(7)} ${reply.row.model.padEnd(16)} ${reply.row.samplesPerSecond.toFixed(1)} samples/s (${reply.row.msPerStep.toFixed(0)} ms/step)`);
      return;
    case 'skipped':
      results.skipped.push(reply);
      line(`${reply.backend.padEnd(7)} ${reply.model.padEnd(16)} skipped: ${reply.reason}`);
      return;
    case 'failed':
      results.error = reply.message;
      line(`failed: ${reply.message}`);
      break;
    case 'done':
      line('done');
      break;
  }
  window.benchResults = results;
  document.body.dataset.benchDone = 'true';
  worker.terminate();
};
worker.onerror = (event) => {
  results.error = event.message || 'the benchmark worker crashed';
  window.benchResults = results;
  document.body.dataset.benchDone = 'true';
};
line(`Benchmarking ${modelIds.join(', ')} on ${request.backends.join(', ')}: ${request.steps} timed steps of batch ${request.batchSize}`);
worker.postMessage(request);

/**
 * `npm run bench`: training throughput (samples/s) of the Hinton preset's teacher and student on
 * every backend (Node cpu and wasm; Chromium webgpu, webgl, wasm, cpu through bench.html), and the
 * time the student needs to reach a target test accuracy in Node. Prints a table.
 *
 * Options: --steps N (Node timed steps, default 10), --browser-steps N (default 3), --batch N
 * (default: the preset's batch size), --target F (default 0.97), --target-seconds S (default 600),
 * --target-backend cpu|wasm (default wasm), --target-test N (test images evaluated, default 10000),
 * --no-browser, --no-node, --no-target, --dev-server (serve bench.html from the dev server instead of a build).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import { build, createServer, preview } from 'vite';
import type { BrowserBenchResults } from '../app/bench/main';
import { loadDataset } from '../src/data/loader';
import { architecturePresets } from '../src/models/presets';
import type { TrainerSettings } from '../src/graph/schema';
import { modelPlan, type TrainingPlan } from '../src/train/plan';
import { measureThroughput, timeToAccuracy, type ThroughputResult, type TimeToAccuracyResult } from '../src/train/benchmark';
import { loadPlan, selectNodeBackend, type NodeBackend } from './experiment';
import { nodeAssetReader } from './lib/node-assets';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRESET = path.join(ROOT, 'public', 'presets', 'hinton-mnist.json');

interface BenchOptions {
  steps: number;
  browserSteps: number;
  batch: number | null;
  target: number;
  targetSeconds: number;
  targetBackend: NodeBackend;
  targetTest: number;
  browser: boolean;
  node: boolean;
  devServer: boolean;
  timeToTarget: boolean;
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    steps: 10, browserSteps: 3, batch: null, target: 0.97, targetSeconds: 600, targetBackend: 'wasm', targetTest: 10_000, browser: true, node: true, devServer: false, timeToTarget: true,
  };
  const positive = (value: string | undefined, flag: string): number => {
    const n = Number(value);
    if (!(n > 0)) throw new Error(`${flag} needs a positive number, got '${value}'.`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--steps': options.steps = Math.round(positive(argv[++i], flag)); break;
      case '--browser-steps': options.browserSteps = Math.round(positive(argv[++i], flag)); break;
      case '--batch': options.batch = Math.round(positive(argv[++i], flag)); break;
      case '--target': options.target = positive(argv[++i], flag); break;
      case '--target-seconds': options.targetSeconds = positive(argv[++i], flag); break;
      case '--target-test': options.targetTest = Math.round(positive(argv[++i], flag)); break;
      case '--target-backend': {
        const value = argv[++i];
        if (value !== 'cpu' && value !== 'wasm') throw new Error(`--target-backend must be cpu or wasm, got '${value}'.`);
        options.targetBackend = value;
        break;
      }
      case '--no-browser': options.browser = false; break;
      case '--no-target': options.timeToTarget = false; break;
      case '--no-node': options.node = false; break;
      case '--dev-server': options.devServer = true; break;
      default: throw new Error(`Unknown option '${flag}'. See the header of scripts/bench.ts.`);
    }
  }
  return options;
}

interface Row { where: string; backend: string; model: string; result: ThroughputResult | null; note: string }

type Spec = Parameters<typeof measureThroughput>[0];

/** The MLP pair of the Hinton preset and the CNN pair of the attention-transfer preset. */
const BENCH_MODELS = ['hinton-teacher', 'hinton-student', 'cnn-teacher', 'cnn-student'];

async function nodeThroughput(options: BenchOptions, batch: number, models: Spec[]): Promise<Row[]> {
  const data = await loadDataset({ datasetId: 'mnist', trainSubset: 2048, validationSize: 0, testSubset: 1, augmentShift: 0 }, nodeAssetReader());
  const rows: Row[] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await selectNodeBackend(backend);
    for (const spec of models) {
      const result = await measureThroughput(spec, data, { batchSize: batch, steps: options.steps, now: () => performance.now() });
      rows.push({ where: 'node', backend, model: spec.name, result, note: '' });
      console.log(`  node ${backend} ${spec.name}: ${result.samplesPerSecond.toFixed(1)} samples/s`);
    }
  }
  return rows;
}

interface RunningServer { url: string; close(): Promise<void> }

/**
 * A production build served by `vite preview` by default: the wasm backend's threaded worker does
 * not load from the dev server (Vite serves its worker file as a module without the expected export).
 */
async function startServer(dev: boolean): Promise<RunningServer> {
  const configFile = path.join(ROOT, 'vite.config.ts');
  if (dev) {
    const server = await createServer({ root: ROOT, configFile, logLevel: 'error', server: { port: 0, strictPort: false } });
    await server.listen();
    return { url: server.resolvedUrls?.local[0] ?? '', close: () => server.close() };
  }
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'distillation-bench-'));
  console.log(`  building the app into ${outDir} ...`);
  await build({ root: ROOT, configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root: ROOT, configFile, logLevel: 'error', build: { outDir }, preview: { port: 0, strictPort: false } });
  return {
    url: server.resolvedUrls?.local[0] ?? '',
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

async function browserThroughput(options: BenchOptions, batch: number): Promise<Row[]> {
  const server = await startServer(options.devServer);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const base = server.url;
    if (!base) throw new Error('The Vite server did not report a URL.');
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`  [browser] ${message.text()}`);
    });
    await page.goto(`${base}bench.html?steps=${options.browserSteps}&batch=${batch}&models=${BENCH_MODELS.join(',')}`);
    await page.waitForSelector('body[data-bench-done="true"]', { timeout: 30 * 60_000 });
    const results = await page.evaluate(() => window.benchResults) as BrowserBenchResults;
    if (results.error) console.log(`  browser benchmark failed: ${results.error}`);
    return [
      ...results.rows.map((result) => ({ where: 'chromium', backend: result.backend, model: result.model, result, note: '' })),
      ...results.skipped.map((s) => ({ where: 'chromium', backend: s.backend, model: s.model, result: null, note: s.reason })),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

function printTable(rows: Row[], target: TimeToAccuracyResult | null): void {
  const header = ['where', 'backend', 'model', 'samples/s', 'ms/step', 'note'];
  const lines = rows.map((r) => [
    r.where, r.backend, r.model,
    r.result ? r.result.samplesPerSecond.toFixed(1) : '-',
    r.result ? r.result.msPerStep.toFixed(0) : '-',
    r.note,
  ]);
  const widths = header.map((h, i) => (i === header.length - 1 ? h.length : Math.max(h.length, ...lines.map((l) => l[i].length))));
  const format = (cells: string[]): string => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('  ');
  if (rows.length > 0) {
    console.log('\nTraining throughput (cross-entropy steps, Adam, batch ' + (rows[0]?.result?.batchSize ?? '?') + '):');
    console.log(format(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const line of lines) console.log(format(line));
  }
  if (target) {
    const verdict = target.reached
      ? `reached ${(target.target * 100).toFixed(1)}% in ${target.seconds.toFixed(1)} s of training`
      : `did not reach ${(target.target * 100).toFixed(1)}% within ${target.seconds.toFixed(1)} s (best ${(target.bestAccuracy * 100).toFixed(2)}%)`;
    console.log(`\nTime to target (node ${target.backend}, ${target.model}): ${verdict}; ${target.steps} steps, ${target.epochs.toFixed(2)} epochs.`);
  }
}

/** The time-to-target run is the preset's baseline: the student's architecture, trained on labels with the baseline's settings. */
function baselineOf(plan: TrainingPlan): { spec: Spec; settings: TrainerSettings } {
  const phase = plan.phases.find((candidate) => candidate.kind === 'baseline');
  if (!phase) throw new Error(`${path.basename(PRESET)} has no baseline phase to time.`);
  return { spec: modelPlan(plan, phase.trains[0]).architecture, settings: phase.stages[0].settings };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const plan = await loadPlan(PRESET, { epochs: null, studentSeed: null, trainSubset: undefined, testSubset: undefined });
  const baseline = baselineOf(plan);
  const batch = options.batch ?? baseline.settings.batchSize;
  const models = BENCH_MODELS.map((id) => architecturePresets[id]);
  console.log(`Benchmark: ${BENCH_MODELS.join(', ')}; batch ${batch}`);
  const rows = options.node ? await nodeThroughput(options, batch, models) : [];
  if (options.browser) rows.push(...await browserThroughput(options, batch));
  let target: TimeToAccuracyResult | null = null;
  if (options.timeToTarget) {
    await selectNodeBackend(options.targetBackend);
    const data = await loadDataset({ ...plan.dataset, trainSubset: null, testSubset: options.targetTest, augmentShift: 0 }, nodeAssetReader());
    console.log(`  time to ${options.target} on node ${tf.getBackend()} (${data.train.count} training images, ${data.test.count} test images)...`);
    target = await timeToAccuracy(baseline.spec, data, {
      settings: { ...baseline.settings, batchSize: batch }, target: options.target, evaluateEverySteps: 100, maxSeconds: options.targetSeconds, now: () => performance.now(),
    });
  }
  printTable(rows, target);
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});

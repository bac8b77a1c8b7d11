/**
 * `npm run bench`: training throughput (samples/s) of the Hinton preset's teacher and student on
 * every backend (Node cpu and wasm; Chromium webgpu, webgl, wasm, cpu through bench.html), and the
 * time the student needs to reach a target test accuracy in Node. Prints a table.
 *
 * Options: --steps N (Node timed steps, default 10), --browser-steps N (default 3), --batch N
 * (default: the preset's batch size), --target F (default 0.97), --target-seconds S (default 600),
 * --target-backend cpu|wasm (default wasm), --target-test N (test images evaluated, default 10000),
 * --no-browser, --no-node, --no-target, --dev-server (serve bench.html from the dev server instead of a build),
 * --browser-backends webgpu,webgl,cpu,wasm (the browser backends to measure, default all),
 * --wasm-threads 1,2 (browser wasm with these thread counts, a fresh worker each, in turns
 * --repeats times; rows are medians, labelled "wasm xN gemm=BUILD"; default: the studio's own choice),
 * --vs-pytorch (also train the same four models in PyTorch, Debian's python3-torch, with one thread
 * and with all cores, interleaved with Node wasm in this session, and again after each browser
 * round, whose rows then give the median of their per-round ratios: --repeats N rounds, default 3,
 * medians; every row then shows its ratio to PyTorch),
 * --gemm auto,off (Node wasm only, no Node cpu: each model with the studio's wasm GEMM in each of these
 * modes in turns, --repeats rounds, medians, rows "wasm gemm=MODE"; auto = the relaxed-SIMD FMA build
 * where supported, muladd = the mul + add build, off = tfjs's XNNPACK path; in Chromium one fresh
 * worker per mode and round, rows "wasm xN gemm=fma|fma6|muladd|off", the build that actually ran).
 * --fused-adam on,copy,off (Adam's update as the fused wasm kernel, in place where allowed (on) or
 * always into new buffers (copy), or as tfjs ops (off). Node wasm, no Node cpu: in turns like
 * --gemm, rows "wasm adam=MODE"; with --gemm too, every pair of modes. Chromium: in turns inside
 * each worker, --repeats times, rows "wasm xN gemm=... adam=MODE"),
 * --gemm-tile 4,6 (the fma GEMM's register tile of 4 or 6 rows, src/models/wasm-gemm-tile.ts; by
 * default each engine measures which is faster. In turns like --fused-adam, with it every pair;
 * rows "gemm=fma" (4 rows) and "gemm=fma6"),
 * --models hinton-student,cnn-teacher (the presets to measure, default the four above),
 * --warmup N (untimed steps before the timed ones in Node, Chromium and PyTorch alike, default 8:
 * wasm engines compile hot functions again, optimised, during the first steps; the helper threads
 * of a two-thread run take longest: the Hinton student 5,131 samples/s after 1 step, 6,990 after 8),
 * --profile (the browser rows also time every kernel in a second measurement and print where each
 * step's time goes, as scripts/profile-step.ts does in Node).
 * First it prints how much arithmetic a second thread adds here (scripts/lib/parallel-probe.ts: the
 * studio's GEMM, and with --vs-pytorch PyTorch's, alone and on two threads at once).
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
import type { LoadedDataset } from '../src/data/types';
import { formatKernelProfile } from '../src/train/kernelTimer';
import { architecturePresets } from '../src/models/presets';
import type { TrainerSettings } from '../src/graph/schema';
import { modelPlan, type TrainingPlan } from '../src/train/plan';
import { measureThroughput, timeToAccuracy, type ThroughputResult, type TimeToAccuracyResult } from '../src/train/benchmark';
import { loadPlan, selectNodeBackend, type NodeBackend } from './experiment';
import { nodeAssetReader } from './lib/node-assets';
import { pytorchUnavailable, startPyTorchBench, type PyTorchBench, type PyTorchMeasurement } from './lib/pytorch-bench';
import { formatParallelProbe, probeTorchParallelism, probeWasmParallelism } from './lib/parallel-probe';
import { activeWasmGemmBuild, setWasmGemmMode, type GemmMode } from '../src/models/wasm-gemm';
import { setWasmAdamMode, type WasmAdamMode } from '../src/models/wasm-adam';
import { setFmaTileRows } from '../src/models/wasm-gemm-tile';
import type { GemmTileRows } from '../src/models/wasm-gemm-wat';

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
  vsPyTorch: boolean;
  repeats: number;
  /** Backends bench.html measures (null: all it knows). */
  browserBackends: string[] | null;
  /** Wasm thread counts to compare in the browser, each run --repeats times in turns (empty: the studio's default). */
  wasmThreads: number[];
  /** Wasm GEMM modes to compare in Node, in turns (empty: the studio's default only). */
  gemmModes: GemmMode[];
  /** Fused wasm Adam modes to compare, in turns (empty: the studio's default only). */
  adamModes: WasmAdamMode[];
  /** The fma GEMM's register-tile heights to compare, in turns (empty: the height each engine measures faster). */
  tileRows: GemmTileRows[];
  /** Per-kernel profiles of the browser rows (bench.html profile=1). */
  profile: boolean;
  /** Preset ids to measure (default BENCH_MODELS). */
  models: string[];
  /** Untimed steps before the timed ones, everywhere (Node, Chromium, PyTorch). */
  warmup: number;
}

const BENCH_MODELS = ['hinton-teacher', 'hinton-student', 'cnn-teacher', 'cnn-student'];

function parseArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    steps: 10, browserSteps: 3, batch: null, target: 0.97, targetSeconds: 600, targetBackend: 'wasm', targetTest: 10_000, browser: true, node: true, devServer: false, timeToTarget: true, vsPyTorch: false, repeats: 3, browserBackends: null, wasmThreads: [], gemmModes: [], adamModes: [], tileRows: [], profile: false, models: BENCH_MODELS, warmup: 8,
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
      case '--profile': options.profile = true; break;
      case '--warmup': options.warmup = Number(argv[++i]);
        if (!Number.isInteger(options.warmup) || options.warmup < 0) throw new Error(`--warmup takes a whole number of steps, got '${argv[i]}'.`);
        break;
      case '--models': options.models = (argv[++i] ?? '').split(',').map((id) => {
        if (!architecturePresets[id]) throw new Error(`--models takes preset ids (${BENCH_MODELS.join(', ')}, ...), got '${id}'.`);
        return id;
      }); break;
      case '--no-node': options.node = false; break;
      case '--dev-server': options.devServer = true; break;
      case '--vs-pytorch': options.vsPyTorch = true; break;
      case '--repeats': options.repeats = Math.round(positive(argv[++i], flag)); break;
      case '--wasm-threads': options.wasmThreads = (argv[++i] ?? '').split(',').map((n) => Math.round(positive(n, flag))); break;
      case '--gemm': options.gemmModes = (argv[++i] ?? '').split(',').map((mode) => {
        if (mode !== 'auto' && mode !== 'muladd' && mode !== 'off') throw new Error(`--gemm takes auto, muladd and off, got '${mode}'.`);
        return mode;
      }); break;
      case '--fused-adam': options.adamModes = (argv[++i] ?? '').split(',').map((mode) => {
        if (mode !== 'on' && mode !== 'copy' && mode !== 'off') throw new Error(`--fused-adam takes on, copy and off, got '${mode}'.`);
        return mode;
      }); break;
      case '--gemm-tile': options.tileRows = (argv[++i] ?? '').split(',').map((rows) => {
        if (rows !== '4' && rows !== '6') throw new Error(`--gemm-tile takes 4 and 6, got '${rows}'.`);
        return rows === '4' ? 4 : 6;
      }); break;
      case '--browser-backends': options.browserBackends = (argv[++i] ?? '').split(',').filter(Boolean); break;
      default: throw new Error(`Unknown option '${flag}'. See the header of scripts/bench.ts.`);
    }
  }
  return options;
}

interface Row {
  where: string; backend: string; model: string; result: ThroughputResult | null; note: string;
  /** Median over rounds of samples/s / PyTorch's samples/s measured right after in the same round (browser rows with --vs-pytorch). */
  paired?: { one: number; all: number };
}

type Spec = Parameters<typeof measureThroughput>[0];

/** The MLP pair of the Hinton preset and the CNN pair of the attention-transfer preset. */

async function nodeThroughput(options: BenchOptions, batch: number, models: Spec[], backends: readonly NodeBackend[]): Promise<Row[]> {
  const data = await loadDataset({ datasetId: 'mnist', trainSubset: 2048, validationSize: 0, testSubset: 1, augmentShift: 0 }, nodeAssetReader());
  const rows: Row[] = [];
  if (options.gemmModes.length > 0 || options.adamModes.length > 0 || options.tileRows.length > 0) {
    // Before/after in one session: every variant in turn per model and round, so load hits each alike.
    await selectNodeBackend('wasm');
    const each = <T>(values: readonly T[]): (T | null)[] => (values.length > 0 ? [...values] : [null]);
    const variants = each(options.gemmModes).flatMap((gemm) => each(options.adamModes).flatMap((adam) => each(options.tileRows).map((tile) => ({
      gemm, adam, tile, label: [gemm && `gemm=${gemm}`, adam && `adam=${adam}`, tile && `tile=${tile}`].filter(Boolean).join(' '),
    }))));
    const samples = new Map<string, number[]>();
    for (let round = 1; round <= options.repeats; round++) {
      for (const spec of models) {
        for (const { gemm, adam, tile, label } of variants) {
          setWasmGemmMode(gemm ?? 'auto');
          setWasmAdamMode(adam ?? 'on');
          setFmaTileRows(tile ?? 'auto');
          const result = await measureThroughput(spec, data, { batchSize: batch, steps: options.steps, warmupSteps: options.warmup, now: () => performance.now() });
          const key = `${spec.name}\u0000${label}`;
          samples.set(key, [...(samples.get(key) ?? []), result.samplesPerSecond]);
          console.log(`  round ${round} node wasm ${label} (gemm ${activeWasmGemmBuild() ?? 'xnnpack'}) ${spec.name}: ${result.samplesPerSecond.toFixed(1)} samples/s`);
        }
      }
    }
    setWasmGemmMode('auto');
    setWasmAdamMode('on');
    setFmaTileRows('auto');
    for (const spec of models) {
      for (const { label } of variants) {
        const sps = median(samples.get(`${spec.name}\u0000${label}`) ?? []);
        rows.push({
          where: 'node', backend: `wasm ${label}`, model: spec.name, note: `median of ${options.repeats}`,
          result: { model: spec.name, backend: 'wasm', batchSize: batch, steps: options.steps, seconds: (options.steps * batch) / sps, samplesPerSecond: sps, msPerStep: (1000 * batch) / sps },
        });
      }
    }
    return rows;
  }
  for (const backend of backends) {
    await selectNodeBackend(backend);
    for (const spec of models) {
      const result = await measureThroughput(spec, data, { batchSize: batch, steps: options.steps, warmupSteps: options.warmup, now: () => performance.now() });
      rows.push({ where: 'node', backend, model: spec.name, result, note: '' });
      console.log(`  node ${backend} ${spec.name}: ${result.samplesPerSecond.toFixed(1)} samples/s`);
    }
  }
  return rows;
}

/** Median samples/s per model: Node wasm and PyTorch with one thread and with every core, measured in turns. */
interface PyTorchComparison {
  version: string;
  blas: string;
  allThreads: number;
  byModel: Map<string, { wasm: number; torchOne: number; torchAll: number }>;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Round after round, each model is timed on Node wasm and then in PyTorch (one thread, all
 * threads) right after, so a change in the machine's load hits both sides; medians over rounds.
 */
async function compareWithPyTorch(options: BenchOptions, batch: number, models: Spec[], torch: PyTorchBench, data: LoadedDataset): Promise<PyTorchComparison> {
  const allThreads = os.availableParallelism();
  const samples = new Map(models.map((spec) => [spec.name, { wasm: [] as number[], torchOne: [] as number[], torchAll: [] as number[] }]));
  await selectNodeBackend('wasm');
  for (let round = 1; round <= options.repeats; round++) {
    for (const spec of models) {
      const bucket = samples.get(spec.name) as { wasm: number[]; torchOne: number[]; torchAll: number[] };
      const wasm = await measureThroughput(spec, data, { batchSize: batch, steps: options.steps, warmupSteps: options.warmup, now: () => performance.now() });
      const { one, all } = await measureTorch(torch, spec, options, batch);
      bucket.wasm.push(wasm.samplesPerSecond);
      bucket.torchOne.push(one.samplesPerSecond);
      bucket.torchAll.push(all.samplesPerSecond);
      console.log(`  round ${round} ${spec.name}: node wasm ${wasm.samplesPerSecond.toFixed(0)}, PyTorch 1 thread ${one.samplesPerSecond.toFixed(0)}, ` +
        `${all.threads} threads ${all.samplesPerSecond.toFixed(0)} samples/s`);
    }
  }
  const byModel = new Map([...samples].map(([model, s]) => [model, { wasm: median(s.wasm), torchOne: median(s.torchOne), torchAll: median(s.torchAll) }]));
  return { version: torch.version, blas: torch.blas, allThreads, byModel };
}

/** PyTorch's samples/s for one model with one thread and with every core. */
async function measureTorch(torch: PyTorchBench, spec: Spec, options: BenchOptions, batch: number): Promise<{ one: PyTorchMeasurement; all: PyTorchMeasurement }> {
  const settings = { batch, steps: options.steps, warmup: options.warmup, seed: 1 };
  const one = await torch.measure(spec, { ...settings, threads: 1 });
  const all = await torch.measure(spec, { ...settings, threads: os.availableParallelism() });
  return { one, all };
}

/** One row per (backend, model): the run with the median samples/s when there are several. */
function medianRows(rows: readonly ThroughputResult[]): { result: ThroughputResult; count: number }[] {
  const groups = new Map<string, ThroughputResult[]>();
  for (const row of rows) groups.set(`${row.backend}|${row.model}`, [...(groups.get(`${row.backend}|${row.model}`) ?? []), row]);
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.samplesPerSecond - b.samplesPerSecond);
    return { result: sorted[Math.floor((sorted.length - 1) / 2)], count: group.length };
  });
}

interface RunningServer { url: string; close(): Promise<void> }

/**
 * A production build served by `vite preview` by default (what users get from `npm run build`);
 * --dev-server measures the dev server's unminified bundle instead.
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

/**
 * bench.html's rows. With PyTorch at hand, one page visit per round (every thread count and GEMM
 * mode once), each followed by PyTorch on every model: this VM's speed drifts by tens of percent
 * over minutes, so a browser row is compared with PyTorch measured next to it, round by round.
 */
async function browserThroughput(options: BenchOptions, batch: number, models: Spec[], torch: PyTorchBench | null): Promise<Row[]> {
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
    const backends = options.browserBackends ? `&backends=${options.browserBackends.join(',')}` : '';
    const visit = async (rounds: number): Promise<BrowserBenchResults> => {
      // Adam's modes and tile heights take their rounds in turns inside each worker; thread counts and GEMM modes one worker per turn.
      const inWorkerModes = [
        options.adamModes.length > 0 && `&adam=${options.adamModes.join(',')}`,
        options.tileRows.length > 0 && `&tile=${options.tileRows.join(',')}`,
      ].filter(Boolean).join('');
      const inWorkerTurns = inWorkerModes && `${inWorkerModes}&turnRounds=${rounds}`;
      const workerRounds = inWorkerTurns ? 1 : rounds;
      const turns = Array.from({ length: workerRounds }, () => options.wasmThreads).flat();
      const gemmTurns = Array.from({ length: workerRounds }, () => options.gemmModes).flat();
      const threads = gemmTurns.length > 0 ? `&gemm=${gemmTurns.join(',')}` : turns.length > 0 ? `&wasmThreads=${turns.join(',')}` : '';
      await page.goto(`${base}bench.html?steps=${options.browserSteps}&batch=${batch}&models=${options.models.join(',')}${backends}${threads}${inWorkerTurns}${options.profile ? '&profile=1' : ''}&warmup=${options.warmup}`);
      await page.waitForSelector('body[data-bench-done="true"]', { timeout: 30 * 60_000 });
      const results = await page.evaluate(() => window.benchResults) as BrowserBenchResults;
      if (results.error) console.log(`  browser benchmark failed: ${results.error}`);
      for (const { backend, model, profile } of results.profiles) console.log(`\nchromium ${backend} ${model}:\n${formatKernelProfile(profile)}`);
      return results;
    };
    const visits: BrowserBenchResults[] = [];
    const ratios = new Map<string, { one: number[]; all: number[] }>();
    if (torch) {
      for (let round = 1; round <= options.repeats; round++) {
        const results = await visit(1);
        visits.push(results);
        for (const spec of models) {
          const { one, all } = await measureTorch(torch, spec, options, batch);
          for (const row of results.rows.filter((r) => r.model === spec.name)) {
            const key = `${row.backend}|${row.model}`;
            const bucket = ratios.get(key) ?? { one: [], all: [] };
            bucket.one.push(row.samplesPerSecond / one.samplesPerSecond);
            bucket.all.push(row.samplesPerSecond / all.samplesPerSecond);
            ratios.set(key, bucket);
            console.log(`  round ${round} chromium ${row.backend} ${row.model}: ${row.samplesPerSecond.toFixed(0)} samples/s, PyTorch 1 thread ${one.samplesPerSecond.toFixed(0)} right after`);
          }
        }
      }
    } else {
      visits.push(await visit(options.repeats));
    }
    const rows = visits.flatMap((results) => results.rows);
    return [
      ...medianRows(rows).map(({ result, count }) => {
        const paired = ratios.get(`${result.backend}|${result.model}`);
        return {
          where: 'chromium', backend: result.backend, model: result.model, result, note: count > 1 ? `median of ${count}` : '',
          ...(paired ? { paired: { one: median(paired.one), all: median(paired.all) } } : {}),
        };
      }),
      ...(visits[0]?.skipped ?? []).map((s) => ({ where: 'chromium', backend: s.backend, model: s.model, result: null, note: s.reason })),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

function printTable(rows: Row[], target: TimeToAccuracyResult | null, torch: PyTorchComparison | null): void {
  const header = ['where', 'backend', 'model', 'samples/s', 'ms/step', ...(torch ? ['x PyTorch 1 thread', `x PyTorch ${torch.allThreads} threads`] : []), 'note'];
  const lines = rows.map((r) => {
    const reference = torch?.byModel.get(r.model);
    const ratio = (of: number | undefined, paired: number | undefined): string =>
      paired !== undefined ? `${paired.toFixed(2)}x` : r.result && of ? `${(r.result.samplesPerSecond / of).toFixed(2)}x` : '-';
    return [
      r.where, r.backend, r.model,
      r.result ? r.result.samplesPerSecond.toFixed(1) : '-',
      r.result ? r.result.msPerStep.toFixed(0) : '-',
      ...(torch ? [ratio(reference?.torchOne, r.paired?.one), ratio(reference?.torchAll, r.paired?.all)] : []),
      r.note,
    ];
  });
  const widths = header.map((h, i) => (i === header.length - 1 ? h.length : Math.max(h.length, ...lines.map((l) => l[i].length))));
  const format = (cells: string[]): string => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('  ');
  if (torch) {
    console.log(`\nPyTorch ${torch.version} on the same CPU (medians of the rounds next to Node wasm, samples/s); BLAS: ${torch.blas}`);
    console.log('  Node rows: ratio of these medians. Chromium rows: median over rounds of the ratio to PyTorch measured right after the page.');
    if (torch.blas.includes('/blas/libblas')) {
      console.log('  WARNING: reference BLAS (slow dense layers); apt-get install libopenblas0-pthread or set PYTORCH_BLAS_DIR.');
    }
    for (const [model, m] of torch.byModel) {
      console.log(`  ${model.padEnd(16)} 1 thread ${m.torchOne.toFixed(1).padStart(9)}   ${torch.allThreads} threads ${m.torchAll.toFixed(1).padStart(9)}`);
    }
  }
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
  const models = options.models.map((id) => architecturePresets[id]);
  console.log(`Benchmark: ${options.models.join(', ')}; batch ${batch}`);
  console.log(`Arithmetic per thread and with two at once (GFLOP/s; two threads can gain only where two at once is near 2x one):\n  ${formatParallelProbe(await probeWasmParallelism())}`);
  let torch: PyTorchComparison | null = null;
  let torchBench: PyTorchBench | null = null;
  if (options.vsPyTorch) {
    const unavailable = pytorchUnavailable();
    if (unavailable) throw new Error(`--vs-pytorch: ${unavailable}.`);
    console.log(`  ${formatParallelProbe(await probeTorchParallelism())}`);
    const data = await loadDataset({ datasetId: 'mnist', trainSubset: 2048, validationSize: 0, testSubset: 1, augmentShift: 0 }, nodeAssetReader());
    torchBench = await startPyTorchBench(data);
    torch = await compareWithPyTorch(options, batch, models, torchBench, data);
  }
  // With --vs-pytorch the Node wasm rows are the medians measured next to PyTorch.
  const rows = options.node ? await nodeThroughput(options, batch, models, torch ? ['cpu'] : ['cpu', 'wasm']) : [];
  if (torch) {
    for (const spec of models) {
      const wasm = torch.byModel.get(spec.name)?.wasm ?? 0;
      rows.push({
        where: 'node', backend: 'wasm', model: spec.name, note: `median of ${options.repeats}`,
        result: { model: spec.name, backend: 'wasm', batchSize: batch, steps: options.steps, seconds: (options.steps * batch) / wasm, samplesPerSecond: wasm, msPerStep: (1000 * batch) / wasm },
      });
    }
  }
  try {
    if (options.browser) rows.push(...await browserThroughput(options, batch, models, torchBench));
  } finally {
    await torchBench?.close();
  }
  let target: TimeToAccuracyResult | null = null;
  if (options.timeToTarget) {
    await selectNodeBackend(options.targetBackend);
    const data = await loadDataset({ ...plan.dataset, trainSubset: null, testSubset: options.targetTest, augmentShift: 0 }, nodeAssetReader());
    console.log(`  time to ${options.target} on node ${tf.getBackend()} (${data.train.count} training images, ${data.test.count} test images)...`);
    target = await timeToAccuracy(baseline.spec, data, {
      settings: { ...baseline.settings, batchSize: batch }, target: options.target, evaluateEverySteps: 100, maxSeconds: options.targetSeconds, now: () => performance.now(),
    });
  }
  printTable(rows, target, torch);
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});

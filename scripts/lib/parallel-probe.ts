import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { GEMM_BUILDS, gemmBuildOf, relaxedSimdSupported, type GemmBuild } from '../../src/models/wasm-gemm';
import { decodeBase64 } from '../../src/models/wasmModule';
import { pythonEnvironment, PYTHON } from './pytorch-bench';

/**
 * How much arithmetic a second thread adds on this machine: the same cache-resident product run
 * on one thread, then on several at once, each in its own memory (no sharing, no waiting). Where
 * two vCPUs share one core's vector units (its two hardware threads, or a VM's oversubscribed
 * cores), two threads at once each run at about half speed and the "wasm x2" rows cannot gain
 * from arithmetic. On the development VM the studio's 128-bit GEMM ran at full speed on both at
 * once and PyTorch's AVX-512 product did not. Printed by `npm run bench`; for PyTorch too with
 * --vs-pytorch.
 */

/** m x k times k x n: A, B and C (320 KB) stay in a core's L2, so this measures arithmetic, not memory. */
const SHAPE = { m: 128, n: 128, k: 256 };
const WARMUP_SECONDS = 0.4;
const MEASURE_SECONDS = 1;

export interface ParallelProbe {
  /** What ran: "the studio's wasm GEMM (fma)" or "PyTorch, 1 thread a process". */
  label: string;
  /** GFLOP/s of one thread alone: the faster of a run before and one after the threads at once (this VM's speed drifts). */
  alone: number;
  /** GFLOP/s of each thread while `together.length` ran at once. */
  together: number[];
}

/** Each thread's code: instantiate the GEMM over its own memory, warm up, wait for the start, measure. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, m, n, k, warmup, seconds, start } = workerData;
const scratch = 0, a = 8192, b = a + 4 * m * k, c = b + 4 * k * n;
const memory = new WebAssembly.Memory({ initial: Math.ceil((c + 4 * m * n) / 65536) + 1 });
const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const values = new Float32Array(memory.buffer, a, m * k + k * n);
for (let i = 0; i < values.length; i++) values[i] = ((i % 7) - 3) * 0.1;
const run = (ms) => { let products = 0; const t0 = performance.now(); let t = t0;
  while (t - t0 < ms) { for (let i = 0; i < 10; i++) gemm(a, b, c, m, n, k, k, 1, scratch); products += 10; t = performance.now(); }
  return 2 * m * n * k * products / ((t - t0) / 1000) / 1e9; };
run(warmup * 1000);
parentPort.postMessage('ready');
Atomics.wait(new Int32Array(start), 0, 0);
parentPort.postMessage(run(seconds * 1000));
`;

async function wasmThreadsAtOnce(bytes: Uint8Array, threads: number): Promise<number[]> {
  const start = new SharedArrayBuffer(4);
  const startWord = new Int32Array(start);
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, {
    eval: true, workerData: { bytes, ...SHAPE, warmup: WARMUP_SECONDS, seconds: MEASURE_SECONDS, start },
  }));
  try {
    // events.once rejects when the worker fails instead.
    await Promise.all(workers.map((worker) => once(worker, 'message'))); // every thread warmed up and ready
    const results = workers.map((worker) => once(worker, 'message'));
    Atomics.store(startWord, 0, 1);
    Atomics.notify(startWord, 0);
    return (await Promise.all(results)).map(([gflops]) => gflops as number);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The studio's wasm GEMM (the build Node runs) alone and on `threads` threads at once. */
export async function probeWasmParallelism(threads = 2): Promise<ParallelProbe> {
  const build: GemmBuild = gemmBuildOf(relaxedSimdSupported() ? 'fma' : 'muladd');
  const bytes = decodeBase64(GEMM_BUILDS[build].plain);
  const [before] = await wasmThreadsAtOnce(bytes, 1);
  const together = await wasmThreadsAtOnce(bytes, threads);
  const [after] = await wasmThreadsAtOnce(bytes, 1);
  return { label: `the studio's wasm GEMM (${build})`, alone: Math.max(before, after), together };
}

/** One PyTorch process with one thread, starting its measurement at wall-clock time `startAt` (s). */
function torchProcess(startAt: number): Promise<number> {
  const { m, n, k } = SHAPE;
  const code = `
import time, torch
torch.set_num_threads(1)
a, b = torch.randn(${m}, ${k}), torch.randn(${k}, ${n})
t = time.time()
while time.time() - t < ${WARMUP_SECONDS}: a @ b
time.sleep(max(0.0, ${startAt} - time.time()))
products, t = 0, time.time()
while time.time() - t < ${MEASURE_SECONDS}:
    for _ in range(50): a @ b
    products += 50
print(2 * ${m * n * k} * products / (time.time() - t) / 1e9)
`;
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', code], { env: pythonEnvironment() });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const value = Number(out.trim());
      if (code === 0 && Number.isFinite(value)) resolve(value);
      else reject(new Error(`the PyTorch parallelism probe failed (exit ${code}): ${err.trim().split('\n').pop() ?? ''}`));
    });
  });
}

/** PyTorch with one thread, alone and in `processes` processes at once. */
export async function probeTorchParallelism(processes = 2): Promise<ParallelProbe> {
  // Importing torch takes a second or two: every process starts measuring at the same moment after that.
  const startAt = (): number => Date.now() / 1000 + 5;
  const before = await torchProcess(startAt());
  const at = startAt();
  const together = await Promise.all(Array.from({ length: processes }, () => torchProcess(at)));
  const alone = Math.max(before, await torchProcess(startAt()));
  return { label: 'PyTorch, 1 thread a process', alone, together };
}

/** "<label>, 128x256 times 256x128: 1 thread alone 42.0 GFLOP/s; 2 at once 42.2 + 41.7 GFLOP/s = 2.00x one" */
export function formatParallelProbe(probe: ParallelProbe): string {
  const sum = probe.together.reduce((total, value) => total + value, 0);
  return `${probe.label}, ${SHAPE.m}x${SHAPE.k} times ${SHAPE.k}x${SHAPE.n}: 1 thread alone ${probe.alone.toFixed(1)} GFLOP/s; `
    + `${probe.together.length} at once ${probe.together.map((value) => value.toFixed(1)).join(' + ')} GFLOP/s = ${(sum / probe.alone).toFixed(2)}x one`;
}

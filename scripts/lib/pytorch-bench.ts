import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { normalizePixels } from '../../src/data/batches';
import type { LoadedDataset } from '../../src/data/types';
import type { ArchitectureSpec } from '../../src/models/spec';

/**
 * The PyTorch side of `npm run bench -- --vs-pytorch`: a long-lived /usr/bin/python3 running
 * scripts/pytorch_bench.py, asked one measurement at a time, so PyTorch and tfjs steps of the
 * same model can be timed right after each other in one session.
 */

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pytorch_bench.py');
/** Debian's python3-torch lives here; the `python3` on PATH may be another interpreter. */
export const PYTHON = process.env.PYTORCH_PYTHON ?? '/usr/bin/python3';
/**
 * PyTorch's dense layers run in whatever libblas.so.3 resolves to; with only python3-torch
 * installed that is Debian's reference BLAS (3 GFLOP/s here, 20x below OpenBLAS), which would
 * make PyTorch look slow. Debian's OpenBLAS folder is put first when present (libopenblas0-pthread),
 * or the folder PYTORCH_BLAS_DIR names.
 */
const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

export function pythonEnvironment(): NodeJS.ProcessEnv {
  const blasDir = process.env.PYTORCH_BLAS_DIR ?? (existsSync(OPENBLAS_DIR) ? OPENBLAS_DIR : null);
  if (!blasDir) return process.env;
  return { ...process.env, LD_LIBRARY_PATH: [blasDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}

export interface PyTorchMeasurement {
  samplesPerSecond: number;
  msPerStep: number;
  threads: number;
  torch: string;
  /** The BLAS library the PyTorch process loaded. */
  blas: string;
}

export interface PyTorchArchitecture {
  params: number;
  outputs: number[];
}

export interface PyTorchBench {
  version: string;
  /** The BLAS library PyTorch's dense layers ran in (known after the first measurement). */
  blas: string;
  /** The PyTorch model's parameters (batch-norm moving statistics included) and output shape for a batch of 2. */
  describe(spec: ArchitectureSpec): Promise<PyTorchArchitecture>;
  measure(spec: ArchitectureSpec, options: { threads: number; batch: number; steps: number; warmup: number; seed: number }): Promise<PyTorchMeasurement>;
  close(): Promise<void>;
}

/** Why PyTorch cannot be benchmarked here, or null when `import torch` works. */
export function pytorchUnavailable(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', env: pythonEnvironment() });
  if (probe.error) return `${PYTHON} did not start (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} cannot import torch (apt-get install python3-torch)`;
  return null;
}

function send(child: ChildProcessWithoutNullStreams, lines: AsyncIterator<string>, request: object): Promise<Record<string, unknown>> {
  child.stdin.write(JSON.stringify(request) + '\n');
  return lines.next().then(({ value, done }) => {
    if (done) throw new Error('The PyTorch benchmark process ended early.');
    const reply = JSON.parse(value as string) as Record<string, unknown>;
    if (typeof reply.error === 'string') throw new Error(`PyTorch: ${reply.error}`);
    return reply;
  });
}

/** Starts the process and, when given, hands it the training split (normalised as the studio normalises it). */
export async function startPyTorchBench(data?: LoadedDataset): Promise<PyTorchBench> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'distillation-pytorch-'));
  const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: pythonEnvironment() });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`  [pytorch] ${chunk.toString()}`));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const close = async (): Promise<void> => {
    child.stdin.end();
    await rm(folder, { recursive: true, force: true });
  };
  if (data) {
    try {
      const images = path.join(folder, 'images.f32');
      const labels = path.join(folder, 'labels.i32');
      const pixels = normalizePixels(data.train.images, data.info);
      await writeFile(images, new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
      await writeFile(labels, new Uint8Array(Int32Array.from(data.train.labels).buffer));
      await send(child, lines, { type: 'data', images, labels, count: data.train.count, shape: data.info.shape });
    } catch (error) {
      await close();
      throw error;
    }
  }
  let version = '';
  let blas = '';
  return {
    get version() {
      return version;
    },
    get blas() {
      return blas;
    },
    async measure(spec, options) {
      const reply = await send(child, lines, { type: 'measure', spec, ...options }) as unknown as PyTorchMeasurement;
      version = reply.torch;
      blas = reply.blas;
      return reply;
    },
    describe: (spec) => send(child, lines, { type: 'describe', spec }) as unknown as Promise<PyTorchArchitecture>,
    close,
  };
}

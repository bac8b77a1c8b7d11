import type { KernelProfile } from './kernelTimer';
import * as tf from '@tensorflow/tfjs';
import { epochBatches, type TensorBatch } from '../data/batches';
import { createRng } from '../data/rng';
import type { LoadedDataset } from '../data/types';
import type { TrainerSettings } from '../graph/schema';
import { getLoss } from '../losses/registry';
import { buildModel, trainableVariablesUpTo } from '../models/builder';
import type { ArchitectureSpec } from '../models/spec';
import type { WasmAdamMode } from '../models/wasm-adam';
import type { GemmTileRows } from '../models/wasm-gemm-wat';
import { yieldToEventLoop } from './control';
import { evaluateAccuracy } from './evaluate';
import { createOptimizer } from './optimizer';
import { crossEntropyTerm } from './plan';
import { trainStep, type ActiveTerm, type StepModels } from './step';

/**
 * Measurements shared by the Node benchmark (scripts/bench.ts) and the browser one
 * (workers/bench.worker.ts): the same training step the runner uses (cross-entropy, Adam), timed
 * after warm-up steps that compile kernels. Batch preparation is included, as in a real run.
 */

export interface ThroughputOptions {
  batchSize: number;
  steps: number;
  warmupSteps?: number;
  seed?: number;
  now(): number;
}

export interface ThroughputResult {
  model: string;
  backend: string;
  batchSize: number;
  steps: number;
  seconds: number;
  samplesPerSecond: number;
  msPerStep: number;
}

function* endlessBatches(data: LoadedDataset, batchSize: number, seed: number): Generator<TensorBatch, never, undefined> {
  const rng = createRng(seed);
  for (;;) yield* epochBatches(data.train, data.info, { batchSize, rng, augmentShift: 0 });
}

/** One network trained on cross-entropy alone, as a run's baseline phase trains it. */
export interface Trainee {
  model: tf.LayersModel;
  models: StepModels;
  terms: ActiveTerm[];
  variables: tf.Variable[];
  dispose(): void;
}

export function trainee(spec: ArchitectureSpec, seed: number): Trainee {
  const model = buildModel(spec, { taps: [], seed });
  const plan = crossEntropyTerm(spec.name);
  return {
    model,
    models: { networks: new Map([[spec.name, { model, taps: [] }]]), trains: [spec.name], adapters: new Map() },
    terms: [{ plan, definition: getLoss(plan.lossId), weight: 1 }],
    variables: trainableVariablesUpTo(model, spec, null),
    dispose: () => model.dispose(),
  };
}

/** Untimed steps measureThroughput runs first unless told otherwise. */
export const DEFAULT_WARMUP_STEPS = 1;

/** Training samples per second of one architecture on the active backend. */
export async function measureThroughput(spec: ArchitectureSpec, data: LoadedDataset, options: ThroughputOptions): Promise<ThroughputResult> {
  const { batchSize, steps, now } = options;
  const warmup = options.warmupSteps ?? DEFAULT_WARMUP_STEPS;
  const subject = trainee(spec, options.seed ?? 1);
  const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
  const batches = endlessBatches(data, batchSize, options.seed ?? 1);
  const run = async (step: number): Promise<void> => {
    const batch = batches.next().value;
    try {
      await trainStep(subject.models, subject.terms, batch, subject.variables, optimizer, 1e-3, step);
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
  };
  try {
    for (let i = 0; i < warmup; i++) await run(i + 1);
    const started = now();
    for (let i = 0; i < steps; i++) await run(warmup + i + 1);
    const seconds = (now() - started) / 1000;
    return {
      model: spec.name, backend: tf.getBackend(), batchSize, steps, seconds,
      samplesPerSecond: (steps * batchSize) / seconds, msPerStep: (seconds * 1000) / steps,
    };
  } finally {
    optimizer.dispose();
    subject.dispose();
  }
}

export interface TimeToAccuracyOptions {
  settings: TrainerSettings;
  target: number;
  /** Test accuracy is measured every this many steps (evaluation time is not counted). */
  evaluateEverySteps: number;
  maxSeconds: number;
  now(): number;
}

export interface TimeToAccuracyResult {
  model: string;
  backend: string;
  target: number;
  reached: boolean;
  /** Training seconds until the target was first measured (or until giving up). */
  seconds: number;
  steps: number;
  epochs: number;
  bestAccuracy: number;
}

/** Trains with cross-entropy until the test accuracy reaches the target or time runs out. */
export async function timeToAccuracy(spec: ArchitectureSpec, data: LoadedDataset, options: TimeToAccuracyOptions): Promise<TimeToAccuracyResult> {
  const { settings, target, now } = options;
  const subject = trainee(spec, settings.seed);
  const optimizer = createOptimizer(settings);
  const batches = endlessBatches(data, settings.batchSize, settings.seed);
  let trainingMs = 0;
  let steps = 0;
  let bestAccuracy = 0;
  let reached = false;
  try {
    while (!reached && trainingMs / 1000 < options.maxSeconds) {
      const started = now();
      for (let i = 0; i < options.evaluateEverySteps; i++) {
        const batch = batches.next().value;
        steps += 1;
        try {
          await trainStep(subject.models, subject.terms, batch, subject.variables, optimizer, settings.learningRate, steps);
        } finally {
          tf.dispose([batch.xs, batch.ys]);
        }
      }
      trainingMs += now() - started;
      const accuracy = await evaluateAccuracy(subject.model, data.test, data.info);
      bestAccuracy = Math.max(bestAccuracy, accuracy);
      reached = accuracy >= target;
      await yieldToEventLoop();
    }
    return {
      model: spec.name, backend: tf.getBackend(), target, reached, seconds: trainingMs / 1000, steps,
      epochs: (steps * settings.batchSize) / data.train.count, bestAccuracy,
    };
  } finally {
    optimizer.dispose();
    subject.dispose();
  }
}

// ---------- messages between the benchmark page (app/bench) and its worker ----------

export interface BrowserBenchRequest {
  type: 'run';
  backends: string[];
  models: ArchitectureSpec[];
  batchSize: number;
  steps: number;
  trainImages: number;
  /** Threads of the wasm backend (1 = single-threaded build); null = the studio's default. */
  wasmThreads: number | null;
  /** The wasm GEMM mode (src/models/wasm-gemm.ts); null = the studio's default ('auto'). */
  gemm?: 'auto' | 'muladd' | 'off' | null;
  /** Also time every kernel over a second measurement of each model (src/train/kernelTimer.ts). */
  profile?: boolean;
  /** Untimed steps before the timed ones (default 1). */
  warmupSteps?: number;
  /**
   * Adam's wasm modes (src/models/wasm-adam.ts) to time in turns in this worker (rows labelled
   * "adam=MODE"); absent = the default mode only.
   */
  adamModes?: WasmAdamMode[];
  /** Register-tile heights of the fma GEMM (src/models/wasm-gemm-tile.ts) to time in turns likewise (rows "gemm=fma" or "gemm=fma6"). */
  tileRows?: GemmTileRows[];
  /** Rounds of the in-worker turns (every pair of Adam mode and tile height once per round), default 1. */
  turnRounds?: number;
}

export type BrowserBenchReply =
  /** helperChunks: chunks of products and Adam updates wasm's helper threads computed during the row's steps (browser wasm). */
  | { type: 'row'; row: ThroughputResult & { helperChunks?: number } }
  | { type: 'profile'; backend: string; model: string; profile: KernelProfile }
  | { type: 'skipped'; backend: string; model: string; reason: string }
  | { type: 'done' }
  | { type: 'failed'; message: string };

import * as tf from '@tensorflow/tfjs';
import { getArchitecturePreset } from '../models/presets';
import type { ArchitectureSpec } from '../models/spec';
import { createOptimizer } from './optimizer';
import { trainStep } from './step';
import { trainee } from './benchmark';

/**
 * Auto's speed probe on the active backend: a few real training steps (forward, cross-entropy,
 * gradients, Adam update) of the default experiment's student on a fixed random batch, timed
 * after one warm-up step that compiles the kernels. A time budget bounds it on slow backends.
 * Everything it creates is disposed; the caller picks the backend first.
 */

export interface SpeedProbeOptions {
  now(): number;
  /** Stop once warm-up plus timed steps have taken this long (at least one timed step runs unless the warm-up alone exceeds it). */
  budgetMs: number;
  batchSize?: number;
  timedSteps?: number;
  spec?: ArchitectureSpec;
}

export type SpeedProbeResult =
  | { status: 'measured'; samplesPerSecond: number; timedSteps: number; warmupMs: number }
  /** The warm-up step alone took longer than the budget: nothing was timed. */
  | { status: 'overBudget'; warmupMs: number };

/** The Hinton preset's 784-800-800-10 student, the network a first run trains. */
export const PROBE_SPEC_ID = 'hinton-student';
/** The preset trainers' batch size: a GPU's advantage depends on it. */
export const PROBE_BATCH_SIZE = 64;
export const PROBE_TIMED_STEPS = 3;

export async function measureTrainingSpeed(options: SpeedProbeOptions): Promise<SpeedProbeResult> {
  const spec = options.spec ?? getArchitecturePreset(PROBE_SPEC_ID);
  const batchSize = options.batchSize ?? PROBE_BATCH_SIZE;
  const timedSteps = options.timedSteps ?? PROBE_TIMED_STEPS;
  const subject = trainee(spec, 1);
  const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
  const outputUnits = subject.model.outputs[0].shape[subject.model.outputs[0].shape.length - 1] ?? 10;
  const batch = {
    xs: tf.randomUniform([batchSize, ...spec.inputShape], 0, 1, 'float32', 1),
    ys: tf.randomUniform([batchSize], 0, outputUnits, 'int32', 2),
  };
  try {
    const started = options.now();
    await trainStep(subject.models, subject.terms, batch, subject.variables, optimizer, 1e-3, 1);
    const timedFrom = options.now();
    const warmupMs = timedFrom - started;
    if (warmupMs > options.budgetMs) return { status: 'overBudget', warmupMs };
    let steps = 0;
    while (steps < timedSteps) {
      await trainStep(subject.models, subject.terms, batch, subject.variables, optimizer, 1e-3, steps + 2);
      steps += 1;
      if (options.now() - started > options.budgetMs) break;
    }
    const seconds = (options.now() - timedFrom) / 1000;
    return { status: 'measured', samplesPerSecond: (steps * batchSize) / seconds, timedSteps: steps, warmupMs };
  } finally {
    tf.dispose([batch.xs, batch.ys]);
    optimizer.dispose();
    subject.dispose();
  }
}

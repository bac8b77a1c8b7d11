import * as tf from '@tensorflow/tfjs';
import type { Shape } from '../models/spec';
import { getLoss } from './registry';
import type { LossInputs, LossModule, ModuleContext } from './types';

/**
 * Test fixtures shared by the loss tests: for every registry entry, ports with shapes that work,
 * one shape set that must be refused, and seeded random inputs.
 */

export interface LossFixture {
  /** Shapes per port, without the batch axis. */
  good: Record<string, Shape>;
  params?: Record<string, number>;
  /** A wiring the entry must refuse, with a word its reason must contain. */
  bad: { shapes: Record<string, Shape>; params?: Record<string, number>; mentions: string };
}

export const BATCH = 4;
export const CLASSES = 5;

export const fixtures: Record<string, LossFixture> = {
  ce: { good: { logits: [CLASSES], labels: [] }, bad: { shapes: { logits: [4, 4, 2], labels: [] }, mentions: 'logits' } },
  kd: {
    good: { teacherLogits: [CLASSES], studentLogits: [CLASSES] },
    bad: { shapes: { teacherLogits: [10], studentLogits: [CLASSES] }, mentions: 'classes' },
  },
  dkd: {
    good: { teacherLogits: [CLASSES], studentLogits: [CLASSES], labels: [] },
    bad: { shapes: { teacherLogits: [10], studentLogits: [CLASSES], labels: [] }, mentions: 'same classes' },
  },
  adversarial: {
    good: { teacherLogits: [CLASSES], studentLogits: [CLASSES], labels: [] },
    bad: { shapes: { teacherLogits: [10], studentLogits: [CLASSES], labels: [] }, mentions: 'must both be [classes] and equal' },
  },
  tfkd: { good: { logits: [CLASSES], labels: [] }, bad: { shapes: { logits: [CLASSES], labels: [CLASSES] }, mentions: 'labels' } },
  fitnet: {
    good: { guide: [4, 4, 3], guided: [4, 4, 3] },
    bad: { shapes: { guide: [4, 4, 3], guided: [4, 4, 2] }, mentions: 'adapter' },
  },
  at: {
    good: { guide: [4, 4, 3], guided: [4, 4, 2] },
    bad: { shapes: { guide: [4, 4, 3], guided: [2, 2, 3] }, mentions: 'Resize' },
  },
  fsp: {
    good: { guide1: [4, 4, 2], guide2: [4, 4, 3], guided1: [3, 3, 2], guided2: [3, 3, 3] },
    bad: { shapes: { guide1: [4, 4, 2], guide2: [4, 4, 3], guided1: [3, 3, 2], guided2: [3, 3, 4] }, mentions: "'guided2' has 4 channels" },
  },
  nst: {
    good: { guide: [2, 6, 3], guided: [3, 4, 2] },
    bad: { shapes: { guide: [4, 4, 3], guided: [3, 3, 3] }, mentions: 'H*W' },
  },
  sp: { good: { guide: [6], guided: [2, 2, 3] }, bad: { shapes: { guide: [6], guided: [] }, mentions: 'guided' } },
  rkd: { good: { guide: [6], guided: [4] }, bad: { shapes: { guide: [0], guided: [4] }, mentions: 'guide' } },
  pkt: { good: { guide: [6], guided: [2, 2, 3] }, bad: { shapes: { guide: [6] }, mentions: 'guided' } },
  ft: { good: { guide: [4, 4, 6], guided: [4, 4, 3] }, bad: { shapes: { guide: [4, 4, 6], guided: [2, 2, 3] }, mentions: 'same H x W' } },
  crd: { good: { guide: [6], guided: [2, 2, 3] }, bad: { shapes: { guide: [6] }, mentions: 'guided' } },
  vid: { good: { guide: [3, 3, 4], guided: [3, 3, 2] }, bad: { shapes: { guide: [3, 3, 4], guided: [2, 2, 2] }, mentions: 'H x W' } },
  tsd: { good: { logits: [CLASSES], labels: [] }, bad: { shapes: { logits: [CLASSES], labels: [] }, params: { K: 6 }, mentions: 'exceeds' } },
  irg: {
    good: { teacherLogits: [CLASSES], studentLogits: [CLASSES], guide1: [4, 4, 3], guide2: [2, 2, 3], guided1: [4, 4, 2], guided2: [3, 3, 2] },
    bad: {
      shapes: { teacherLogits: [CLASSES], studentLogits: [CLASSES], guide1: [4, 4, 3], guide2: [2, 2, 3], guided1: [4, 4, 2], guided2: [3, 3, 4] },
      mentions: "'guided2' [3, 3, 4]",
    },
  },
  cc: { good: { guide: [6], guided: [2, 2, 3] }, bad: { shapes: { guide: [6] }, mentions: 'guided' } },
};

/** The learned parts a registry entry needs (VID's regressor), seeded; undefined for stateless losses. Caller disposes. */
export function moduleFor(
  id: string, shapes: Record<string, Shape>, params: Record<string, number> = {}, seed = 1, context: ModuleContext = { trainCount: 4 * BATCH, trainLabels: Array.from({ length: 4 * BATCH }, (_, i) => i % CLASSES) },
): LossModule | undefined {
  const module = getLoss(id).createModule?.(shapes, params, seed, context);
  // A module with a per-image memory (CRD) is told which images the batch holds, as the trainer does before a step.
  module?.beginStep?.({ indices: Int32Array.from({ length: BATCH }, (_, i) => i) });
  return module;
}

/** Seeded inputs for a shape set; `labels` ports get class indices. */
export function makeInputs(shapes: Record<string, Shape>, seed: number): LossInputs {
  const inputs: LossInputs = {};
  Object.entries(shapes).forEach(([port, shape], i) => {
    inputs[port] = port === 'labels'
      ? tf.tensor1d([0, 3, 4, 1].slice(0, BATCH), 'int32')
      : tf.randomNormal([BATCH, ...shape], 0, 1, 'float32', seed + i);
  });
  return inputs;
}

export function disposeInputs(inputs: LossInputs): void {
  Object.values(inputs).forEach((t) => t.dispose());
}

export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
}

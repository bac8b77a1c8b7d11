import type { ArchitectureSpec } from '../models/spec';
import { layerConsumers } from '../models/wiring';
import type { PruningMethod, PruningSettings } from './types';

/**
 * Pure pruning logic on plain arrays: which weights a layer prunes, the masks, the schedule. The
 * tfjs side (src/compress/pruner.ts) reads weights, calls these, and applies the masks.
 * A mask holds 1 (kept) or 0 (pruned). Masks only grow sparser: an entry pruned before stays pruned
 * (Zhu & Gupta's masks are monotone; a later stage with a lower target cannot regrow weights).
 */

/** The weights one layer prunes, by index into that layer's tfjs weights (getWeights order). */
export interface PrunableLayer {
  layerId: string;
  kind: 'conv2d' | 'dense';
  /** channel: a batch norm reading this conv, whose gamma (0) and beta (1) are masked with the channel. */
  batchNormId?: string;
  /** Whether the layer has a bias (weight index 1). */
  hasBias: boolean;
}

/**
 * The layers a method prunes. magnitude: conv2d and dense kernels, except the last layer (the
 * classifier: small, and every class needs its logit path) and depthwise kernels (9 weights per
 * channel, a sliver of the parameters, and a zeroed one cuts a whole channel). channel: conv2d only.
 */
export function prunableLayers(spec: ArchitectureSpec, method: PruningMethod): PrunableLayer[] {
  const consumers = layerConsumers(spec);
  const last = spec.layers.length - 1;
  const result: PrunableLayer[] = [];
  spec.layers.forEach((layer, index) => {
    if (index === last) return;
    if (layer.kind === 'dense' && method === 'magnitude') {
      result.push({ layerId: layer.id, kind: 'dense', hasBias: true });
    } else if (layer.kind === 'conv2d') {
      const entry: PrunableLayer = { layerId: layer.id, kind: 'conv2d', hasBias: layer.useBias !== false };
      const norm = consumers[index].map((i) => spec.layers[i]).find((consumer) => consumer.kind === 'batchNorm');
      if (method === 'channel' && norm !== undefined) entry.batchNormId = norm.id;
      result.push(entry);
    }
  });
  return result;
}

/** How many of `count` entries a sparsity prunes: round(s · count), never all of them. */
export function prunedCount(sparsity: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.round(sparsity * count)));
}

/**
 * Unstructured mask: the `round(s · n)` entries of smallest |w| are 0. Ties go to the lower index.
 * Entries already pruned in `previous` are pruned first, so the mask never regrows.
 */
export function magnitudeMask(weights: ArrayLike<number>, sparsity: number, previous?: ArrayLike<number>): Float32Array {
  const n = weights.length;
  const key = (i: number): number => (previous !== undefined && previous[i] === 0 ? -1 : Math.abs(weights[i]));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
  const alreadyPruned = previous === undefined ? 0 : Array.from(previous).filter((value) => value === 0).length;
  const count = Math.max(prunedCount(sparsity, n), alreadyPruned);
  const mask = new Float32Array(n).fill(1);
  for (let k = 0; k < count; k++) mask[order[k]] = 0;
  return mask;
}

/** L1 norm of each output channel of a kernel stored channels-last ([kh, kw, in, out] or [in, out]). */
export function channelL1Norms(kernel: ArrayLike<number>, channels: number): Float64Array {
  const norms = new Float64Array(channels);
  for (let i = 0; i < kernel.length; i++) norms[i % channels] += Math.abs(kernel[i]);
  return norms;
}

/**
 * Structured mask over output channels (1 = kept): the `round(s · C)` channels with the smallest
 * filter L1 norm are pruned, ties to the lower channel; channels pruned before (`previous`) first.
 */
export function channelMask(kernel: ArrayLike<number>, channels: number, sparsity: number, previous?: ArrayLike<number>): Float32Array {
  const norms = channelL1Norms(kernel, channels);
  return magnitudeMask(norms, sparsity, previous);
}

/** A per-channel mask spread over a channels-last kernel of `size` entries. */
export function expandChannelMask(channelMaskValues: ArrayLike<number>, size: number): Float32Array {
  const channels = channelMaskValues.length;
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = channelMaskValues[i % channels];
  return mask;
}

/**
 * The sparsity the schedule asks for before stage step t (0-based), or null when the masks are
 * not updated then. oneShot: s_f at t = 0. gradual (Zhu & Gupta 2017, with s_i = 0, t0 = 0):
 *   s_t = s_f + (0 - s_f) (1 - t / (n Δt))^3  at t = 0, Δt, ..., n Δt,
 * n = floor(floor(rampFraction · (T - 1)) / Δt), so the last update (s_f) comes before a step the
 * stage still takes; n = 0 (a stage too short for the ramp) prunes to s_f at t = 0.
 */
export function scheduledSparsity(settings: PruningSettings, t: number, stageSteps: number): number | null {
  const target = settings.targetSparsity;
  if (settings.schedule === 'oneShot') return t === 0 ? target : null;
  const dt = settings.everySteps;
  const n = Math.floor(Math.floor(settings.rampFraction * Math.max(0, stageSteps - 1)) / dt);
  if (n === 0) return t === 0 ? target : null;
  if (t % dt !== 0 || t > n * dt) return null;
  return target + (0 - target) * Math.pow(1 - t / (n * dt), 3);
}

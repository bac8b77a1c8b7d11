import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../models/spec';
import type { LossInputs, LossParams } from './types';

/**
 * Guards shared by the loss functions and the registry: run-time input checks that name the port
 * and say what to connect, and graph-time shape helpers for `checkShapes`.
 */

export function requireInput(inputs: LossInputs, port: string, lossId: string): tf.Tensor {
  const tensor = inputs[port];
  if (tensor === undefined) {
    const given = Object.keys(inputs).join(', ') || 'none';
    throw new Error(`Loss '${lossId}' needs an input on port '${port}' (got: ${given}). Connect it in the graph.`);
  }
  return tensor;
}

export function requireRank(tensor: tf.Tensor, rank: number, what: string): void {
  if (tensor.rank !== rank) {
    throw new Error(`${what} must have rank ${rank} (batch first), got shape [${tensor.shape.join(', ')}].`);
  }
}

export function requireAtLeastRank(tensor: tf.Tensor, rank: number, what: string): void {
  if (tensor.rank < rank) {
    throw new Error(`${what} must have rank >= ${rank} (batch first), got shape [${tensor.shape.join(', ')}].`);
  }
}

export function requireSameBatch(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(`${what}: batch sizes differ (${a.shape[0]} vs ${b.shape[0]}); both inputs must come from the same batch.`);
  }
}

export function requireSameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${what}: shapes differ ([${a.shape.join(', ')}] vs [${b.shape.join(', ')}]).`);
  }
}

/** Reads a numeric parameter, falling back to the default; rejects non-finite values. */
export function readParam(params: LossParams, key: string, fallback: number): number {
  const value = params[key] ?? fallback;
  if (!Number.isFinite(value)) throw new Error(`Loss parameter '${key}' must be a finite number, got ${value}.`);
  return value;
}

/** Reads a choice parameter (an index into `choices`) and returns the chosen name. */
export function readChoice<C extends string>(params: LossParams, key: string, choices: readonly C[], fallback: C): C {
  const value = params[key];
  if (value === undefined) return fallback;
  const choice = choices[value];
  if (!Number.isInteger(value) || choice === undefined) {
    throw new Error(`Loss parameter '${key}' must be an index 0..${choices.length - 1} (${choices.join(', ')}), got ${value}.`);
  }
  return choice;
}

// ---- graph-time shape helpers (shapes exclude the batch axis) ----

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Returns a reason when a port has no shape yet, else null. */
export function missingPorts(shapes: Record<string, Shape>, ports: readonly string[]): string | null {
  const missing = ports.filter((port) => shapes[port] === undefined);
  return missing.length === 0 ? null : `Connect ${missing.map((p) => `'${p}'`).join(' and ')} first.`;
}

export function isValidShape(shape: Shape): boolean {
  return shape.every((d) => Number.isInteger(d) && d > 0);
}

/** A feature map [H, W, C] (what conv layers produce); reason or null. */
export function checkMap(shape: Shape, port: string): string | null {
  if (shape.length !== 3 || !isValidShape(shape)) {
    return `'${port}' must be a feature map [H, W, C] from a convolution or pooling layer, got ${formatShape(shape)}; pick a conv layer (not a dense or flatten layer).`;
  }
  return null;
}

/** Any non-empty feature (a vector or a map); reason or null. */
export function checkFeature(shape: Shape, port: string): string | null {
  if (shape.length === 0 || !isValidShape(shape)) {
    return `'${port}' must be a feature with at least one positive dimension, got ${formatShape(shape)}.`;
  }
  return null;
}

export function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

import * as tf from '@tensorflow/tfjs';
import type { AdapterPlan } from '../train/plan';
import { ArchitectureError, type Shape } from './spec';
import { layerSeed } from './seedHash';

/**
 * Adapters (FitNet regressors) map a guided student feature to its guide's shape; classifier
 * adapters (auxiliary heads of self-distillation) map a layer to class logits. They are linear (no
 * activation), trained with their model and never exported: they are models of their own, never
 * layers of the network. The weighted tfjs layer of an adapter model is named by the plan's id.
 */

const isPositiveIntegerShape = (shape: Shape): boolean =>
  shape.every((size) => Number.isInteger(size) && size > 0);

const formatShape = (shape: Shape): string => `[${shape.join(', ')}]`;

function fail(plan: AdapterPlan, message: string): never {
  throw new ArchitectureError(
    `Adapter '${plan.id}' on layer '${plan.layerId}' of '${plan.modelId}' (${plan.kind}, ` +
    `${formatShape(plan.inputShape)} -> ${formatShape(plan.outputShape)}): ${message}`,
    plan.layerId,
  );
}

/** Throws an ArchitectureError when the plan's kind cannot map its input shape to its output shape. */
export function checkAdapterPlan(plan: AdapterPlan): void {
  const { inputShape, outputShape } = plan;
  if (!isPositiveIntegerShape(inputShape) || !isPositiveIntegerShape(outputShape)) {
    fail(plan, 'shapes must be positive integers.');
  }
  if (plan.kind === 'classifier') {
    if ((inputShape.length !== 1 && inputShape.length !== 3) || outputShape.length !== 1) {
      fail(plan, 'an auxiliary classifier maps a vector or an [H, W, C] map to class logits [classes]; ' +
        'tap a layer whose output is a vector or a map.');
    }
    return;
  }
  if (plan.kind === 'dense') {
    if (inputShape.length !== 1 || outputShape.length !== 1) {
      fail(plan, 'a dense adapter maps a vector to a vector; use a conv1x1 or conv3x3 adapter for maps, ' +
        'or choose a guide and a guided layer that are both vectors.');
    }
    return;
  }
  if (inputShape.length !== 3 || outputShape.length !== 3) {
    fail(plan, 'a convolutional adapter maps an [H, W, C] map to an [H, W, C] map; ' +
      'use a dense adapter for vectors, or choose a guide and a guided layer that are both maps.');
  }
  if (inputShape[0] !== outputShape[0] || inputShape[1] !== outputShape[1]) {
    fail(plan, `the spatial sizes differ (${inputShape[0]}x${inputShape[1]} vs ${outputShape[0]}x${outputShape[1]}); ` +
      'an adapter only changes channels: choose another layer pair with equal H and W.');
  }
}

/** FNV-1a of the adapter id, so two adapters (and the student's layers) draw different weights. */
function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** Builds the adapter as a one-layer model [input] -> [mapped feature] with seeded Glorot weights. */
export function buildAdapter(plan: AdapterPlan, seed: number): tf.LayersModel {
  checkAdapterPlan(plan);
  const input = tf.input({ shape: [...plan.inputShape], name: `${plan.id}-input` });
  const kernelInitializer = tf.initializers.glorotUniform({ seed: layerSeed(seed, idHash(plan.id)) });
  if (plan.kind === 'classifier') {
    // Global average pooling keeps the head small whatever the map's size (the paper's heads add convolutions first).
    const pooled = plan.inputShape.length === 3
      ? tf.layers.globalAveragePooling2d({ name: `${plan.id}-pool` }).apply(input) as tf.SymbolicTensor
      : input;
    const logits = tf.layers.dense({ name: plan.id, units: plan.outputShape[0], kernelInitializer }).apply(pooled) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: logits, name: `adapter-${plan.id}` });
  }
  const layer = plan.kind === 'dense'
    ? tf.layers.dense({ name: plan.id, units: plan.outputShape[0], kernelInitializer })
    : tf.layers.conv2d({
      name: plan.id,
      filters: plan.outputShape[2],
      kernelSize: plan.kind === 'conv1x1' ? 1 : 3,
      strides: 1,
      padding: 'same',
      kernelInitializer,
    });
  const output = layer.apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: `adapter-${plan.id}` });
}

/** Parameters of an adapter (for the graph's inspector), without building it. */
export function adapterParams(plan: AdapterPlan): number {
  checkAdapterPlan(plan);
  if (plan.kind === 'classifier') return plan.inputShape[plan.inputShape.length - 1] * plan.outputShape[0] + plan.outputShape[0];
  if (plan.kind === 'dense') return plan.inputShape[0] * plan.outputShape[0] + plan.outputShape[0];
  const kernel = plan.kind === 'conv1x1' ? 1 : 3;
  const filters = plan.outputShape[2];
  return kernel * kernel * plan.inputShape[2] * filters + filters;
}

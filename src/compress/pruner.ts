import * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec } from '../models/spec';
import type { TrainingOptimizer } from '../train/optimizer';
import { channelMask, expandChannelMask, magnitudeMask, prunableLayers, scheduledSparsity } from './pruning';
import type { PruningSettings } from './types';

/**
 * Pruning masks of the networks one phase trains, kept across its stages. Before a scheduled step
 * the masks are recomputed from the current weights (pruning.ts) and applied; the optimiser is
 * wrapped so every step's gradients are masked before the update (Adam's and momentum's slots of a
 * pruned weight stay 0, so nothing can regrow it) and the weights are multiplied by their masks
 * after it (w <- w * mask). A stage without pruning settings keeps the masks fixed.
 */

export interface PrunedNetwork {
  id: string;
  model: tf.LayersModel;
  spec: ArchitectureSpec;
}

interface Mask {
  variable: tf.Variable;
  values: Float32Array;
  tensor: tf.Tensor;
}

function weightVariable(model: tf.LayersModel, layerId: string, index: number): tf.Variable {
  const weight = model.getLayer(layerId).weights[index];
  const variable = weight?.read();
  if (!(variable instanceof tf.Variable)) throw new Error(`Layer '${layerId}' has no weight ${index} backed by a tf.Variable to prune.`);
  return variable;
}

export class PhasePruner {
  private readonly masks = new Map<string, Mask>();
  private settings: PruningSettings | undefined;
  private stageSteps = 0;

  constructor(private readonly networks: readonly PrunedNetwork[]) {}

  /** Masked variables (by name), for tests and measurements. */
  maskOf(variable: tf.Variable): Float32Array | undefined {
    return this.masks.get(variable.name)?.values;
  }

  /** Starts a stage; returns the optimiser to train it with (the given one when nothing is masked or pruned). */
  beginStage(settings: PruningSettings | undefined, stageSteps: number, optimizer: TrainingOptimizer): TrainingOptimizer {
    this.settings = settings;
    this.stageSteps = stageSteps;
    if (settings === undefined && this.masks.size === 0) return optimizer;
    return new MaskedOptimizer(optimizer, this);
  }

  /** Before stage step t (0-based): prunes to the scheduled sparsity when the schedule says so. */
  async beforeStep(t: number): Promise<void> {
    if (this.settings === undefined) return;
    const sparsity = scheduledSparsity(this.settings, t, this.stageSteps);
    if (sparsity === null) return;
    await this.prune(this.settings, sparsity);
  }

  /** Recomputes every mask at `sparsity` and applies them. */
  async prune(settings: PruningSettings, sparsity: number): Promise<void> {
    for (const network of this.networks) {
      for (const layer of prunableLayers(network.spec, settings.method)) {
        const kernel = weightVariable(network.model, layer.layerId, 0);
        const values = await kernel.data();
        const previous = this.masks.get(kernel.name)?.values;
        if (settings.method === 'magnitude') {
          this.setMask(kernel, magnitudeMask(values, sparsity, previous));
          continue;
        }
        const channels = kernel.shape[kernel.shape.length - 1];
        const previousChannels = previous === undefined ? undefined : channelsAlive(previous, channels);
        const kept = channelMask(values, channels, sparsity, previousChannels);
        this.setMask(kernel, combine(expandChannelMask(kept, values.length), previous));
        const perChannel = [...(layer.hasBias ? [weightVariable(network.model, layer.layerId, 1)] : [])];
        if (layer.batchNormId !== undefined) perChannel.push(weightVariable(network.model, layer.batchNormId, 0), weightVariable(network.model, layer.batchNormId, 1));
        for (const variable of perChannel) this.setMask(variable, combine(kept, this.masks.get(variable.name)?.values));
      }
    }
    this.applyToWeights();
  }

  private setMask(variable: tf.Variable, values: Float32Array): void {
    const old = this.masks.get(variable.name);
    old?.tensor.dispose();
    this.masks.set(variable.name, { variable, values, tensor: tf.keep(tf.tensor(values, variable.shape)) });
  }

  /** Gradients with the masked entries zeroed; the caller disposes the tensors in `made`. */
  maskGradients(grads: tf.NamedTensorMap, made: tf.Tensor[]): tf.NamedTensorMap {
    const masked: tf.NamedTensorMap = { ...grads };
    for (const [name, gradient] of Object.entries(grads)) {
      const mask = this.masks.get(name);
      if (mask === undefined) continue;
      const product = tf.mul(gradient, mask.tensor);
      made.push(product);
      masked[name] = product;
    }
    return masked;
  }

  /** w <- w * mask for every masked variable. */
  applyToWeights(): void {
    tf.tidy(() => {
      for (const { variable, tensor } of this.masks.values()) variable.assign(tf.mul(variable, tensor));
    });
  }

  dispose(): void {
    for (const { tensor } of this.masks.values()) tensor.dispose();
    this.masks.clear();
  }
}

/** Per channel of a channels-last kernel mask: 0 when every entry of the channel is pruned. */
function channelsAlive(kernelMask: Float32Array, channels: number): Float32Array {
  const alive = new Float32Array(channels);
  for (let i = 0; i < kernelMask.length; i++) if (kernelMask[i] !== 0) alive[i % channels] = 1;
  return alive;
}

function combine(mask: Float32Array, previous: Float32Array | undefined): Float32Array {
  if (previous === undefined) return mask;
  return mask.map((value, i) => value * previous[i]);
}

/** The stage's optimiser with masked gradients, and the masks re-applied after every update. */
class MaskedOptimizer implements TrainingOptimizer {
  constructor(private readonly inner: TrainingOptimizer, private readonly pruner: PhasePruner) {}

  get kind(): TrainingOptimizer['kind'] { return this.inner.kind; }
  get iterations(): number { return this.inner.iterations; }

  apply(variables: tf.Variable[], grads: tf.NamedTensorMap, learningRate: number): void {
    const made: tf.Tensor[] = [];
    try {
      this.inner.apply(variables, this.pruner.maskGradients(grads, made), learningRate);
    } finally {
      tf.dispose(made);
    }
    this.pruner.applyToWeights();
  }

  dispose(): void {
    this.inner.dispose();
  }
}

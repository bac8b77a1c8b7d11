import * as tf from '@tensorflow/tfjs';
import type { OptimizerKind, TrainerSettings } from '../graph/schema';
import { wasmAdamAvailable, wasmAdamUpdate, type AdamUpdateAttrs } from '../models/wasm-adam';

/**
 * SGD with momentum and Adam, written out rather than taken from tf.train so that the learning
 * rate can change every step without allocating kept scalars, and so that dispose() frees every
 * slot (tf.train.momentum keeps its learning-rate scalar after dispose, which leak tests notice).
 */

export interface TrainingOptimizer {
  readonly kind: OptimizerKind;
  /** Steps applied so far. */
  readonly iterations: number;
  /**
   * Updates each variable that has a gradient in `grads` (keyed by variable name).
   * Does not dispose the gradients: the caller owns them.
   */
  apply(variables: tf.Variable[], grads: tf.NamedTensorMap, learningRate: number): void;
  dispose(): void;
}

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

/**
 * Coupled L2 weight decay, as PyTorch's SGD and Adam `weight_decay`: the gradient gains wd * w
 * before the update (every trainable variable, biases and batch-norm scales included, as there).
 */
function decayed(gradient: tf.Tensor, variable: tf.Tensor, weightDecay: number): tf.Tensor {
  return weightDecay === 0 ? gradient : gradient.add(variable.mul(weightDecay));
}

function checkWeightDecay(weightDecay: number): number {
  if (!(weightDecay >= 0 && weightDecay < 1)) {
    throw new Error(`Weight decay must be in [0, 1) (got ${weightDecay}); RepDistiller's recipes use 5e-4.`);
  }
  return weightDecay;
}

/** Unnamed, so two optimizers over the same variables never clash in the engine's registry. */
function zerosSlot(variable: tf.Variable): tf.Variable {
  return tf.variable(tf.zerosLike(variable), false);
}

/** PyTorch/tfjs form: v <- m v + g; w <- w - lr v. */
class MomentumSgd implements TrainingOptimizer {
  readonly kind = 'sgd' as const;
  iterations = 0;
  private readonly velocity = new Map<string, tf.Variable>();

  constructor(private readonly momentum: number, private readonly weightDecay: number) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new Error(`SGD momentum must be in [0, 1) (got ${momentum}); 0.9 is the usual value.`);
    }
  }

  apply(variables: tf.Variable[], grads: tf.NamedTensorMap, learningRate: number): void {
    tf.tidy(() => {
      for (const variable of variables) {
        const raw = grads[variable.name];
        if (!raw) continue;
        const gradient = decayed(raw, variable, this.weightDecay);
        if (this.momentum === 0) {
          variable.assign(variable.sub(gradient.mul(learningRate)));
          continue;
        }
        let velocity = this.velocity.get(variable.name);
        if (!velocity) {
          velocity = zerosSlot(variable);
          this.velocity.set(variable.name, velocity);
        }
        const next = velocity.mul(this.momentum).add(gradient);
        velocity.assign(next);
        variable.assign(variable.sub(next.mul(learningRate)));
      }
    });
    this.iterations += 1;
  }

  dispose(): void {
    for (const slot of this.velocity.values()) slot.dispose();
    this.velocity.clear();
  }
}

/**
 * One Adam step in tfjs ops: [new w, new m, new v]. Every backend but wasm runs this; the fused
 * wasm kernel does the same f32 operations in the same order (its tests compare the two).
 */
export function adamUpdateOps(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const gradient = decayed(g, w, attrs.weightDecay);
  const nextM = m.mul(attrs.beta1).add(gradient.mul(1 - attrs.beta1));
  const nextV = v.mul(attrs.beta2).add(gradient.square().mul(1 - attrs.beta2));
  const update = nextM.div(attrs.correction1).div(nextV.div(attrs.correction2).sqrt().add(attrs.epsilon));
  return [w.sub(update.mul(attrs.learningRate)), nextM, nextV];
}

/** Kingma & Ba 2015 with bias correction: w <- w - lr m_hat / (sqrt(v_hat) + eps). */
class Adam implements TrainingOptimizer {
  readonly kind = 'adam' as const;
  iterations = 0;
  private readonly firstMoment = new Map<string, tf.Variable>();
  private readonly secondMoment = new Map<string, tf.Variable>();

  constructor(private readonly weightDecay: number) {}

  apply(variables: tf.Variable[], grads: tf.NamedTensorMap, learningRate: number): void {
    const t = this.iterations + 1;
    const attrs: AdamUpdateAttrs = {
      learningRate, beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: ADAM_EPSILON,
      correction1: 1 - Math.pow(ADAM_BETA1, t), correction2: 1 - Math.pow(ADAM_BETA2, t), weightDecay: this.weightDecay,
    };
    // On wasm one fused kernel per variable (models/wasm-adam.ts) does adamUpdateOps' work in one
    // pass, over the variable's and its slots' own buffers where nothing else holds them.
    const fused = wasmAdamAvailable();
    tf.tidy(() => {
      for (const variable of variables) {
        const raw = grads[variable.name];
        if (!raw) continue;
        const m = this.slot(this.firstMoment, variable);
        const v = this.slot(this.secondMoment, variable);
        const [nextW, nextM, nextV] = fused && variable.dtype === 'float32' && raw.dtype === 'float32'
          ? wasmAdamUpdate(variable, m, v, raw, attrs, true)
          : adamUpdateOps(variable, m, v, raw, attrs);
        m.assign(nextM);
        v.assign(nextV);
        variable.assign(nextW);
      }
    });
    this.iterations = t;
  }

  private slot(slots: Map<string, tf.Variable>, variable: tf.Variable): tf.Variable {
    let slot = slots.get(variable.name);
    if (!slot) {
      slot = tf.tidy(() => zerosSlot(variable));
      slots.set(variable.name, slot);
    }
    return slot;
  }

  dispose(): void {
    for (const slot of [...this.firstMoment.values(), ...this.secondMoment.values()]) slot.dispose();
    this.firstMoment.clear();
    this.secondMoment.clear();
  }
}

/** Absent weight decay is 0: the updates are then exactly those of the optimisers without it. */
export function createOptimizer(settings: Pick<TrainerSettings, 'optimizer' | 'momentum' | 'weightDecay'>): TrainingOptimizer {
  const weightDecay = checkWeightDecay(settings.weightDecay ?? 0);
  switch (settings.optimizer) {
    case 'sgd':
      return new MomentumSgd(settings.momentum, weightDecay);
    case 'adam':
      return new Adam(weightDecay);
  }
}

/**
 * Pruning settings of one trainer stage (TrainerParams.pruning; absent = the stage prunes nothing
 * new, but keeps the masks of earlier stages fixed).
 *
 * magnitude: unstructured, per layer, the smallest |w| of every conv2d and dense kernel except the
 *   classifier (the last layer) and depthwise kernels.
 * channel: structured (Li et al. 2017), per conv2d layer, the output channels whose filters have the
 *   smallest L1 norm: kernel column, bias and the following batch norm's gamma and beta.
 * oneShot: the target at the stage's first step. gradual: Zhu & Gupta's (2017) cubic ramp from 0 to
 *   the target, the masks updated every `everySteps` steps over the first `rampFraction` of the stage.
 */

export const PRUNING_METHODS = ['magnitude', 'channel'] as const;
export type PruningMethod = typeof PRUNING_METHODS[number];

export const PRUNING_SCHEDULES = ['oneShot', 'gradual'] as const;
export type PruningSchedule = typeof PRUNING_SCHEDULES[number];

export interface PruningSettings {
  method: PruningMethod;
  /** Fraction of each pruned layer's weights (magnitude) or output channels (channel) set to zero. */
  targetSparsity: number;
  schedule: PruningSchedule;
  /** Gradual: Δt, training steps between mask updates. */
  everySteps: number;
  /** Gradual: the part of the stage's steps over which the sparsity ramps up; the rest fine-tunes at the target. */
  rampFraction: number;
}

/** Bounds shared by the file reader and the inspector. 0.99 keeps at least one weight per layer in sight. */
export const PRUNING_LIMITS = {
  targetSparsity: { min: 0, max: 0.99 },
  everySteps: { min: 1, max: 100_000 },
  rampFraction: { min: 0.01, max: 1 },
} as const;

export const DEFAULT_PRUNING: Readonly<Record<PruningMethod, PruningSettings>> = {
  magnitude: { method: 'magnitude', targetSparsity: 0.8, schedule: 'gradual', everySteps: 10, rampFraction: 0.5 },
  channel: { method: 'channel', targetSparsity: 0.5, schedule: 'gradual', everySteps: 10, rampFraction: 0.5 },
};

/** The smaller ONNX files of a pruned network (src/compress/prunedOnnx.ts): zeroed conv channels removed, or zeros stored sparse. */
export const PRUNED_ONNX_FORMS = ['slimmed', 'sparse'] as const;
export type PrunedOnnxForm = typeof PRUNED_ONNX_FORMS[number];

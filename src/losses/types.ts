import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../models/spec';

/**
 * One entry of the loss registry. The inspector's forms, the lesson texts, graph validation and the
 * trainer all read these entries: adding a method means adding one entry, not editing switches.
 */

export type LossFamily = 'task' | 'logits' | 'features' | 'relations';

/** What flows into a loss port. `feature` shapes exclude the batch axis. */
export type LossPortType = 'logits' | 'labels' | 'feature';

export interface LossPortDef {
  name: string;
  label: string;
  type: LossPortType;
  /** Which network the tensor must come from; labels come from the dataset. */
  side: 'teacher' | 'student' | 'data';
}

export interface LossParamDef {
  key: string;
  label: string;
  default: number;
  min: number;
  max: number;
  step: number;
  description: string;
  /** When set, the value is an index into these choices (e.g. NST kernel). */
  choices?: string[];
  /** A whole number (a count, an order); files with a fraction are refused. Choices are always whole. */
  integer?: boolean;
}

export type LossParams = Record<string, number>;

/** Named, batch-shaped tensors keyed by port name. Feature maps are NHWC. */
export type LossInputs = Record<string, tf.Tensor>;

/**
 * The learned part of a loss (VID's regressor and variances, CRD's embeddings and memory bank).
 * Created once per run from the plan's input shapes; its variables train with the phase whose
 * stages use the loss and are never exported. State it keeps (a memory bank) lives in the module
 * object, so it persists across steps.
 */
export interface LossModule {
  /** Trainable variables, handed to the optimiser with the student's. */
  readonly variables: tf.Variable[];
  /** Parts trained by an objective of their own, apart from the networks (an adversarial discriminator). */
  readonly own?: OwnObjective;
  /** Parts trained alone before the first stage that uses the loss, on teacher-side inputs only (FT's paraphraser). */
  readonly pretraining?: ModulePretraining;
  /** Before each step that computes the loss: which training images the batch holds (CRD's memory bank is indexed by them). */
  beginStep?(batch: StepSamples): void;
  /** After that step: `applied` is true once the update was applied, false when the step failed (drop what beginStep kept). */
  endStep?(applied: boolean): void;
  dispose(): void;
}

/**
 * A module's training before distillation: `epochs` over the training images with an Adam of its
 * own, minimising `loss` over `variables` on the inputs of the loss's teacher-side ports (their
 * networks frozen). Nothing else trains meanwhile.
 */
export interface ModulePretraining {
  /** What trains, for the log (e.g. 'FT paraphraser'). */
  readonly label: string;
  readonly epochs: number;
  readonly learningRate: number;
  readonly variables: tf.Variable[];
  loss(inputs: LossInputs): tf.Scalar;
}

/** The samples of one training batch. */
export interface StepSamples {
  /** Index of each batch row in the training split. */
  readonly indices: Int32Array;
}

/** What a module may size itself by, beyond its input shapes. */
export interface ModuleContext {
  /** Images in the training split (the size of a per-sample memory bank). */
  readonly trainCount: number;
  /** Their labels, in split order (CRD draws its negatives from other classes). */
  readonly trainLabels?: ArrayLike<number>;
}

/**
 * A module's own objective: after each step of the networks the trainer minimises it over `variables`
 * with an optimiser of its own, on that step's loss inputs held fixed (so the networks and the module
 * are updated alternately, as GAN training does).
 */
export interface OwnObjective {
  readonly variables: tf.Variable[];
  readonly learningRate: number;
  /** The objective and the numbers to chart each step (e.g. discriminator accuracy), all scalars. */
  loss(inputs: LossInputs): { loss: tf.Scalar; metrics: Record<string, tf.Scalar> };
}

export interface LossDefinition {
  id: string;
  label: string;
  family: LossFamily;
  /** KaTeX source of the paper's definition as implemented. */
  formula: string;
  citation: string;
  /** One or two plain sentences for the inspector and the classroom. */
  summary: string;
  ports: LossPortDef[];
  params: LossParamDef[];
  /** Weight used when the block is created (the paper's or RepDistiller's). */
  defaultWeight: number;
  /**
   * Whether a student feature must be mapped to the teacher feature's shape by an adapter
   * (FitNet's regressor). Losses that compare shape-free statistics say false.
   */
  needsAdapter: boolean;
  /**
   * Its feature ports take [H, W, C] maps (convolution layers): on models without any, validation
   * offers to switch them to the CNN presets.
   */
  needsFeatureMaps?: boolean;
  /**
   * Its learned parts pre-train on the teacher-side inputs before the stage (FT's paraphraser), so
   * those must come from a network the stage keeps frozen: validation refuses one it trains.
   */
  needsFrozenTeacher?: boolean;
  /**
   * Fewest samples a batch must hold (relational losses compare samples within a batch); absent = 1.
   * Validation checks it against every batch size an epoch produces, the last one included.
   */
  minBatch?(params: LossParams): number;
  /** Graph-time check on port shapes (after adapters); returns a reason or null when fine. */
  checkShapes(shapes: Record<string, Shape>, params: LossParams): string | null;
  /**
   * Losses with learned parts create them here, from the shapes of their inputs (batch axis
   * excluded) and a seed; compute then receives the module.
   */
  createModule?(shapes: Record<string, Shape>, params: LossParams, seed: number, context: ModuleContext): LossModule;
  /** The unweighted loss as a scalar. Must be differentiable w.r.t. student-side inputs (and the module's variables). */
  compute(inputs: LossInputs, params: LossParams, module?: LossModule): tf.Scalar;
}

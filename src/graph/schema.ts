import type { BatchSampler } from '../data/types';
import type { ArchitectureSpec } from '../models/spec';
import type { PruningSettings } from '../compress/types';

/**
 * The experiment file: the graph the user wires, saved as versioned JSON.
 * Node positions are stored so a file opens exactly as it was left.
 */

export const SCHEMA_VERSION = 1;

export type NodeKind = 'dataset' | 'model' | 'guide' | 'guided' | 'head' | 'ensemble' | 'loss' | 'trainer' | 'export';

export type OptimizerKind = 'sgd' | 'adam';

export type LearningRateSchedule =
  | { kind: 'constant' }
  | { kind: 'step'; everyEpochs: number; factor: number }
  | { kind: 'cosine' };

/** How a loss weight evolves over a stage (ESKD is a step-to-zero schedule on the KD weight). */
export type WeightSchedule =
  | { kind: 'constant' }
  | { kind: 'stepToZero'; atEpoch: number }
  | { kind: 'linearDecay' }
  | { kind: 'cosineDecay' }
  /** Ramps the weight up over the first `epochs` epochs: epoch e (from 0) weighs min(1, (e + 1) / epochs), as DKD's code warms up. */
  | { kind: 'linearWarmup'; epochs: number };

export interface TrainerSettings {
  optimizer: OptimizerKind;
  learningRate: number;
  /** SGD momentum (ignored by Adam). */
  momentum: number;
  /** Coupled L2 weight decay (PyTorch's `weight_decay`); absent = 0, as in files from before it. */
  weightDecay?: number;
  lrSchedule: LearningRateSchedule;
  epochs: number;
  batchSize: number;
  seed: number;
}

export interface DatasetParams {
  datasetId: string;
  trainSubset: number | null;
  validationSize: number;
  testSubset: number | null;
  augmentShift: number;
  /** Random horizontal flip of training images; absent (files from before the option) = off. */
  augmentFlip?: boolean;
  /** Fixed test images shown in the soft-target and attention panels. */
  probeCount: number;
  /** How every phase draws its training batches; absent (files from before the option) = shuffled. */
  sampler?: BatchSampler;
}

/**
 * teacher: trained on labels first (its own settings), then frozen while it teaches.
 * student: learns in a distillation stage sequence, and is measured against its baseline.
 * assistant: learns from a teacher, then teaches a student (teacher-assistant chains).
 * peer: learns together with other peers, each teaching the others (deep mutual learning).
 */
export type ModelRole = 'teacher' | 'assistant' | 'student' | 'peer';

export const MODEL_ROLES: readonly ModelRole[] = ['teacher', 'assistant', 'student', 'peer'];

/** How the teacher is trained before it teaches (offline distillation). */
export interface TeacherTraining extends TrainerSettings {
  /**
   * Random shift (pixels) for the teacher's own training; absent = the dataset's setting.
   * Hinton et al. (2015) jitter the teacher's inputs by up to 2 px and distil on the plain images.
   */
  augmentShift?: number;
  /**
   * The teacher's own training images: absent = the dataset's subset, null = all of them, N = the
   * first N. A teacher trained on all the data can teach a student that sees only a subset (the
   * quick presets start from such a shipped teacher).
   */
  trainSubset?: number | null;
  /** How the teacher's batches are drawn; absent = the dataset's sampler. */
  sampler?: BatchSampler;
}

export interface ModelParams {
  role: ModelRole;
  architecture: ArchitectureSpec;
  /** Teacher only. */
  teacherTraining?: TeacherTraining;
  /** Teacher only: imported from a file (src/import/), not trained; absent = trained as before. */
  imported?: ImportedTeacher;
}

/**
 * An imported ONNX teacher: its converted weights live in this browser's IndexedDB teacher store
 * under `weightsKey` (too big for the experiment file); the rest records what was checked on import.
 */
export interface ImportedTeacher {
  format: 'onnx';
  fileName: string;
  sha256: string;
  weightsKey: string;
  opset: number;
  producer: string;
  /** Parity with onnxruntime-web on import: max |logit difference| over `parityImages` real images. */
  maxAbsDiff: number;
  parityImages: number;
}

export interface GuideParams { layerId: string }

export type AdapterKind = 'auto' | 'none' | 'conv1x1' | 'conv3x3' | 'dense';

export interface GuidedParams { layerId: string; adapter: AdapterKind }

/**
 * An auxiliary classifier on a guided layer (self-distillation, Zhang et al. 2019): global average
 * pooling (maps) then a dense layer to the dataset's classes. Trained with its network, never
 * exported; it has no settings of its own.
 */
export type HeadParams = Record<string, never>;

/**
 * An ensemble of networks (born-again networks, Furlanello et al. 2018): the average of its members'
 * class probabilities, given as logits (log of the mean softmax). It teaches through its output and
 * is reported as a result of its own; its members and its name are its edges and its label.
 */
export type EnsembleParams = Record<string, never>;

export interface LossParamsNode {
  lossId: string;
  weight: number;
  params: Record<string, number>;
}

/** Quantisation-aware training (INT8 fake quantisation, src/compress): a stage with it and every later stage train through it. */
export const QUANTIZATION_METHODS = ['qat', 'ptq'] as const;
export type QuantizationMethod = typeof QUANTIZATION_METHODS[number];

export interface QuantizationSettings {
  /**
   * 'qat' (absent, as in files from before the option): train through fake quantisation from this
   * stage on. 'ptq': train in float and quantise after the phase, with activation ranges calibrated
   * on `calibrationImages` training images (post-training quantisation, for comparison with QAT).
   */
  method?: QuantizationMethod;
  /** Moving-average momentum of the activation ranges during training (QAT only). */
  emaMomentum: number;
  /** Training images whose min/max start the activation ranges when QAT begins. */
  calibrationImages: number;
}

export interface TrainerParams extends TrainerSettings {
  stageName: string;
  /** Loss node id -> weight schedule for this stage (missing = constant). */
  weightSchedules: Record<string, WeightSchedule>;
  /**
   * Loss nodes active in this stage; the connected losses by default.
   * FitNet stage 1 trains only up to the guided layer: `trainUpTo` names that student layer.
   */
  trainUpTo: string | null;
  /** Pruning while this stage trains (src/compress); absent = none, and masks of earlier stages stay fixed. */
  pruning?: PruningSettings;
  /** Absent = FP32 training (files from before the option). */
  quantization?: QuantizationSettings;
}

export interface ExportParams {
  format: 'onnx' | 'atc';
  socVersion: string;
  aipp: boolean;
  batchSize: number;
  softmaxOutput: boolean;
  opset: number;
}

export type NodeParamsByKind = {
  dataset: DatasetParams;
  model: ModelParams;
  guide: GuideParams;
  guided: GuidedParams;
  head: HeadParams;
  ensemble: EnsembleParams;
  loss: LossParamsNode;
  trainer: TrainerParams;
  export: ExportParams;
};

export type GraphNode = {
  [K in NodeKind]: { id: string; kind: K; label: string; position: { x: number; y: number }; params: NodeParamsByKind[K] };
}[NodeKind];

export type NodeOf<K extends NodeKind> = Extract<GraphNode, { kind: K }>;

export interface GraphEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export interface ExperimentFile {
  schemaVersion: typeof SCHEMA_VERSION;
  name: string;
  description: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

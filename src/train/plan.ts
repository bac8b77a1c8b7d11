import type { ArchitectureSpec, Shape } from '../models/spec';
import type { BatchSampler, DatasetOptions } from '../data/types';
import type { ModelRole, QuantizationSettings, TrainerSettings, WeightSchedule } from '../graph/schema';
import type { PruningSettings } from '../compress/types';

/**
 * The compiled, serialisable form of an experiment graph (src/graph/compile.ts makes it).
 * The trainer only reads plans: it never sees the graph, React Flow or the UI.
 *
 * A plan is a list of networks (`models`, keyed by their graph node id) and a list of phases in the
 * order they run. Each phase trains some models and runs others frozen (forward only, no gradient):
 * a teacher's own training, a baseline (a student on labels alone), a distillation (students
 * learning from frozen teachers), mutual learning (peers trained together, each the other's target).
 */

/** What a phase does; a run selects phases by kind ('teacher' = teachers trained on labels first). */
export type PhaseKind = 'teacher' | 'baseline' | 'student';

/** Which kinds of phase a run trains. A selected distillation also runs the phases that train its teachers. */
export interface RunSelection { teacher: boolean; baseline: boolean; student: boolean }

/** A baseline is a model of its own in the plan: the same architecture and seed as the student it measures. */
export const baselineIdFor = (modelId: string): string => `${modelId}/baseline`;

/** Where a loss input comes from in one training step. */
export type TensorRef =
  | { kind: 'logits'; model: string; detach: boolean }
  | { kind: 'labels' }
  | { kind: 'feature'; model: string; layerId: string; adapterId: string | null; detach: boolean }
  /** An Ensemble node's logits: log of the mean of the members' softmax (the members run as its phase runs them). */
  | { kind: 'ensemble'; members: string[]; detach: boolean };
// `detach`: the input is a target, not a prediction (the teacher side of a loss read from a model the
// same phase trains, as in mutual learning), so no gradient flows into that model through it.

/** The models a loss input reads (an ensemble reads all its members). */
export function modelsReadBy(ref: TensorRef): string[] {
  if (ref.kind === 'labels') return [];
  return ref.kind === 'ensemble' ? [...ref.members] : [ref.model];
}

/** An Ensemble node: evaluated after the run (once all its members finished) as a result of its own. */
export interface EnsemblePlan {
  /** The ensemble node's id. */
  id: string;
  label: string;
  /** Model ids, in the order they feed the node. */
  members: string[];
}

/**
 * A part trained with one model and never exported: a FitNet adapter mapping a guided feature to its
 * guide's shape (conv1x1, conv3x3, dense), or an auxiliary classifier (self-distillation) mapping a
 * layer to class logits ('classifier': global average pooling for maps, then dense).
 */
export interface AdapterPlan {
  id: string;
  kind: 'conv1x1' | 'conv3x3' | 'dense' | 'classifier';
  /** The model whose layer the adapter maps (it trains with that model). */
  modelId: string;
  layerId: string;
  inputShape: Shape;
  outputShape: Shape;
}

export interface LossTermPlan {
  /** The loss node's id: the key of this term in metrics and charts. */
  nodeId: string;
  lossId: string;
  label: string;
  weight: number;
  params: Record<string, number>;
  inputs: Record<string, TensorRef>;
  /** Input shapes (batch axis excluded) of a loss that owns learned parts, which the trainer builds from them. */
  moduleShapes?: Record<string, Shape>;
}

export interface StagePlan {
  nodeId: string;
  name: string;
  settings: TrainerSettings;
  terms: { term: LossTermPlan; schedule: WeightSchedule }[];
  /** Train only the layers up to and including this one (FitNet stage 1) of the models that have it, or all. */
  trainUpTo: string | null;
  /** Pruning during this stage (absent = none; earlier stages' masks stay fixed). */
  pruning?: PruningSettings;
  /** QAT from this stage on (absent = as the stage before). */
  quantization?: QuantizationSettings;
}

export interface ModelPlan {
  /** The model node's id; a baseline's is baselineIdFor(the student's id). */
  id: string;
  label: string;
  role: ModelRole | 'baseline';
  architecture: ArchitectureSpec;
  /** Layers exposed as extra model outputs, in layer order (guide and guided layers read by losses). */
  taps: string[];
  /** Seeds the initial weights (data order and augmentation are seeded by each stage). */
  seed: number;
  /** Baselines: the model this one is the label-only twin of. */
  baselineOf?: string;
}

export interface PhasePlan {
  id: string;
  kind: PhaseKind;
  /** Shown in progress, charts and the log. */
  label: string;
  /** Models updated in this phase. */
  trains: string[];
  /** Models that run forward only (trained by an earlier phase, or restored). */
  frozen: string[];
  /** For each trained model, the models that teach it directly (feed a teacher-side input of a loss it learns from). */
  teachers: Record<string, string[]>;
  stages: StagePlan[];
  /** Random shift (px) of the training images in this phase. */
  augmentShift: number;
  /** Training images of this phase when not the dataset's subset (a teacher trained on all of them): null = all, N = the first N. */
  trainSubset?: number | null;
  /** Batch sampler of this phase when not the dataset's. */
  sampler?: BatchSampler;
  /** Teacher phases: identifies the trained weights, so a cache or a shipped teacher can stand in. */
  cacheKey?: string;
  /** An imported teacher (src/import/): its weights must be restored from `cacheKey`; it is never trained. */
  importedFile?: string;
}

/** A feature probe reads one layer (or two for FSP) of one model. */
export interface ProbeLayer { model: string; layerId: string }

export interface AttentionProbe {
  id: string;
  label: string;
  teacher: ProbeLayer;
  student: ProbeLayer;
  /** The AT block's power over channels, so the maps shown are the maps the loss compares. */
  p: number;
}
export interface FspProbe {
  id: string;
  label: string;
  teacher: { model: string; layerIds: [string, string] };
  student: { model: string; layerIds: [string, string] };
}

/** The B x B matrix a relational loss compares (SP's similarities, RKD's distances, PKT's conditionals). */
export interface RelationProbe {
  id: string;
  label: string;
  kind: 'sp' | 'rkd' | 'pkt';
  teacher: ProbeLayer;
  student: ProbeLayer;
  /** PKT's paper form leaves the self-pairs out of its conditionals. */
  excludeSelf: boolean;
}

export interface ProbePlan {
  count: number;
  /** Temperature used for the soft targets shown (from the first KD block, else 1). */
  temperature: number;
  attention: AttentionProbe[];
  fsp: FspProbe[];
  relations: RelationProbe[];
}

export const PLAN_VERSION = 3;

export interface TrainingPlan {
  planVersion: typeof PLAN_VERSION;
  experimentName: string;
  dataset: DatasetOptions;
  models: ModelPlan[];
  /** In the order they run: a phase comes after every phase that trains a model it freezes. */
  phases: PhasePlan[];
  adapters: AdapterPlan[];
  /** Every Ensemble node of the graph, in graph order (plan version 3). */
  ensembles: EnsemblePlan[];
  probes: ProbePlan;
}

/** The single term of a teacher's or a baseline's training: cross-entropy of that model's logits. */
export function crossEntropyTerm(modelId: string): LossTermPlan {
  return {
    nodeId: `ce:${modelId}`,
    lossId: 'ce',
    label: 'Cross-entropy',
    weight: 1,
    params: {},
    inputs: { logits: { kind: 'logits', model: modelId, detach: false }, labels: { kind: 'labels' } },
  };
}

export function modelPlan(plan: TrainingPlan, id: string): ModelPlan {
  const model = plan.models.find((candidate) => candidate.id === id);
  if (model === undefined) throw new Error(`The plan has no model '${id}' (models: ${plan.models.map((m) => m.id).join(', ')}).`);
  return model;
}

/** The phases a selection runs, in plan order: the selected kinds, plus what a selected distillation needs. */
export function selectedPhases(plan: TrainingPlan, runs: RunSelection): PhasePlan[] {
  const chosen = new Set(plan.phases.filter((phase) => runs[phase.kind]).map((phase) => phase.id));
  // Walk backwards: a chosen phase pulls in the phases that train what it freezes.
  for (const phase of [...plan.phases].reverse()) {
    if (!chosen.has(phase.id) || phase.kind === 'baseline') continue;
    for (const frozen of phase.frozen) {
      const trainer = plan.phases.find((candidate) => candidate.kind !== 'baseline' && candidate.trains.includes(frozen));
      if (trainer !== undefined) chosen.add(trainer.id);
    }
  }
  return plan.phases.filter((phase) => chosen.has(phase.id));
}

/** The phase that trains a model (a baseline's own phase for a baseline id). */
export function phaseTraining(plan: TrainingPlan, modelId: string): PhasePlan | undefined {
  return plan.phases.find((phase) => phase.trains.includes(modelId));
}

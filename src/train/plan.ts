import type { ArchitectureSpec, Shape } from '../models/spec';
import type { DatasetOptions } from '../data/types';
import type { TrainerSettings, WeightSchedule } from '../graph/schema';

/**
 * The compiled, serialisable form of an experiment graph (src/graph/compile.ts makes it).
 * The trainer only reads plans: it never sees the graph, React Flow or the UI.
 */

export type Side = 'teacher' | 'student';

/** Where a loss input comes from in one training step. */
export type TensorRef =
  | { kind: 'logits'; side: Side }
  | { kind: 'labels' }
  | { kind: 'feature'; side: Side; layerId: string; adapterId: string | null };

export interface AdapterPlan {
  id: string;
  kind: 'conv1x1' | 'conv3x3' | 'dense';
  studentLayerId: string;
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
}

export interface StagePlan {
  nodeId: string;
  name: string;
  settings: TrainerSettings;
  terms: { term: LossTermPlan; schedule: WeightSchedule }[];
  /** Train only the student layers up to and including this one (FitNet stage 1), or all. */
  trainUpTo: string | null;
}

export interface AttentionProbe {
  id: string;
  label: string;
  teacherLayerId: string;
  studentLayerId: string;
  /** The AT block's power over channels, so the maps shown are the maps the loss compares. */
  p: number;
}
export interface FspProbe {
  id: string;
  label: string;
  teacherLayerIds: [string, string];
  studentLayerIds: [string, string];
}

export interface ProbePlan {
  count: number;
  /** Temperature used for the soft targets shown (from the KD block, else 1). */
  temperature: number;
  attention: AttentionProbe[];
  fsp: FspProbe[];
}

export interface TrainingPlan {
  planVersion: 1;
  experimentName: string;
  dataset: DatasetOptions;
  /** `augmentShift` is the random shift the teacher trains with (its own setting, else the dataset's). */
  teacher: { architecture: ArchitectureSpec; settings: TrainerSettings; augmentShift: number; cacheKey: string };
  student: { architecture: ArchitectureSpec };
  /** Layers exposed as extra model outputs (guide layers of the teacher, guided layers of the student). */
  teacherTaps: string[];
  studentTaps: string[];
  adapters: AdapterPlan[];
  stages: StagePlan[];
  /** Same student, data, seed, optimiser and total epochs, cross-entropy only. */
  baseline: TrainerSettings;
  probes: ProbePlan;
}

export type RunPhase = 'teacher' | 'baseline' | 'student';

export interface RunSelection { teacher: boolean; baseline: boolean; student: boolean }

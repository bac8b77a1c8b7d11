/**
 * The results object: what the results panel shows and the headless runner writes as JSON.
 * Keyed by model id (the graph node id; a baseline's id is `<student id>/baseline`), so an
 * experiment with any number of teachers, assistants, students and peers reports each of them.
 */

import type { PrunedOnnxForm } from './compress/types';
import type { ModelRole, QuantizationMethod } from './graph/schema';

export const RESULTS_VERSION = 2;

export interface ModelResult {
  modelId: string;
  label: string;
  role: ModelRole | 'baseline';
  /** Baselines: the student this is the label-only twin of. */
  baselineOf?: string;
  /** Fractions in [0, 1]. */
  testAccuracy: number;
  validationAccuracy: number;
  trainAccuracy: number;
  params: number;
  bytes: number;
  flops: number;
  epochs: number;
  trainingSeconds: number;
  inferenceMsPerSample: number;
  /** Seed of the initialisation (the first stage's, for a staged student). */
  seed: number;
  /** True when the teacher came from the cache instead of being trained in this run. */
  fromCache?: boolean;
  /** True when that cached teacher is one of the pretrained teachers shipped with the studio. */
  pretrained?: boolean;
  /**
   * Pruned models only (a stage of their phase prunes; src/compress/sparsity.ts measures them on the
   * trained weights): the fraction of zeros among the kernels the method of the phase's last pruning
   * stage prunes, the non-zero
   * parameters, and the bytes of a bitmap-sparse encoding (1 bit per parameter + 4 bytes per non-zero).
   */
  sparsity?: number;
  nonzeroParams?: number;
  sparseBytes?: number;
  /**
   * Pruned models that export to ONNX (src/compress/prunedOnnx.ts, default export settings): the real
   * bytes of the dense ONNX file and of the smallest smaller one, slimmed (zeroed conv channels
   * removed) or sparse (mostly-zero weights as sparse initialisers); absent when none is smaller.
   */
  onnxBytes?: number;
  prunedOnnxBytes?: number;
  prunedOnnxForm?: PrunedOnnxForm;
  /**
   * Networks quantised to INT8, by QAT or by PTQ after float training (`int8Method`; absent in
   * results from before PTQ = QAT): test accuracy of the INT8 (fake-quant) model; its size in bytes
   * (INT8 kernels, float scales, biases, batch norm).
   */
  int8Method?: QuantizationMethod;
  int8TestAccuracy?: number;
  int8Bytes?: number;
}

/** The field's three numbers for one distilled model (methods.md section 6). */
export interface DistillationReport {
  studentId: string;
  /** The network that taught it directly (the largest, when several did); null when no network did (teacher-free KD). */
  teacherId: string | null;
  /** Its label-only twin, when the plan has one. */
  baselineId: string | null;
  /** teacher params / student params (known from the architectures before training). */
  compressionRatio: number | null;
  /** teacher accuracy - student accuracy. */
  accuracyDrop: number | null;
  /** student accuracy - baseline accuracy. */
  distillationGain: number | null;
}

/**
 * An Ensemble node's result (born-again networks' BAN ensemble, Furlanello et al. 2018): the accuracy
 * of its members' averaged class probabilities, measured once every member had finished.
 */
export interface EnsembleResult {
  /** The ensemble node's id. */
  ensembleId: string;
  label: string;
  /** Model ids of the networks averaged, in the order they feed the node. */
  members: string[];
  /** Fractions in [0, 1]: the arg-max of the mean softmax against the labels. */
  testAccuracy: number;
  validationAccuracy: number;
  /** The members' parameters summed: what running the ensemble costs. */
  params: number;
}

export interface ExperimentResults {
  resultsVersion: typeof RESULTS_VERSION;
  experimentName: string;
  backend: string;
  datasetId: string;
  trainCount: number;
  testCount: number;
  /** Finished models in plan order. */
  models: ModelResult[];
  /** One per model that learned from another, in plan order (the first is the experiment's headline). */
  distillations: DistillationReport[];
  /**
   * One per Ensemble node whose members all finished, in graph order. Present only when the
   * experiment has ensembles, so results without them (and files written before them) are unchanged.
   */
  ensembles?: EnsembleResult[];
  finishedAt: string;
}

export function modelResultById(results: ExperimentResults, modelId: string | null | undefined): ModelResult | null {
  return modelId == null ? null : results.models.find((model) => model.modelId === modelId) ?? null;
}

/** The first distillation, which the headline and the seed statistics read. */
export function headlineDistillation(results: ExperimentResults): DistillationReport | null {
  return results.distillations[0] ?? null;
}

/**
 * Every message between the page (app/) and the workers (workers/), as discriminated unions.
 * src/train emits TrainEvents through an injected callback; the worker forwards them unchanged,
 * so the page, the headless runner and the tests all see the same events.
 */
import type { RunPhase, RunSelection, TrainingPlan } from './train/plan';
import type { ExperimentResults } from './results';
import type { ArchitectureSpec, LayerWeights } from './models/spec';
import type { ExportJobRequest, ExportJobResult } from './export/exportRequest';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

// ---------- training worker ----------

/** A trained model as the page keeps it: the experiment, architecture and data set it was trained in, its weights. */
export interface TrainedModel {
  experimentName: string;
  spec: ArchitectureSpec;
  datasetId: string;
  weights: LayerWeights[];
}

export type TrainCommand =
  | { type: 'start'; runId: string; plan: TrainingPlan; runs: RunSelection; backend: BackendPreference }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

export interface StepMetrics {
  type: 'step';
  phase: RunPhase;
  stageIndex: number;
  /** Step counted across all stages of this phase. */
  step: number;
  epoch: number;
  /** Weighted loss terms keyed by loss node id (or 'ce' for teacher/baseline). */
  terms: Record<string, number>;
  total: number;
}

export interface EpochMetrics {
  type: 'epoch';
  phase: RunPhase;
  stageIndex: number;
  epoch: number;
  trainAccuracy: number;
  validationAccuracy: number;
  testAccuracy: number;
}

export interface ProgressEvent {
  type: 'progress';
  phase: RunPhase;
  stageIndex: number;
  stageName: string;
  epoch: number;
  epochs: number;
  step: number;
  stepsTotal: number;
  /** Over all phases of this run. */
  fractionDone: number;
  secondsLeft: number | null;
}

/** Row-major matrices as plain number arrays: small, and structured-clone friendly. */
export interface HeatmapPair {
  id: string;
  label: string;
  rows: number;
  cols: number;
  teacher: number[][];
  student: number[][];
  /** Distance between the two matrices (mean squared difference after each side's normalisation). */
  distance: number;
}

export interface ProbeSnapshot {
  type: 'probe';
  phase: RunPhase;
  step: number;
  /** Raw logits so the page can re-apply any temperature. [probe][class] */
  teacherLogits: number[][];
  studentLogits: number[][];
  labels: number[];
  /** Probe images as [probe][H*W*C] in [0, 255], for thumbnails. */
  images: number[][];
  imageShape: [number, number, number];
  /** Attention maps: one HeatmapPair per (guide, guided) pair and probe image, id = `${pairId}:${probe}`. */
  attention: HeatmapPair[];
  /** FSP matrices averaged over the probe batch, one per FSP block. */
  fsp: HeatmapPair[];
}

/** A line for the run log; `warning` marks a fallback the user should notice (e.g. a teacher retrained). */
export interface LogEvent {
  type: 'log';
  message: string;
  warning?: boolean;
}

export interface PhaseDone {
  type: 'phaseDone';
  phase: RunPhase;
  testAccuracy: number;
  fromCache: boolean;
}

export type TrainEvent =
  | { type: 'backend'; backend: BackendName; reason: string }
  | LogEvent
  | { type: 'status'; state: 'running' | 'paused' | 'stopped' | 'finished' }
  | ProgressEvent
  | StepMetrics
  | EpochMetrics
  | ProbeSnapshot
  | PhaseDone
  | { type: 'result'; results: ExperimentResults }
  /** The trained distilled student (or baseline), sent once its phase ends, for export. */
  | { type: 'weights'; phase: RunPhase; model: TrainedModel }
  | {
      type: 'error';
      /** What happened and what to do, in words a user can act on. */
      message: string;
      kind: 'diverged' | 'invalid-plan' | 'data' | 'backend' | 'internal';
      /** For divergence: the loss term that became NaN or infinite. */
      lossTerm?: string;
    };

export type TrainWorkerMessage = TrainEvent & { runId: string };

// ---------- export / verification worker ----------

export interface VerificationReport {
  samples: number;
  maxAbsDiff: number;
  classAgreement: number;
  ok: boolean;
  tolerance: number;
}

export type ExportCommand =
  | {
      type: 'verify';
      requestId: string;
      onnx: Uint8Array;
      /** Inputs as float32 NCHW batches of one, and the tfjs student's logits for each. */
      inputs: Float32Array[];
      inputShape: number[];
      expectedLogits: Float32Array[];
    }
  /** The whole export in the worker: tfjs logits, ONNX, verification, then bundle and tfjs zip. */
  | { type: 'export'; requestId: string; request: ExportJobRequest };

export type ExportWorkerMessage =
  | { type: 'verified'; requestId: string; report: VerificationReport }
  | { type: 'verifyFailed'; requestId: string; message: string }
  | { type: 'exported'; requestId: string; result: ExportJobResult }
  | { type: 'exportFailed'; requestId: string; message: string; layerId?: string };

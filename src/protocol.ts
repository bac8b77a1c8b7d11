/**
 * Every message between the page (app/) and the workers (workers/), as discriminated unions.
 * src/train emits TrainEvents through an injected callback; the worker forwards them unchanged,
 * so the page, the headless runner and the tests all see the same events.
 */
import type { PhaseKind, RunSelection, TrainingPlan } from './train/plan';
import type { ModelRole } from './graph/schema';
import type { ExperimentResults } from './results';
import type { ArchitectureSpec, LayerWeights } from './models/spec';
import type { ExportJobRequest, ExportJobResult } from './export/exportRequest';
import type { PyTorchProjectInput } from './export/pytorch/project';
import type { ExperimentFile } from './graph/schema';
import type { GuidanceProgress, GuidanceReport, GuidanceSearchOptions } from './train/guidanceSearch';
import type { BackendProbeRecord, MeasuredChoice } from './backendChoice';
import type { ExplorerLogits } from './classroom/explorerTeacher';
import type { ImportedDataset, ImportOptions } from './data/userImages/importImages';
import type { ImportProblem } from './data/userImages/limits';
import type { ImportedTeacher } from './graph/schema';
import type { OnnxImportCode } from './import/onnxImportError';
import type { OnnxImportSummary } from './import/onnxToSpec';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

/** Which backend runs and why; `probe` is set when Auto has just measured, for the page to store. */
export interface BackendChosenEvent {
  type: 'backend';
  backend: BackendName;
  /** English. */
  reason: string;
  probe?: BackendProbeRecord;
  /** When Auto decided by measurement: what it measured, for the page to word the reason. */
  measured?: MeasuredChoice;
  /** Threads the studio's wasm kernels share large jobs between (wasm only; 1 without helpers). */
  threads?: number;
}

// ---------- training worker ----------

/** A trained model as the page keeps it: the experiment, architecture and data set it was trained in, its weights. */
export interface TrainedModel {
  modelId: string;
  label: string;
  role: ModelRole | 'baseline';
  experimentName: string;
  spec: ArchitectureSpec;
  datasetId: string;
  weights: LayerWeights[];
  /** Trained with QAT: the frozen INT8 activation parameters by quantisation point, for the INT8 (QDQ) export. */
  int8Activations?: Record<string, { scale: number; zeroPoint: number }>;
}

export type TrainCommand =
  | {
      type: 'start';
      runId: string;
      plan: TrainingPlan;
      runs: RunSelection;
      backend: BackendPreference;
      /** Auto's stored measurements: one matching this device spares the probe. */
      knownProbes?: BackendProbeRecord[];
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

/** Every event of a phase names it; `kind` lets views group phases (teachers, baselines, distillations). */
export interface PhaseRef {
  phaseId: string;
  kind: PhaseKind;
}

export interface StepMetrics extends PhaseRef {
  type: 'step';
  stageIndex: number;
  /** Step counted across all stages of this phase. */
  step: number;
  epoch: number;
  /** Weighted loss terms keyed by loss node id (teacher and baseline phases: `ce:<model id>`). */
  terms: Record<string, number>;
  total: number;
  /** Numbers of loss modules' own steps, keyed `<loss node id>:<name>` (adversarial KD: `:loss`, `:discriminatorAccuracy`). */
  metrics: Record<string, number>;
}

/** One per trained model and epoch (a mutual-learning phase reports each peer). */
export interface EpochMetrics extends PhaseRef {
  type: 'epoch';
  modelId: string;
  stageIndex: number;
  epoch: number;
  trainAccuracy: number;
  validationAccuracy: number;
  testAccuracy: number;
}

export interface ProgressEvent extends PhaseRef {
  type: 'progress';
  phaseLabel: string;
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
  /** The models compared: the teacher side and the student side of the loss. */
  teacherModel: string;
  studentModel: string;
  rows: number;
  cols: number;
  teacher: number[][];
  student: number[][];
  /** Distance between the two matrices (mean squared difference after each side's normalisation). */
  distance: number;
}

/** One model's raw logits on the probe images, so the page can re-apply any temperature. */
export interface ProbeLogits {
  modelId: string;
  label: string;
  role: ModelRole | 'baseline';
  /** [probe][class] */
  values: number[][];
}

export interface ProbeSnapshot extends PhaseRef {
  type: 'probe';
  step: number;
  /** Every model of the phase: the ones teaching first, then the ones learning. */
  logits: ProbeLogits[];
  labels: number[];
  /** Probe images as [probe][H*W*C] in [0, 255], for thumbnails. */
  images: number[][];
  imageShape: [number, number, number];
  /** Attention maps: one HeatmapPair per (guide, guided) pair and probe image, id = `${pairId}:${probe}`. */
  attention: HeatmapPair[];
  /** FSP matrices averaged over the probe batch, one per FSP block. */
  fsp: HeatmapPair[];
  /** The probe batch's B x B matrices of each relational block (SP, RKD, PKT), teacher and student. */
  relations: HeatmapPair[];
}

/**
 * A run-log line as data, so the page can word it in its language (`message` keeps the English
 * sentence for the command-line runner and for lines without a detail). Labels are the graph's own.
 */
export type LogDetail =
  | { code: 'dataCounts'; train: number; validation: number; test: number }
  | { code: 'teacherShipped'; phase: string }
  | { code: 'teacherCached'; phase: string }
  | { code: 'pretrainEpoch'; term: string; part: string; epoch: number; epochs: number; loss: number }
  | { code: 'ensembleAccuracy'; ensemble: string; testAccuracy: number; members: string[] }
  | { code: 'teacherUnfit'; origin: 'cached' | 'pretrained' | 'imported'; error: string }
  | { code: 'teacherCacheUnreadable'; error: string }
  | { code: 'pretrainedUnreadable'; error: string }
  | { code: 'teacherNotCached'; error: string }
  | { code: 'importedImagesUnreadable'; error: string }
  | { code: 'runAlreadyInProgress' }
  | { code: 'teacherImported'; phase: string; file: string };

/** A line for the run log; `warning` marks a fallback the user should notice (e.g. a teacher retrained). */
export interface LogEvent {
  type: 'log';
  message: string;
  warning?: boolean;
  detail?: LogDetail;
}

/** A run error as data, for the page's language; `message` is the English sentence. */
export type RunErrorDetail =
  | { code: 'diverged'; term: string; value: number; step: number }
  | { code: 'dataUnloadable'; error: string }
  | { code: 'importedTeacherMissing'; teacher: string; file: string };

export interface PhaseDone extends PhaseRef {
  type: 'phaseDone';
  label: string;
  /** Test accuracy of each model the phase trained (or restored). */
  models: { modelId: string; testAccuracy: number }[];
  fromCache: boolean;
}

export type TrainEvent =
  | BackendChosenEvent
  | LogEvent
  | { type: 'status'; state: 'running' | 'paused' | 'stopped' | 'finished' }
  | ProgressEvent
  | StepMetrics
  | EpochMetrics
  | ProbeSnapshot
  | PhaseDone
  | { type: 'result'; results: ExperimentResults }
  /** A trained model other than a teacher (student, assistant, peer, baseline), sent once its phase ends, for export. */
  | { type: 'weights'; model: TrainedModel }
  | {
      type: 'error';
      /** What happened and what to do, in words a user can act on. */
      message: string;
      kind: 'diverged' | 'invalid-plan' | 'data' | 'backend' | 'internal';
      /** For divergence: the loss term that became NaN or infinite. */
      lossTerm?: string;
      detail?: RunErrorDetail;
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
  | { type: 'export'; requestId: string; request: ExportJobRequest }
  /** Zips the generated PyTorch project (src/export/pytorch) off the page. */
  | { type: 'pytorchProject'; requestId: string; input: PyTorchProjectInput };

export type ExportWorkerMessage =
  | { type: 'verified'; requestId: string; report: VerificationReport }
  | { type: 'verifyFailed'; requestId: string; message: string }
  | { type: 'exported'; requestId: string; result: ExportJobResult }
  | { type: 'exportFailed'; requestId: string; message: string; layerId?: string }
  | { type: 'pytorchProjectReady'; requestId: string; zip: Uint8Array; fileName: string };

// ---------- guidance-path search worker ----------

/** Every message of one search carries its id, so the page ignores a stopped search's late ones. */
export type GuidanceCommand =
  | {
      type: 'search';
      searchId: string;
      experiment: ExperimentFile;
      /** The FitNet or attention-transfer block whose pairings are tried. */
      lossNodeId: string;
      options: GuidanceSearchOptions;
      backend: BackendPreference;
      knownProbes?: BackendProbeRecord[];
    }
  /** Ends the search after the current step; the pairings finished so far are ranked. */
  | { type: 'stop' };

export type GuidanceWorkerMessage =
  | (BackendChosenEvent & { searchId: string })
  /** A pairing's run starts, or a pairing is done (src/train/guidanceSearch.ts). */
  | { type: 'pairing'; searchId: string; progress: GuidanceProgress }
  /** Within the current run (teacher, then the distillation), a few times a second at most. */
  | { type: 'step'; searchId: string; phaseLabel: string; fractionDone: number }
  /** A fallback worth noticing (e.g. the teacher retrained). */
  | { type: 'log'; searchId: string; message: string }
  | { type: 'report'; searchId: string; report: GuidanceReport }
  | {
      type: 'failed';
      searchId: string;
      /** What happened and what to change. */
      message: string;
      /** 'request': the search cannot serve this graph or these settings (the message says what to change). */
      kind: 'request' | 'internal';
    };

// ---------- temperature explorer worker ----------

/** The explorer needs no training: one request for the shipped teacher's logits on a few test images. */
export type ExplorerCommand = { type: 'load' };

export type ExplorerWorkerMessage =
  | { type: 'logits'; result: ExplorerLogits }
  /** The teacher or the images could not be loaded; the message says which and what to do. */
  | { type: 'failed'; message: string };

// ---------- image import worker ----------

/** The user's own images to import (src/data/userImages/): a zip, or the files of a chosen folder. */
export type ImageImportCommand = {
  type: 'import';
  source: { kind: 'zip'; file: Blob } | { kind: 'folder'; files: { path: string; file: Blob }[] };
  options: ImportOptions;
};

export type ImageImportWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'imported'; dataset: ImportedDataset }
  /** The import as a whole cannot go on: a limit (`problem`, worded by the page) or an unreadable archive. */
  | { type: 'failed'; problem: ImportProblem | null; message: string };

// ---------- ONNX teacher import worker (workers/onnxImport.worker.ts) ----------

export interface OnnxImportCommand { type: 'importOnnx'; requestId: string; bytes: Uint8Array; fileName: string; datasetId: string }

export type OnnxImportWorkerMessage =
  | {
      type: 'onnxImported';
      requestId: string;
      architecture: ArchitectureSpec;
      summary: OnnxImportSummary;
      imported: ImportedTeacher;
      parity: VerificationReport;
    }
  | { type: 'onnxImportFailed'; requestId: string; code: OnnxImportCode | 'internal'; detail: Record<string, string | number>; message: string };

// ---------- wasm helper threads (workers/wasmHelper.worker.ts, started by the training or bench worker) ----------

/**
 * Sent once to a helper: the studio's wasm modules compiled for a shared memory (the fma GEMM's two
 * tile heights only where the engine validates relaxed SIMD), tfjs's shared memory, and the control words it shares
 * with its team (src/models/wasm-team.ts). After its reply the helper only spins, sleeps and computes.
 */
export interface WasmHelperCommand {
  type: 'wasmHelperStart';
  modules: { gemmFma?: WebAssembly.Module; gemmFma6?: WebAssembly.Module; gemmMuladd: WebAssembly.Module; adam: WebAssembly.Module };
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
}

export type WasmHelperMessage = { type: 'wasmHelperReady'; slot: number } | { type: 'wasmHelperFailed'; slot: number; message: string };

import { canonicalJson } from '../graph/contentHash';
import { modelFeeding, modelsWithRole, nodesOfKind } from '../graph/queries';
import type { ExperimentFile, ExportParams, NodeOf } from '../graph/schema';
import { baselineIdFor } from '../train/plan';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import type { TrainedModel, VerificationReport } from '../protocol';
import type { ExperimentResults } from '../results';
import type { AtlasBundleOptions } from './bundle';
import type { PrunedDownloads } from '../compress/prunedExport';
import { DEFAULT_SOC_VERSION } from './bundleFacts';
import { OnnxExportError } from './errors';

/**
 * What an export job is asked and answers (structured-clone friendly, sent to the export worker),
 * and how to read the exported model and the export settings from an experiment. Kept free of tfjs
 * so the page can import it without loading the training stack.
 */

export interface ExportJobRequest {
  /** The exported model's id in the plan and the results (a graph model node's id, or a baseline's). */
  modelId: string;
  spec: ArchitectureSpec;
  weights: LayerWeights[];
  datasetId: string;
  format: 'onnx' | 'atc';
  options: AtlasBundleOptions;
  /** Test images compared between tfjs and ONNX Runtime (rounded down to whole batches). */
  verifyImages: number;
  experimentName: string;
  results: ExperimentResults | null;
  /** Also zip the model in the tfjs layers format. */
  includeTfjs: boolean;
  /** A QAT-trained model's INT8 activation parameters: also export and verify the INT8 (QDQ) ONNX. */
  int8Activations?: Record<string, { scale: number; zeroPoint: number }>;
}

export interface ModelCard {
  modelId: string;
  name: string;
  params: number;
  flops: number;
  /** float32 parameter bytes. */
  parameterBytes: number;
  onnxBytes: number;
  bundleBytes: number | null;
  inputShape: number[];
  outputs: string[];
  ops: string[];
  opset: number;
  irVersion: number;
  socVersion: string | null;
  aipp: boolean;
  /** From the attached results: this model's, its direct teacher's and its baseline's (null without them). */
  testAccuracy: number | null;
  teacherAccuracy: number | null;
  baselineAccuracy: number | null;
  /** This model minus its baseline (null without a baseline): not positive means the teacher did not help. */
  distillationGain: number | null;
  /** The model's seed in the run it came from (null without that run's results). */
  seed: number | null;
}

export interface ExportJobResult {
  report: VerificationReport;
  card: ModelCard;
  onnx: Uint8Array;
  /** Null for 'onnx' format and whenever verification failed. */
  bundle: Uint8Array | null;
  bundleFolder: string | null;
  tfjsZip: Uint8Array | null;
  /** The INT8 (QDQ) ONNX and its check against the tfjs fake-quant model, when asked for. */
  int8?: { onnx: Uint8Array; report: VerificationReport } | null;
  /**
   * A pruned student's smaller ONNX files (slimmed: zeroed conv channels removed; sparse: zeros as
   * sparse initialisers), each verified like `onnx`; null when the weights have nothing to remove.
   */
  pruned?: PrunedDownloads | null;
}


/** Export settings from the experiment's Export node, or the ATC-safe defaults. */
export function exportSettingsOf(experiment: ExperimentFile): ExportParams {
  const node = nodesOfKind(experiment, 'export')[0];
  return node?.params ?? { format: 'atc', socVersion: DEFAULT_SOC_VERSION, aipp: false, batchSize: 1, softmaxOutput: false, opset: 11 };
}

/** The model the Export node takes, else the experiment's first student. */
function defaultExportedModel(experiment: ExperimentFile): NodeOf<'model'> | undefined {
  const exportNode = nodesOfKind(experiment, 'export')[0];
  return (exportNode && modelFeeding(experiment, exportNode.id, 'model')) ?? modelsWithRole(experiment, 'student')[0];
}

/**
 * The exported model's id, architecture and the dataset it was trained on: the model `modelId`
 * names (a baseline has the architecture of the model it is the twin of), or by default the one the
 * Export node takes.
 */
export function studentOf(experiment: ExperimentFile, modelId?: string): { modelId: string; spec: ArchitectureSpec; datasetId: string } {
  const models = nodesOfKind(experiment, 'model');
  const node = modelId === undefined
    ? defaultExportedModel(experiment)
    : models.find((model) => model.id === modelId || baselineIdFor(model.id) === modelId);
  const dataset = nodesOfKind(experiment, 'dataset')[0];
  if (!node || !dataset) {
    const which = modelId === undefined ? 'a student Model node' : `the model '${modelId}'`;
    throw new OnnxExportError(`The experiment needs ${which} and a Dataset node before it can be exported.`);
  }
  return { modelId: modelId ?? node.id, spec: node.params.architecture, datasetId: dataset.params.datasetId };
}

/**
 * Why the model about to be exported (always the one trained, with the architecture it was
 * trained as) is not the model of the same id in the open graph, or null when it is.
 */
export function trainedStudentMismatch(trained: TrainedModel, experiment: ExperimentFile): string | null {
  const retrain = 'press Run to train and export';
  const name = `"${trained.label}"`;
  if (trained.experimentName !== experiment.name) {
    return `This is ${name}, trained in "${trained.experimentName}", not in the experiment now open; ${retrain} this one's.`;
  }
  let graph: { spec: ArchitectureSpec; datasetId: string };
  try {
    graph = studentOf(experiment, trained.modelId);
  } catch {
    return `The graph has no model '${trained.modelId}' or no data set any more; this exports ${name} as it was trained.`;
  }
  if (graph.datasetId !== trained.datasetId) {
    return `${name} was trained on ${trained.datasetId}, the graph now uses ${graph.datasetId}; this exports it as trained (${retrain} on the new data).`;
  }
  if (canonicalJson(graph.spec) !== canonicalJson(trained.spec)) {
    return `${name} was edited in the graph after it was trained. This exports it as trained; ${retrain} the edited one.`;
  }
  return null;
}

import { canonicalJson } from '../graph/contentHash';
import { nodesOfKind, modelsWithRole } from '../graph/queries';
import type { ExperimentFile, ExportParams } from '../graph/schema';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import type { TrainedModel, VerificationReport } from '../protocol';
import type { ExperimentResults } from '../results';
import type { AtlasBundleOptions } from './bundle';
import { DEFAULT_SOC_VERSION } from './bundleFacts';
import { OnnxExportError } from './errors';

/**
 * What an export job is asked and answers (structured-clone friendly, sent to the export worker),
 * and how to read the student and the export settings from an experiment. Kept free of tfjs so
 * the page can import it without loading the training stack.
 */

export interface ExportJobRequest {
  spec: ArchitectureSpec;
  weights: LayerWeights[];
  datasetId: string;
  format: 'onnx' | 'atc';
  options: AtlasBundleOptions;
  /** Test images compared between tfjs and ONNX Runtime (rounded down to whole batches). */
  verifyImages: number;
  experimentName: string;
  results: ExperimentResults | null;
  /** Also zip the student in the tfjs layers format. */
  includeTfjs: boolean;
}

export interface ModelCard {
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
  testAccuracy: number | null;
  teacherAccuracy: number | null;
  /** The student's seed in the run it came from (null without that run's results). */
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
}


/** Export settings from the experiment's Export node, or the ATC-safe defaults. */
export function exportSettingsOf(experiment: ExperimentFile): ExportParams {
  const node = nodesOfKind(experiment, 'export')[0];
  return node?.params ?? { format: 'atc', socVersion: DEFAULT_SOC_VERSION, aipp: false, batchSize: 1, softmaxOutput: false, opset: 11 };
}

/** The student's architecture and the dataset it was trained on. */
export function studentOf(experiment: ExperimentFile): { spec: ArchitectureSpec; datasetId: string } {
  const student = modelsWithRole(experiment, 'student')[0];
  const dataset = nodesOfKind(experiment, 'dataset')[0];
  if (!student || !dataset) {
    throw new OnnxExportError('The experiment needs a student Model node and a Dataset node before its student can be exported.');
  }
  return { spec: student.params.architecture, datasetId: dataset.params.datasetId };
}

/**
 * Why the student about to be exported (always the one trained, with the architecture it was
 * trained as) is not the student the open graph describes, or null when it is.
 */
export function trainedStudentMismatch(trained: TrainedModel, experiment: ExperimentFile): string | null {
  const retrain = 'press Run to train and export';
  if (trained.experimentName !== experiment.name) {
    return `This is the student trained in "${trained.experimentName}", not in the experiment now open; ${retrain} this one's.`;
  }
  let graph: { spec: ArchitectureSpec; datasetId: string };
  try {
    graph = studentOf(experiment);
  } catch {
    return 'The graph has no student or data set any more; this exports the student as it was trained.';
  }
  if (graph.datasetId !== trained.datasetId) {
    return `The student was trained on ${trained.datasetId}, the graph now uses ${graph.datasetId}; this exports the student as trained (${retrain} on the new data).`;
  }
  if (canonicalJson(graph.spec) !== canonicalJson(trained.spec)) {
    return `The student in the graph was edited after it was trained. This exports the student as trained; ${retrain} the edited one.`;
  }
  return null;
}

import type { ArchitectureSummary } from '../models/spec';
import type { QuantizationMethod } from '../graph/schema';
import { RESULTS_VERSION, type DistillationReport, type EnsembleResult, type ExperimentResults, type ModelResult } from '../results';
import { baselineIdFor, type ModelPlan, type PhasePlan } from './plan';

/**
 * The results object's arithmetic (methods.md section 6), kept pure so it is tested on its own:
 * for each model that learned from another, compression = teacher params / student params (non-zero
 * params for a pruned network),
 * accuracy drop = teacher - student, distillation gain = student - its baseline.
 */

export interface ModelMeasurements {
  testAccuracy: number;
  validationAccuracy: number;
  trainAccuracy: number;
  epochs: number;
  trainingSeconds: number;
  inferenceMsPerSample: number;
  seed: number;
  fromCache?: boolean;
  pretrained?: boolean;
  int8Method?: QuantizationMethod;
  int8TestAccuracy?: number;
  int8Bytes?: number;
}

export type ModelIdentity = Pick<ModelPlan, 'id' | 'label' | 'role' | 'baselineOf'>;

export function modelResult(
  model: ModelIdentity, summary: Pick<ArchitectureSummary, 'params' | 'bytes' | 'flops'>, measured: ModelMeasurements,
): ModelResult {
  const result: ModelResult = {
    modelId: model.id,
    label: model.label,
    role: model.role,
    testAccuracy: measured.testAccuracy,
    validationAccuracy: measured.validationAccuracy,
    trainAccuracy: measured.trainAccuracy,
    params: summary.params,
    bytes: summary.bytes,
    flops: summary.flops,
    epochs: measured.epochs,
    trainingSeconds: measured.trainingSeconds,
    inferenceMsPerSample: measured.inferenceMsPerSample,
    seed: measured.seed,
  };
  if (model.baselineOf !== undefined) result.baselineOf = model.baselineOf;
  if (measured.fromCache !== undefined) result.fromCache = measured.fromCache;
  if (measured.pretrained) result.pretrained = true;
  if (measured.int8Method !== undefined) result.int8Method = measured.int8Method;
  if (measured.int8TestAccuracy !== undefined) result.int8TestAccuracy = measured.int8TestAccuracy;
  if (measured.int8Bytes !== undefined) result.int8Bytes = measured.int8Bytes;
  return result;
}

export function compressionRatio(teacherParams: number, studentParams: number): number | null {
  return teacherParams > 0 && studentParams > 0 ? teacherParams / studentParams : null;
}

const finite = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value);

/** Students first, then peers, then assistants: the first report is the experiment's headline. */
const headlineOrder: Record<string, number> = { student: 0, peer: 1, assistant: 2 };

export interface ResultsInput extends Pick<ExperimentResults, 'experimentName' | 'backend' | 'datasetId' | 'trainCount' | 'testCount'> {
  models: readonly ModelPlan[];
  phases: readonly PhasePlan[];
  /** Finished models by id. */
  results: ReadonlyMap<string, ModelResult>;
  /** Parameter counts from the plan's architectures (0 when invalid): compression is known before training. */
  paramsOf(modelId: string): number;
  /** Finished ensembles in plan order; absent when the plan has none (the results then carry no `ensembles`). */
  ensembles?: readonly EnsembleResult[];
  finishedAt: Date;
}

/** A pruned network counts its non-zero parameters (what pruning compresses); any other, its architecture's. */
function keptParams(input: ResultsInput, modelId: string): number {
  return input.results.get(modelId)?.nonzeroParams ?? input.paramsOf(modelId);
}

function distillationReports(input: ResultsInput): DistillationReport[] {
  const planned = new Set(input.models.map((model) => model.id));
  const role = (id: string): string => input.models.find((model) => model.id === id)?.role ?? '';
  // A network that learned from another, or one measured against its baseline (teacher-free KD has no teacher network).
  const learners = input.phases.filter((phase) => phase.kind === 'student')
    .flatMap((phase) => phase.trains.map((studentId) => ({ studentId, teachers: phase.teachers[studentId] ?? [] })))
    .filter(({ studentId, teachers }) => teachers.length > 0 || planned.has(baselineIdFor(studentId)));
  learners.sort((a, b) => (headlineOrder[role(a.studentId)] ?? 3) - (headlineOrder[role(b.studentId)] ?? 3));
  return learners.map(({ studentId, teachers }) => {
    // With several direct teachers, the largest is the one the field compares against.
    const teacherId = teachers.length === 0 ? null : teachers.reduce((best, id) => (input.paramsOf(id) > input.paramsOf(best) ? id : best), teachers[0]);
    const baselineId = planned.has(baselineIdFor(studentId)) ? baselineIdFor(studentId) : null;
    const student = input.results.get(studentId)?.testAccuracy;
    const teacher = teacherId === null ? undefined : input.results.get(teacherId)?.testAccuracy;
    const baseline = baselineId === null ? undefined : input.results.get(baselineId)?.testAccuracy;
    return {
      studentId,
      teacherId,
      baselineId,
      compressionRatio: teacherId === null ? null : compressionRatio(keptParams(input, teacherId), keptParams(input, studentId)),
      accuracyDrop: finite(teacher) && finite(student) ? teacher - student : null,
      distillationGain: finite(student) && finite(baseline) ? student - baseline : null,
    };
  });
}

export function assembleResults(input: ResultsInput): ExperimentResults {
  return {
    resultsVersion: RESULTS_VERSION,
    experimentName: input.experimentName,
    backend: input.backend,
    datasetId: input.datasetId,
    trainCount: input.trainCount,
    testCount: input.testCount,
    models: input.models.flatMap((model) => input.results.get(model.id) ?? []),
    distillations: distillationReports(input),
    ...(input.ensembles === undefined ? {} : { ensembles: [...input.ensembles] }),
    finishedAt: input.finishedAt.toISOString(),
  };
}

import type { ArchitectureSummary } from '../models/spec';
import type { ExperimentResults, ModelResult } from '../results';

/**
 * The results object's arithmetic (methods.md section 6), kept pure so it is tested on its own:
 * compression = teacher params / student params, accuracy drop = teacher - distilled,
 * distillation gain = distilled - baseline.
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
}

export function modelResult(summary: Pick<ArchitectureSummary, 'params' | 'bytes' | 'flops'>, measured: ModelMeasurements): ModelResult {
  const result: ModelResult = {
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
  if (measured.fromCache !== undefined) result.fromCache = measured.fromCache;
  if (measured.pretrained) result.pretrained = true;
  return result;
}

export interface ResultsInput extends Pick<ExperimentResults,
  'experimentName' | 'backend' | 'datasetId' | 'trainCount' | 'testCount' | 'teacher' | 'baseline' | 'student'> {
  /** Parameter counts from the plan's architectures: compression is known even before training. */
  teacherParams: number;
  studentParams: number;
  finishedAt: Date;
}

export function compressionRatio(teacherParams: number, studentParams: number): number | null {
  return teacherParams > 0 && studentParams > 0 ? teacherParams / studentParams : null;
}

const finite = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value);

export function assembleResults(input: ResultsInput): ExperimentResults {
  const teacherAccuracy = input.teacher?.testAccuracy;
  const studentAccuracy = input.student?.testAccuracy;
  const baselineAccuracy = input.baseline?.testAccuracy;
  return {
    experimentName: input.experimentName,
    backend: input.backend,
    datasetId: input.datasetId,
    trainCount: input.trainCount,
    testCount: input.testCount,
    teacher: input.teacher,
    baseline: input.baseline,
    student: input.student,
    compressionRatio: compressionRatio(input.teacherParams, input.studentParams),
    accuracyDrop: finite(teacherAccuracy) && finite(studentAccuracy) ? teacherAccuracy - studentAccuracy : null,
    distillationGain: finite(studentAccuracy) && finite(baselineAccuracy) ? studentAccuracy - baselineAccuracy : null,
    finishedAt: input.finishedAt.toISOString(),
  };
}

import { modelResultById } from '../results';
import { entropyBits, kdGradientScale, maxEntropyBits, softmaxWithTemperature } from '../classroom/softTargetMaths';
import type { Effect, MeasureValues } from './types';
import { lossParamOf, modelParamsOf, type LessonObservation } from './observation';

/** Mean entropy (bits) of softmax(z / T) over the given logit vectors. */
export function meanEntropyBits(logits: readonly (readonly number[])[], temperature: number): number {
  const total = logits.reduce((sum, z) => sum + entropyBits(softmaxWithTemperature(z, temperature)), 0);
  return total / logits.length;
}

const percent = (fraction: number): number => fraction * 100;

function teacherEntropy(observation: LessonObservation, lossNodeId: string): MeasureValues['teacherEntropy'] | null {
  const temperature = lossParamOf(observation.experiment, lossNodeId, 'T');
  const logits = observation.teacherLogits;
  if (temperature === null || logits === null || logits.length === 0) return null;
  return {
    images: logits.length,
    temperature,
    entropyAtOne: meanEntropyBits(logits, 1),
    entropyNow: meanEntropyBits(logits, temperature),
    maxEntropy: maxEntropyBits(logits[0].length),
  };
}

function distillation(observation: LessonObservation, studentId: string): MeasureValues['distillation'] | null {
  const { results } = observation;
  if (results === null || results.experimentName !== observation.experiment.name) return null;
  const report = results.distillations.find((candidate) => candidate.studentId === studentId);
  if (report === undefined) return null;
  const teacher = modelResultById(results, report.teacherId);
  const student = modelResultById(results, report.studentId);
  const baseline = modelResultById(results, report.baselineId);
  if (teacher === null || student === null || baseline === null || report.compressionRatio === null) return null;
  return {
    compression: report.compressionRatio,
    teacherAccuracy: percent(teacher.testAccuracy),
    studentAccuracy: percent(student.testAccuracy),
    baselineAccuracy: percent(baseline.testAccuracy),
    drop: percent(teacher.testAccuracy - student.testAccuracy),
    gain: percent(student.testAccuracy - baseline.testAccuracy),
  };
}

/** The effect in the given language, or null while its numbers are not there (no run yet, logits loading). */
export function describeEffect(effect: Effect, observation: LessonObservation, language: 'en' | 'zh'): string | null {
  switch (effect.measure) {
    case 'teacherEntropy': {
      const values = teacherEntropy(observation, effect.args.lossNodeId);
      return values === null ? null : effect.say[language](values);
    }
    case 'temperatureScale': {
      const temperature = lossParamOf(observation.experiment, effect.args.lossNodeId, 'T');
      return temperature === null ? null : effect.say[language]({ temperature, scale: kdGradientScale(temperature) });
    }
    case 'compression': {
      const teacherParams = modelParamsOf(observation.experiment, effect.args.teacherId);
      const studentParams = modelParamsOf(observation.experiment, effect.args.studentId);
      if (teacherParams === null || studentParams === null || studentParams === 0) return null;
      return effect.say[language]({ teacherParams, studentParams, ratio: teacherParams / studentParams });
    }
    case 'distillation': {
      const values = distillation(observation, effect.args.studentId);
      return values === null ? null : effect.say[language](values);
    }
  }
}

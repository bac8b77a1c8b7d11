import type { TrainingPlan } from '../../src/train/plan';

/** A teacher the plan trains on labels before it teaches, and the key its trained weights are cached and shipped under. */
export interface TeacherPhase {
  modelId: string;
  label: string;
  cacheKey: string;
}

/** The plan's cached teachers in plan order; `modelId` picks one (and throws, naming the teachers, when it is none of them). */
export function teacherPhases(plan: TrainingPlan, modelId?: string): TeacherPhase[] {
  const teachers = plan.phases
    .filter((phase) => phase.kind === 'teacher' && phase.cacheKey !== undefined)
    .flatMap((phase) => phase.trains.map((id) => ({ modelId: id, label: plan.models.find((model) => model.id === id)?.label ?? id, cacheKey: phase.cacheKey as string })));
  if (modelId === undefined) return teachers;
  const chosen = teachers.filter((teacher) => teacher.modelId === modelId);
  if (chosen.length === 0) {
    throw new Error(`'${modelId}' is not a teacher of '${plan.experimentName}' (teachers: ${teachers.map((t) => t.modelId).join(', ') || 'none'}).`);
  }
  return chosen;
}

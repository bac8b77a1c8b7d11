import type { ExperimentResults, ModelResult } from '../../src/results';
import { selectedPhases, type RunSelection, type TrainingPlan } from '../../src/train/plan';
import { knownModels, type DisplayRole } from './modelColors';

/** One row of the results table: a model of the plan or of the results, with its result once it has one. */
export interface ResultRow {
  modelId: string;
  label: string;
  role: DisplayRole;
  result: ModelResult | null;
  /** Whether the run's selected phases produce this model's result (so a missing one is pending, not "not run"). */
  selected: boolean;
  /** `teacher`, `baseline`, `student`, ...: the role, numbered from the second model of a role on (`peer-2`). */
  testId: string;
}

/** The models the selection's phases train, with the teachers they pull in. */
export function selectedModels(plan: TrainingPlan, selection: RunSelection | null): Set<string> {
  const phases = selection === null ? plan.phases : selectedPhases(plan, selection);
  return new Set(phases.flatMap((phase) => phase.trains));
}

/** Every model of the run's plan in plan order (results alone when there is no plan, as after a reload). */
export function resultRows(plan: TrainingPlan | null, selection: RunSelection | null, results: ExperimentResults | null): ResultRow[] {
  const selected = plan === null ? new Set<string>() : selectedModels(plan, selection);
  const counts = new Map<DisplayRole, number>();
  return knownModels(plan, results?.models ?? []).map((model) => {
    const index = (counts.get(model.role) ?? 0) + 1;
    counts.set(model.role, index);
    const result = results?.models.find((candidate) => candidate.modelId === model.modelId) ?? null;
    return {
      ...model,
      label: result?.label ?? model.label,
      result,
      selected: selected.has(model.modelId),
      testId: index === 1 ? model.role : `${model.role}-${index}`,
    };
  });
}

import type { ExperimentResults, ModelResult } from '../../src/results';
import { selectedPhases, type RunSelection, type TrainingPlan } from '../../src/train/plan';
import type { StoppedAt } from '../store/runSlice';
import { knownModels, type DisplayRole } from './modelColors';
import type { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

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
  /** Its phase was stopped here before the model had a result. */
  stoppedAt: StoppedAt | null;
}

/** The models the selection's phases train, with the teachers they pull in. */
export function selectedModels(plan: TrainingPlan, selection: RunSelection | null): Set<string> {
  const phases = selection === null ? plan.phases : selectedPhases(plan, selection);
  return new Set(phases.flatMap((phase) => phase.trains));
}

/** Every model of the run's plan in plan order (results alone when there is no plan, as after a reload). */
export function resultRows(
  plan: TrainingPlan | null, selection: RunSelection | null, results: ExperimentResults | null, stoppedAt: StoppedAt | null = null,
): ResultRow[] {
  const selected = plan === null ? new Set<string>() : selectedModels(plan, selection);
  const stoppedModels = new Set(plan?.phases.find((phase) => phase.id === stoppedAt?.phaseId)?.trains ?? []);
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
      stoppedAt: result === null && stoppedModels.has(model.modelId) ? stoppedAt : null,
    };
  });
}

/** What a row without a result says: where the stop caught it, pending while its phase may still run, else not run. */
export function missingResultText(
  row: ResultRow, active: boolean, tx: Pick<(typeof dashboardResultsTexts)['en'], 'stoppedAt' | 'pending' | 'notRun'>,
): string {
  if (row.stoppedAt !== null) {
    const { step, stepsTotal, epoch, epochs } = row.stoppedAt;
    return tx.stoppedAt(step, stepsTotal, epoch, epochs);
  }
  return active && row.selected ? tx.pending : tx.notRun;
}

import type { EnsembleResult, ExperimentResults } from '../../src/results';
import type { RunSelection, TrainingPlan } from '../../src/train/plan';
import { selectedModels } from './resultRows';

/** One row of the ensembles table: an Ensemble node of the plan (or of the results), with its result once it has one. */
export interface EnsembleRow {
  ensembleId: string;
  label: string;
  /** The members' labels, in the order they feed the node. */
  members: string[];
  result: EnsembleResult | null;
  /** The best member's test accuracy, once every member has a result: what the average is compared with. */
  bestMemberAccuracy: number | null;
  /** Whether the selected phases train every member (so a missing result is pending, not "not run"). */
  selected: boolean;
  /** `ensemble`, then `ensemble-2`, ... as the results table numbers roles. */
  testId: string;
}

/** Every ensemble of the run's plan in plan order (the results' alone when there is no plan, as after a reload). */
export function ensembleRows(plan: TrainingPlan | null, selection: RunSelection | null, results: ExperimentResults | null): EnsembleRow[] {
  const finished = results?.ensembles ?? [];
  const planned = plan?.ensembles ?? finished.map((result) => ({ id: result.ensembleId, label: result.label, members: result.members }));
  const selected = plan === null ? new Set<string>() : selectedModels(plan, selection);
  const labelOf = (id: string): string => results?.models.find((model) => model.modelId === id)?.label
    ?? plan?.models.find((model) => model.id === id)?.label ?? id;
  return planned.map((ensemble, index) => {
    const accuracies = ensemble.members
      .map((id) => results?.models.find((model) => model.modelId === id)?.testAccuracy)
      .filter((accuracy): accuracy is number => accuracy !== undefined && Number.isFinite(accuracy));
    const everyMember = accuracies.length > 0 && accuracies.length === ensemble.members.length;
    return {
      ensembleId: ensemble.id,
      label: ensemble.label,
      members: ensemble.members.map(labelOf),
      result: finished.find((result) => result.ensembleId === ensemble.id) ?? null,
      bestMemberAccuracy: everyMember ? Math.max(...accuracies) : null,
      selected: ensemble.members.every((id) => selected.has(id)),
      testId: index === 0 ? 'ensemble' : `ensemble-${index + 1}`,
    };
  });
}

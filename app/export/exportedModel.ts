import type { TrainedModel } from '../../src/protocol';
import { headlineDistillation, type ExperimentResults } from '../../src/results';

/**
 * The model to export: the one chosen if it is still trained, else the headline distillation's
 * student, else the first trained network that is not a baseline, else a baseline (teachers are
 * never among them).
 */
export function exportedModelId(
  models: Readonly<Record<string, TrainedModel>>,
  results: ExperimentResults | null,
  chosen: string | null,
): string | null {
  if (chosen !== null && models[chosen] !== undefined) return chosen;
  const headline = results === null ? undefined : headlineDistillation(results)?.studentId;
  if (headline !== undefined && models[headline] !== undefined) return headline;
  const ids = Object.keys(models);
  return ids.find((id) => models[id].role !== 'baseline') ?? ids[0] ?? null;
}

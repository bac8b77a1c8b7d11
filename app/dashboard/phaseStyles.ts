import type { PhaseKind, TrainingPlan } from '../../src/train/plan';
import { knownModels, modelColors, ROLE_COLORS } from './modelColors';

/** How a phase is named and drawn in charts keyed by phase: its label, and the colour of the first model it trains. */
export interface PhaseStyle {
  phaseId: string;
  kind: PhaseKind;
  label: string;
  color: string;
}

export function phaseStyles(plan: TrainingPlan | null, phaseIds: readonly string[]): Map<string, PhaseStyle> {
  const colors = modelColors(knownModels(plan));
  const styles = new Map<string, PhaseStyle>();
  for (const phaseId of phaseIds) {
    const planned = plan?.phases.find((phase) => phase.id === phaseId);
    const kind = planned?.kind ?? 'student';
    const trained = planned?.trains[0];
    styles.set(phaseId, {
      phaseId,
      kind,
      label: planned?.label ?? phaseId,
      color: (trained === undefined ? undefined : colors.get(trained)) ?? ROLE_COLORS[kind],
    });
  }
  return styles;
}

import type { ModelRole } from '../../src/graph/schema';
import type { TrainingPlan } from '../../src/train/plan';
import type { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

/**
 * How a model looks in every view: a colour by role (the teacher/student node tones), with
 * distinct shades when several models share a role, and the names of the roles.
 */

export type DisplayRole = ModelRole | 'baseline';

export interface ModelIdentity {
  modelId: string;
  label: string;
  role: DisplayRole;
}

export const ROLE_COLORS: Record<DisplayRole, string> = {
  teacher: '#1f6feb',
  assistant: '#8250df',
  student: '#1a7f37',
  peer: '#bf3989',
  baseline: '#9a6700',
};

/** The names of the roles, in the language of `tx`. */
export const roleNames = (tx: (typeof dashboardResultsTexts)['en']): Record<DisplayRole, string> => ({
  teacher: tx.roleTeacher,
  assistant: tx.roleAssistant,
  student: tx.roleStudent,
  peer: tx.rolePeer,
  baseline: tx.roleBaseline,
});

function mix(hex: string, toward: number, amount: number): string {
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16));
  return `#${channels.map((c) => Math.round(c + (toward - c) * amount).toString(16).padStart(2, '0')).join('')}`;
}

/** The n-th shade of a colour: the colour itself, then alternately darker and lighter, further each time. */
export function shadeOf(hex: string, index: number): string {
  if (index <= 0) return hex;
  const amount = Math.min(0.6, 0.3 * Math.ceil(index / 2));
  return index % 2 === 1 ? mix(hex, 0, amount) : mix(hex, 255, amount);
}

/** A colour per model id: its role's colour, shaded by its place among the models of that role. */
export function modelColors(models: readonly { modelId: string; role: DisplayRole }[]): Map<string, string> {
  const counts = new Map<DisplayRole, number>();
  const colors = new Map<string, string>();
  for (const { modelId, role } of models) {
    if (colors.has(modelId)) continue;
    const index = counts.get(role) ?? 0;
    counts.set(role, index + 1);
    colors.set(modelId, shadeOf(ROLE_COLORS[role], index));
  }
  return colors;
}

/** Every model known from the plan (in plan order), then those only the other lists name. */
export function knownModels(plan: TrainingPlan | null, ...others: readonly (readonly ModelIdentity[])[]): ModelIdentity[] {
  const models = new Map<string, ModelIdentity>();
  for (const model of plan?.models ?? []) models.set(model.id, { modelId: model.id, label: model.label, role: model.role });
  for (const list of others) for (const model of list) if (!models.has(model.modelId)) models.set(model.modelId, { modelId: model.modelId, label: model.label, role: model.role });
  return [...models.values()];
}

/** A model's label by id, falling back to the id. */
export function labelLookup(models: readonly ModelIdentity[]): (modelId: string) => string {
  const labels = new Map(models.map((model) => [model.modelId, model.label]));
  return (modelId) => labels.get(modelId) ?? modelId;
}

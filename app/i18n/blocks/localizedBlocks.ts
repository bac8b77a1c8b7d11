import type { Language } from '../language';
import type { GraphNode, ModelRole, NodeKind } from '../../../src/graph/schema';
import type { PaletteEntry } from '../../../src/graph/factory';
import type { LossDefinition, LossParamDef } from '../../../src/losses/types';
import {
  blockRegistry, modelRoleInfo, samplesPerClassField, teacherAugmentShiftField, trainerSettingFields, weightDecayField,
  type FieldDef, type PortDef,
} from '../../../src/graph/nodeKinds';
import type { FieldTextZh, LossTextZh, ParamTextZh } from './types';
import { logitLossTextsZh } from './lossTextsLogits';
import { featureLossTextsZh } from './lossTextsFeatures';
import { relationLossTextsZh } from './lossTextsRelations';
import { blockPortTextsZh, blockTextsZh, fieldTextsZh, roleTextsZh } from './nodeTextsZh';

/**
 * The registries' texts in the interface language: English straight from `src/`, Chinese from the
 * tables beside this file. A missing Chinese text falls back to English (the unit test makes sure
 * none is missing). Formulas and citations are shown as they are.
 */

export const lossTextsZh: Readonly<Record<string, LossTextZh>> = { ...logitLossTextsZh, ...featureLossTextsZh, ...relationLossTextsZh };

export function lossText(loss: LossDefinition, language: Language): { label: string; summary: string } {
  const zh = language === 'zh' ? lossTextsZh[loss.id] : undefined;
  return zh === undefined ? { label: loss.label, summary: loss.summary } : { label: zh.label, summary: zh.summary };
}

export function lossParamText(loss: LossDefinition, def: LossParamDef, language: Language): Required<Pick<ParamTextZh, 'label' | 'description'>> & { choices?: readonly string[] } {
  const zh = language === 'zh' ? lossTextsZh[loss.id]?.params[def.key] : undefined;
  if (zh === undefined) return { label: def.label, description: def.description, choices: def.choices };
  return { label: zh.label, description: zh.description, choices: zh.choices?.length === def.choices?.length ? zh.choices : def.choices };
}

export function lossPortLabel(loss: LossDefinition, port: { name: string; label: string }, language: Language): string {
  return (language === 'zh' ? lossTextsZh[loss.id]?.ports[port.name] : undefined) ?? port.label;
}

/** The label of a node's port: loss inputs from the loss's table, every other port by its block kind. */
export function portLabel(node: GraphNode, port: PortDef, language: Language): string {
  if (language !== 'zh') return port.label;
  const lossPort = node.kind === 'loss' && port.direction === 'input' ? lossTextsZh[node.params.lossId]?.ports[port.name] : undefined;
  return lossPort ?? blockPortTextsZh[node.kind][port.name] ?? port.label;
}

export function blockText(kind: Exclude<NodeKind, 'loss'>, language: Language): { label: string; description: string } {
  return language === 'zh' ? blockTextsZh[kind] : { label: blockRegistry[kind].label, description: blockRegistry[kind].description };
}

export function roleText(role: ModelRole, language: Language): { label: string; short: string; description: string } {
  return language === 'zh' ? roleTextsZh[role] : modelRoleInfo[role];
}

/** A role with what it does, for the role select: "Teacher (teaches, frozen)". */
export function roleChoiceLabel(role: ModelRole, language: Language): string {
  const { label, short } = roleText(role, language);
  return language === 'zh' ? `${label}（${short}）` : `${label} (${short})`;
}

/** Every registry field with its Chinese text, found by the field object itself (keys repeat across blocks). */
function fieldGroups(): [readonly FieldDef[], Readonly<Record<string, FieldTextZh>>][] {
  const trainerOwn = blockRegistry.trainer.fields.filter((def) => !trainerSettingFields.includes(def));
  return [
    [blockRegistry.dataset.fields, fieldTextsZh.dataset],
    [blockRegistry.model.fields, fieldTextsZh.model],
    [blockRegistry.guide.fields, fieldTextsZh.guide],
    [blockRegistry.guided.fields, fieldTextsZh.guided],
    [blockRegistry.head.fields, fieldTextsZh.head],
    [blockRegistry.ensemble.fields, fieldTextsZh.ensemble],
    [trainerOwn, fieldTextsZh.trainer],
    [trainerSettingFields, fieldTextsZh.trainerSettings],
    [blockRegistry.export.fields, fieldTextsZh.export],
    [[weightDecayField], fieldTextsZh.weightDecay],
    [[teacherAugmentShiftField], fieldTextsZh.teacherAugmentShift],
    [[samplesPerClassField], fieldTextsZh.samplesPerClass],
  ];
}

/** Each registry field and its Chinese text (undefined when the table lacks it: the unit test lists those). */
export function registryFieldsWithZh(): { def: FieldDef; zh: FieldTextZh | undefined }[] {
  return fieldGroups().flatMap(([defs, texts]) => defs.map((def) => ({ def, zh: texts[def.key] })));
}

let zhByField: Map<FieldDef, FieldTextZh> | null = null;

export function fieldText(def: FieldDef, language: Language): FieldTextZh {
  if (language !== 'zh') return { label: def.label, description: def.description };
  zhByField ??= new Map(registryFieldsWithZh().flatMap(({ def: field, zh }) => (zh === undefined ? [] : [[field, zh] as const])));
  return zhByField.get(def) ?? { label: def.label, description: def.description };
}

export function paletteEntryText(entry: PaletteEntry, language: Language): { label: string; description: string } {
  if (language !== 'zh') return { label: entry.label, description: entry.description };
  if (entry.kind === 'loss') {
    const zh = entry.options.lossId === undefined ? undefined : lossTextsZh[entry.options.lossId];
    return zh === undefined ? entry : { label: zh.label, description: zh.summary };
  }
  if (entry.kind === 'model') return roleTextsZh[entry.options.role ?? 'teacher'];
  return blockTextsZh[entry.kind];
}

import { getArchitecturePreset } from '../models/presets';
import { getLoss, lossRegistry } from '../losses/registry';
import type { GraphEdge, GraphNode, ModelRole, NodeKind, NodeOf, NodeParamsByKind, TrainerSettings } from './schema';
import { blockRegistry, modelRoleInfo } from './nodeKinds';
import { MODEL_ROLES } from './schema';

/** New nodes and edges with registry defaults and ids that do not collide with existing ones. */

/** Quick-demo defaults: Adam trains the MLP and CNN presets well without tuning. */
export const defaultTrainerSettings: Readonly<TrainerSettings> = Object.freeze({
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  lrSchedule: Object.freeze({ kind: 'constant' }),
  epochs: 3,
  batchSize: 64,
  seed: 1,
});

/** A fresh, mutable copy of the default trainer settings. */
export function trainerSettings(overrides: Partial<TrainerSettings> = {}): TrainerSettings {
  return { ...structuredClone(defaultTrainerSettings) as TrainerSettings, ...overrides };
}

/**
 * Architecture presets a new model node starts from, by role. There is no mid-sized preset, so an
 * assistant starts as the student's size (resize it in the inspector); peers are alike by design.
 */
export const defaultArchitectureByRole: Record<ModelRole, string> = {
  teacher: 'hinton-teacher',
  assistant: 'hinton-student',
  student: 'hinton-student',
  peer: 'hinton-student',
};

/** `${prefix}-${n}` with the smallest n >= 1 not already taken. */
export function freshId(prefix: string, existingIds: Iterable<string> = []): string {
  const taken = new Set(existingIds);
  let n = 1;
  while (taken.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

export interface CreateNodeOptions {
  /** Use this id instead of a fresh one. */
  id?: string;
  /** Ids already in the graph, so the fresh id is unique. */
  existingIds?: Iterable<string>;
  position?: { x: number; y: number };
  label?: string;
  /** Model nodes: the role (teacher by default). */
  role?: ModelRole;
  /** Model nodes: the architecture preset id (defaults by role). */
  architecturePreset?: string;
  /** Loss nodes: the loss registry id (required). */
  lossId?: string;
}

function defaultParams<K extends NodeKind>(kind: K, options: CreateNodeOptions): NodeParamsByKind[K] {
  const byKind: { [P in NodeKind]: () => NodeParamsByKind[P] } = {
    dataset: () => ({ datasetId: 'mnist', trainSubset: 10_000, validationSize: 5_000, testSubset: null, augmentShift: 0, probeCount: 8 }),
    model: () => {
      const role = options.role ?? 'teacher';
      const architecture = getArchitecturePreset(options.architecturePreset ?? defaultArchitectureByRole[role]);
      return role === 'teacher' ? { role, architecture, teacherTraining: trainerSettings() } : { role, architecture };
    },
    guide: () => ({ layerId: '' }),
    guided: () => ({ layerId: '', adapter: 'auto' }),
    head: () => ({}),
    ensemble: () => ({}),
    loss: () => {
      if (options.lossId === undefined) throw new Error('createNode("loss") needs options.lossId, e.g. "kd".');
      const loss = getLoss(options.lossId);
      return {
        lossId: loss.id,
        weight: loss.defaultWeight,
        params: Object.fromEntries(loss.params.map((param) => [param.key, param.default])),
      };
    },
    trainer: () => ({ stageName: 'Stage', ...trainerSettings(), weightSchedules: {}, trainUpTo: null }),
    export: () => ({ format: 'onnx', socVersion: 'Ascend310', aipp: false, batchSize: 1, softmaxOutput: false, opset: 11 }),
  };
  return byKind[kind]();
}

function defaultLabel(kind: NodeKind, options: CreateNodeOptions): string {
  if (kind === 'loss' && options.lossId !== undefined) return getLoss(options.lossId).label;
  if (kind === 'model') return modelRoleInfo[options.role ?? 'teacher'].label;
  return blockRegistry[kind as Exclude<NodeKind, 'loss'>].label;
}

/** A node of `kind` with the registry's default parameters (loss nodes: the loss's default weight and params). */
export function createNode<K extends NodeKind>(kind: K, options: CreateNodeOptions = {}): NodeOf<K> {
  const idPrefix = kind === 'loss' ? (options.lossId ?? 'loss') : kind === 'model' ? (options.role ?? 'teacher') : kind;
  const params = defaultParams(kind, options);
  const node = {
    id: options.id ?? freshId(idPrefix, options.existingIds),
    kind,
    label: options.label ?? defaultLabel(kind, options),
    position: options.position ?? { x: 0, y: 0 },
    params,
  };
  return node as GraphNode as NodeOf<K>;
}

export function createEdge(
  source: string, sourcePort: string, target: string, targetPort: string, existingIds: Iterable<string> = [],
): GraphEdge {
  const natural = `${source}:${sourcePort}->${target}:${targetPort}`;
  const taken = new Set(existingIds);
  return { id: taken.has(natural) ? freshId(natural, taken) : natural, source, sourcePort, target, targetPort };
}

export interface PaletteEntry {
  key: string;
  kind: NodeKind;
  label: string;
  description: string;
  options: CreateNodeOptions;
}

/** What the palette offers, in order: data, models, ensemble, taps, auxiliary classifier, one entry per registered loss, trainer, export. */
export function paletteEntries(): PaletteEntry[] {
  const block = (kind: Exclude<NodeKind, 'loss' | 'model'>): PaletteEntry => ({
    key: kind, kind, label: blockRegistry[kind].label, description: blockRegistry[kind].description, options: {},
  });
  return [
    block('dataset'),
    ...MODEL_ROLES.map((role): PaletteEntry => ({
      key: role, kind: 'model', label: modelRoleInfo[role].label, description: modelRoleInfo[role].description, options: { role },
    })),
    block('ensemble'),
    block('guide'),
    block('guided'),
    block('head'),
    ...lossRegistry.map((loss): PaletteEntry => ({
      key: `loss:${loss.id}`, kind: 'loss', label: loss.label, description: loss.summary, options: { lossId: loss.id },
    })),
    block('trainer'),
    block('export'),
  ];
}

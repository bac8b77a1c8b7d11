import { lossRegistry } from '../losses/registry';
import type { ArchitectureSpec, LayerInfo, LayerKind, Shape } from '../models/spec';
import { layerConsumers } from '../models/wiring';
import type { ExperimentFile, GraphNode, NodeOf } from './schema';
import { createEdge, freshId } from './factory';
import { describeNode } from './nodeKinds';
import { chainOfTrainer, edgesInto, edgesOutOf, modelFeeding, nodeById, nodesOfKind } from './queries';
import { resolveAdapter, summarizeModel, type ConcreteAdapterKind } from './shapes';
import { validateGraph } from './validate';

/**
 * "Best guidance path" (methods.md, seed survey): the (teacher layer, student layer) pairings a
 * FitNet or attention-transfer block could use instead of the one drawn, each as a ready-to-run
 * copy of the experiment. src/train/guidanceSearch.ts trains them; this module only lists them.
 *
 * Order (the cap keeps the first ones): the pairing drawn in the experiment, then the others by
 * teacher layer depth (deepest first), then by student layer depth (deepest first).
 */

export const GUIDANCE_LOSS_IDS = ['fitnet', 'at'] as const;
export type GuidanceLossId = (typeof GUIDANCE_LOSS_IDS)[number];

export const DEFAULT_MAX_CANDIDATES = 12;

/**
 * 'all': every layer that computes a feature. 'blockOutputs': only the last layer of each
 * conv/dense -> batch norm -> activation run (its conv and batch-norm outputs are left out; in a
 * residual block the run goes on through the add), so the cap spreads over more depths.
 */
export type GuidanceLayers = 'all' | 'blockOutputs';

export interface GuidancePathOptions {
  /** At most this many candidates (default 12), the drawn pairing included. */
  maxCandidates?: number;
  layers?: GuidanceLayers;
}

export interface GuidanceCandidate {
  teacherLayerId: string;
  studentLayerId: string;
  teacherShape: Shape;
  studentShape: Shape;
  /** The adapter compile will put on the guided layer (FitNet); null when none (AT never has one). */
  adapter: ConcreteAdapterKind | null;
  /** True for the pairing drawn in the experiment. */
  current: boolean;
  /** The experiment with the loss's guide and guided layers (and a matching 'train up to') retargeted. */
  experiment: ExperimentFile;
}

export interface RejectedPairing {
  teacherLayerId: string;
  studentLayerId: string;
  reason: string;
}

export interface GuidancePaths {
  lossNodeId: string;
  lossId: GuidanceLossId;
  /** The model the guide reads (the teacher side) and the one the guided node reads (the network that learns). */
  teacherModelId: string;
  studentModelId: string;
  /** Pairings the loss accepts, before the cap. */
  total: number;
  candidates: GuidanceCandidate[];
  /** Pairings whose retargeted graph did not validate (expected empty; listed rather than hidden). */
  rejected: RejectedPairing[];
}

/** A request the search cannot serve; the message says what to change. */
export class GuidancePathError extends Error {
  override readonly name = 'GuidancePathError';
}

const isGuidanceLoss = (lossId: string): lossId is GuidanceLossId => (GUIDANCE_LOSS_IDS as readonly string[]).includes(lossId);

/**
 * Layers whose output is a feature of the network: from its first layer with weights (earlier ones
 * are the input image, and a guided layer there would train only its adapter) to the one before the
 * logits. Dropout is skipped: it repeats the layer before it, with noise. 'blockOutputs' reads the
 * wiring, not the list order: a layer ends its run unless a layer that reads it (through dropout) is
 * a batch norm or an activation, or its only reader is a residual add, so a shortcut listed between a
 * conv and its batch norm changes nothing and a residual block offers its sum's activation, not its branches.
 */
/** Readers that carry a run on: its batch norm or its activation (and an add, when it is the only reader). */
const RUN_CONTINUES: ReadonlySet<LayerKind> = new Set(['batchNorm', 'relu', 'activation']);

export function featureLayers(spec: ArchitectureSpec, layers: readonly LayerInfo[], which: GuidanceLayers = 'all'): LayerInfo[] {
  const first = layers.findIndex((layer) => layer.params > 0);
  if (first < 0) return [];
  const features = layers.slice(first, -1).filter((layer) => layer.kind !== 'dropout' && layer.kind !== 'pad');
  if (which === 'all') return features;
  const consumers = layerConsumers(spec);
  const index = new Map(spec.layers.map((layer, i) => [layer.id, i]));
  const readers = (at: number): number[] => consumers[at].flatMap((reader) => (['dropout', 'pad'].includes(spec.layers[reader].kind) ? readers(reader) : [reader]));
  return features.filter((layer) => {
    const kinds = readers(index.get(layer.id)!).map((reader) => spec.layers[reader].kind);
    // A layer read by an add and by more (the next block's conv) is the add's shortcut, a block output.
    const branchEnd = kinds.length === 1 && (kinds[0] === 'add' || kinds[0] === 'concat');
    return !branchEnd && !kinds.some((kind) => RUN_CONTINUES.has(kind));
  });
}

/** The adapter a pairing needs, or undefined when the loss cannot compare the two layers. */
function pairAdapter(lossNode: NodeOf<'loss'>, lossId: GuidanceLossId, guided: NodeOf<'guided'>, teacher: Shape, student: Shape): ConcreteAdapterKind | null | undefined {
  if (lossId === 'fitnet') {
    const resolution = resolveAdapter(guided.params.adapter, student, teacher);
    return resolution.ok ? resolution.kind : undefined;
  }
  if (teacher.length !== 3 || student.length !== 3) return undefined;
  const sameSize = teacher[0] === student[0] && teacher[1] === student[1];
  return sameSize || lossNode.params.params.resize === 1 ? null : undefined;
}

interface Taps {
  lossNode: NodeOf<'loss'>;
  lossId: GuidanceLossId;
  guide: NodeOf<'guide'>;
  guided: NodeOf<'guided'>;
  teacher: NodeOf<'model'>;
  student: NodeOf<'model'>;
}

/** The loss block and what feeds it, or a GuidancePathError saying what to pick instead. */
function readTaps(experiment: ExperimentFile, lossNodeId: string): Taps {
  const blocks = nodesOfKind(experiment, 'loss').filter((node) => isGuidanceLoss(node.params.lossId)).map((node) => `'${node.id}'`);
  const pick = `give the id of a FitNet or attention transfer block (${blocks.length > 0 ? `here: ${blocks.join(', ')}` : 'this experiment has none: add one'})`;
  const node = nodeById(experiment, lossNodeId);
  if (node === undefined) throw new GuidancePathError(`The experiment has no node '${lossNodeId}': ${pick}.`);
  if (node.kind !== 'loss') throw new GuidancePathError(`${describeNode(node)} ('${node.id}') is a ${node.kind} node, not a loss: ${pick}.`);
  const lossId = node.params.lossId;
  if (!isGuidanceLoss(lossId)) {
    const label = lossRegistry.find((entry) => entry.id === lossId)?.label ?? lossId;
    throw new GuidancePathError(`${describeNode(node)} is a '${label}' block; the guidance path search pairs one teacher layer ` +
      `with one student layer, as FitNet hints and attention transfer do: ${pick}.`);
  }
  const source = (port: string): GraphNode | undefined => nodeById(experiment, edgesInto(experiment, node.id, port)[0]?.source ?? '');
  const guide = source('guide');
  const guided = source('guided');
  if (guide?.kind !== 'guide' || guided?.kind !== 'guided') {
    throw new GuidancePathError(`${describeNode(node)} must take its Guide from a Guide node and its Guided from a Guided node: connect both, then search again.`);
  }
  const teacher = modelFeeding(experiment, guide.id);
  const student = modelFeeding(experiment, guided.id);
  if (teacher === undefined || student === undefined) {
    throw new GuidancePathError(`Connect a network's Layers to ${describeNode(teacher === undefined ? guide : guided)}, then search again.`);
  }
  if (!edgesOutOf(experiment, node.id, 'loss').some((edge) => nodeById(experiment, edge.target)?.kind === 'trainer')) {
    throw new GuidancePathError(`${describeNode(node)} is in no trainer, so its pairing changes nothing: connect its Loss to a Trainer.`);
  }
  return { lossNode: node, lossId, guide, guided, teacher, student };
}

const renamed = (label: string, kind: 'guide' | 'guided', from: string, to: string): string => {
  const prefix = kind === 'guide' ? 'Guide' : 'Guided';
  return label === `${prefix} ${from}` ? `${prefix} ${to}` : label;
};

/** Points the loss's `port` at `layerId`; a tap other losses also read is copied, so they keep their layer. */
function retargetTap(file: ExperimentFile, lossNodeId: string, port: 'guide' | 'guided', layerId: string): void {
  const edge = edgesInto(file, lossNodeId, port)[0];
  const tap = nodeById(file, edge.source) as NodeOf<'guide'> | NodeOf<'guided'>;
  const from = tap.params.layerId;
  if (from === layerId) return;
  if (edgesOutOf(file, tap.id, 'feature').length === 1) {
    tap.params.layerId = layerId;
    tap.label = renamed(tap.label, tap.kind, from, layerId);
    return;
  }
  const model = modelFeeding(file, tap.id) as NodeOf<'model'>;
  const copy = structuredClone(tap);
  copy.id = freshId(`${tap.id}-${layerId}`, file.nodes.map((node) => node.id));
  copy.label = renamed(tap.label, tap.kind, from, layerId);
  copy.params.layerId = layerId;
  copy.position = { x: tap.position.x, y: tap.position.y + 80 };
  file.nodes.push(copy);
  file.edges = file.edges.filter((other) => other !== edge);
  const ids = (): string[] => file.edges.map((other) => other.id);
  file.edges.push(createEdge(model.id, 'layers', copy.id, 'layers', ids()));
  file.edges.push(createEdge(copy.id, 'feature', lossNodeId, port, ids()));
}

/** The experiment with the pairing applied: FitNet's 'train up to' the guided layer follows it. */
function retargeted(experiment: ExperimentFile, taps: Taps, teacherLayerId: string, studentLayerId: string): ExperimentFile {
  const file = structuredClone(experiment);
  const oldGuided = taps.guided.params.layerId;
  retargetTap(file, taps.lossNode.id, 'guide', teacherLayerId);
  retargetTap(file, taps.lossNode.id, 'guided', studentLayerId);
  const stages = new Set(edgesOutOf(file, taps.lossNode.id, 'loss')
    .flatMap((edge) => chainOfTrainer(file, edge.target) ?? []).map((trainer) => trainer.id));
  for (const trainer of nodesOfKind(file, 'trainer')) {
    if (stages.has(trainer.id) && trainer.params.trainUpTo === oldGuided) trainer.params.trainUpTo = studentLayerId;
  }
  file.name = `${experiment.name} [${teacherLayerId} -> ${studentLayerId}]`;
  return file;
}

function layersOf(model: NodeOf<'model'>): LayerInfo[] {
  const summary = summarizeModel(model.params.architecture);
  if (!summary.ok) throw new GuidancePathError(`${describeNode(model)}: ${summary.error.message}`);
  return summary.summary.layers;
}

/**
 * Every (teacher layer, student layer) pairing the loss block `lossNodeId` accepts, capped, each as
 * a copy of the experiment that validates without errors. Throws GuidancePathError for a request
 * it cannot serve (not a FitNet/AT block, unconnected taps, an experiment with errors).
 */
export function guidancePaths(experiment: ExperimentFile, lossNodeId: string, options: GuidancePathOptions = {}): GuidancePaths {
  const max = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  if (!Number.isInteger(max) || max < 1) throw new GuidancePathError(`The number of candidates must be a whole number ≥ 1, not ${max}.`);
  const taps = readTaps(experiment, lossNodeId);
  const errors = validateGraph(experiment).filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new GuidancePathError(`Fix the experiment before searching its guidance paths:\n${errors.map((problem) => `- ${problem.message}`).join('\n')}`);
  }
  const teacherLayers = layersOf(taps.teacher);
  const studentLayers = layersOf(taps.student);
  const depth = (layers: LayerInfo[], id: string): number => layers.findIndex((layer) => layer.id === id);
  const current = (t: string, s: string): boolean => t === taps.guide.params.layerId && s === taps.guided.params.layerId;

  const pairs = featureLayers(taps.teacher.params.architecture, teacherLayers, options.layers).flatMap((teacher) => featureLayers(taps.student.params.architecture, studentLayers, options.layers).flatMap((student) => {
    const adapter = pairAdapter(taps.lossNode, taps.lossId, taps.guided, teacher.outputShape, student.outputShape);
    return adapter === undefined ? [] : [{ teacher, student, adapter }];
  }));
  // The drawn pairing may use a layer the 'blockOutputs' filter leaves out: it is always tried.
  const drawn = { teacher: teacherLayers[depth(teacherLayers, taps.guide.params.layerId)], student: studentLayers[depth(studentLayers, taps.guided.params.layerId)] };
  if (!pairs.some((pair) => current(pair.teacher.id, pair.student.id))) {
    pairs.push({ ...drawn, adapter: pairAdapter(taps.lossNode, taps.lossId, taps.guided, drawn.teacher.outputShape, drawn.student.outputShape) ?? null });
  }
  pairs.sort((a, b) => Number(current(b.teacher.id, b.student.id)) - Number(current(a.teacher.id, a.student.id))
    || depth(teacherLayers, b.teacher.id) - depth(teacherLayers, a.teacher.id)
    || depth(studentLayers, b.student.id) - depth(studentLayers, a.student.id));

  const candidates: GuidanceCandidate[] = [];
  const rejected: RejectedPairing[] = [];
  for (const { teacher, student, adapter } of pairs) {
    if (candidates.length >= max) break;
    const variant = retargeted(experiment, taps, teacher.id, student.id);
    const problem = validateGraph(variant).find((candidate) => candidate.severity === 'error');
    if (problem !== undefined) {
      rejected.push({ teacherLayerId: teacher.id, studentLayerId: student.id, reason: problem.message });
      continue;
    }
    candidates.push({
      teacherLayerId: teacher.id, studentLayerId: student.id, teacherShape: [...teacher.outputShape], studentShape: [...student.outputShape],
      adapter, current: current(teacher.id, student.id), experiment: variant,
    });
  }
  return {
    lossNodeId, lossId: taps.lossId, teacherModelId: taps.teacher.id, studentModelId: taps.student.id,
    total: pairs.length, candidates, rejected,
  };
}

/** The experiment with the block's pairing set to these layers, name kept (to apply a search's pick to the drawn graph). */
export function withGuidancePairing(experiment: ExperimentFile, lossNodeId: string, teacherLayerId: string, studentLayerId: string): ExperimentFile {
  const file = retargeted(experiment, readTaps(experiment, lossNodeId), teacherLayerId, studentLayerId);
  file.name = experiment.name;
  return file;
}

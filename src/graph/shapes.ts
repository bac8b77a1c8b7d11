import type { ArchitectureSpec, ArchitectureSummary, Shape } from '../models/spec';
import { ArchitectureError } from '../models/spec';
import { summarizeArchitecture } from '../models/shapes';
import { getLoss } from '../losses/registry';
import { findDatasetInfo } from '../data/registry';
import type { LossDefinition } from '../losses/types';
import type { AdapterKind, ExperimentFile, GraphEdge, NodeOf } from './schema';
import { edgesInto, edgesOutOf, formatShape, modelFeeding, nodeById } from './queries';
import { headLogitsShape } from './heads';
import { ensembleLogitsShape } from './ensembles';
import type { AdapterProblem } from './problemDetail';

/**
 * Shapes flowing along the graph (batch axis excluded), computed from the architectures without
 * building models. Unknown shapes (nothing connected yet, invalid model) are null, never guessed.
 */

export type SummaryResult = { ok: true; summary: ArchitectureSummary } | { ok: false; error: ArchitectureError };

const summaryCache = new Map<string, SummaryResult>();
const SUMMARY_CACHE_SIZE = 64;

/** The architecture's summary or its ArchitectureError, cached by content (safe under in-place edits). */
export function summarizeModel(architecture: ArchitectureSpec): SummaryResult {
  const key = JSON.stringify(architecture);
  const cached = summaryCache.get(key);
  if (cached !== undefined) return cached;
  let result: SummaryResult;
  try {
    result = { ok: true, summary: summarizeArchitecture(architecture) };
  } catch (error) {
    if (!(error instanceof ArchitectureError)) throw error;
    result = { ok: false, error };
  }
  if (summaryCache.size >= SUMMARY_CACHE_SIZE) summaryCache.delete(summaryCache.keys().next().value as string);
  summaryCache.set(key, result);
  return result;
}

export function layerShape(architecture: ArchitectureSpec, layerId: string): Shape | null {
  const result = summarizeModel(architecture);
  if (!result.ok) return null;
  const shape = result.summary.layers.find((layer) => layer.id === layerId)?.outputShape;
  return shape === undefined ? null : [...shape];
}

export interface TappedFeature {
  side: 'teacher' | 'student';
  modelNodeId: string;
  layerId: string;
  shape: Shape;
}

/** The layer a guide or guided node taps, with its shape; null while unconnected or unresolvable. */
export function tappedFeature(experiment: ExperimentFile, node: NodeOf<'guide'> | NodeOf<'guided'>): TappedFeature | null {
  const model = modelFeeding(experiment, node.id);
  if (model === undefined) return null;
  const shape = layerShape(model.params.architecture, node.params.layerId);
  if (shape === null) return null;
  // The side comes from the tap, not the role: an assistant's or peer's layer teaches through a guide and learns through a guided node.
  return { side: node.kind === 'guide' ? 'teacher' : 'student', modelNodeId: model.id, layerId: node.params.layerId, shape };
}

export type ConcreteAdapterKind = 'conv1x1' | 'conv3x3' | 'dense';

export type AdapterResolution =
  | { ok: true; kind: ConcreteAdapterKind | null; outputShape: Shape }
  | { ok: false; reason: string; detail: AdapterProblem };

const isMap = (shape: Shape): boolean => shape.length === 3;
const isVector = (shape: Shape): boolean => shape.length === 1;
const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const sameSpatial = (a: Shape, b: Shape): boolean => isMap(a) && isMap(b) && a[0] === b[0] && a[1] === b[1];

/**
 * Chooses the adapter mapping a student feature onto a teacher feature's shape.
 * 'auto': nothing when shapes match, a 1x1 convolution for maps of equal H, W, dense for vectors.
 */
export function resolveAdapter(choice: AdapterKind, student: Shape, teacher: Shape): AdapterResolution {
  const shapes = `student ${formatShape(student)}, teacher ${formatShape(teacher)}`;
  const both = { student: formatShape(student), teacher: formatShape(teacher) };
  if (choice === 'none' || choice === 'auto') {
    if (sameShape(student, teacher)) return { ok: true, kind: null, outputShape: [...teacher] };
    if (choice === 'none') {
      return {
        ok: false, detail: { code: 'adapterNoneButShapesDiffer', ...both },
        reason: `Shapes differ (${shapes}) and the adapter is 'none': set the guided node's adapter to 'auto'.`,
      };
    }
    if (sameSpatial(student, teacher)) return { ok: true, kind: 'conv1x1', outputShape: [...teacher] };
    if (isVector(student) && isVector(teacher)) return { ok: true, kind: 'dense', outputShape: [...teacher] };
    return {
      ok: false, detail: { code: 'adapterImpossible', ...both },
      reason: `No adapter can map ${shapes}: convolutions keep H x W and dense maps vectors. ` +
        'Pick guide and guided layers with the same spatial size (or both after flatten).',
    };
  }
  if (choice === 'dense') {
    if (isVector(student) && isVector(teacher)) return { ok: true, kind: 'dense', outputShape: [...teacher] };
    return {
      ok: false, detail: { code: 'adapterDenseNeedsVectors', ...both },
      reason: `A dense adapter maps vectors, but ${shapes}: use a conv1x1 adapter for maps or layers after flatten.`,
    };
  }
  if (sameSpatial(student, teacher)) return { ok: true, kind: choice, outputShape: [...teacher] };
  return {
    ok: false, detail: { code: 'adapterConvNeedsMaps', kind: choice, ...both },
    reason: `A ${choice} adapter keeps H x W, so both features must be maps of the same spatial size (${shapes}). ` +
      'Pick layers with matching H x W, or a dense adapter for vectors.',
  };
}

/** Feature ports of a loss on one side, in registry order (pairs are matched by position). */
export function featurePorts(loss: LossDefinition, side: 'teacher' | 'student'): string[] {
  return loss.ports.filter((port) => port.type === 'feature' && port.side === side).map((port) => port.name);
}

/** The teacher feature port a student feature port is compared with in an adapter-needing loss. */
export function counterpartPort(loss: LossDefinition, studentPort: string): string | undefined {
  const index = featurePorts(loss, 'student').indexOf(studentPort);
  return index < 0 ? undefined : featurePorts(loss, 'teacher')[index];
}

function guideShapeAt(experiment: ExperimentFile, lossNodeId: string, port: string): Shape | null {
  const edge = edgesInto(experiment, lossNodeId, port)[0];
  const source = edge === undefined ? undefined : nodeById(experiment, edge.source);
  if (source?.kind !== 'guide') return null;
  return tappedFeature(experiment, source)?.shape ?? null;
}

export interface AdapterTarget {
  lossNodeId: string;
  teacherShape: Shape;
}

/** The teacher shapes a guided node must be adapted to: one per edge into an adapter-needing loss. */
export function adapterTargets(experiment: ExperimentFile, guided: NodeOf<'guided'>): AdapterTarget[] {
  const targets: AdapterTarget[] = [];
  for (const edge of edgesOutOf(experiment, guided.id, 'feature')) {
    const lossNode = nodeById(experiment, edge.target);
    if (lossNode?.kind !== 'loss') continue;
    const loss = tryGetLoss(lossNode.params.lossId);
    if (loss === undefined || !loss.needsAdapter) continue;
    const teacherPort = counterpartPort(loss, edge.targetPort);
    const teacherShape = teacherPort === undefined ? null : guideShapeAt(experiment, lossNode.id, teacherPort);
    if (teacherShape !== null) targets.push({ lossNodeId: lossNode.id, teacherShape });
  }
  return targets;
}

export type GuidedAdapter =
  | { status: 'none' }
  | { status: 'adapter'; kind: ConcreteAdapterKind; inputShape: Shape; outputShape: Shape }
  | { status: 'invalid'; reason: string; detail: AdapterProblem };

/**
 * The one adapter of a guided node (shared by the adapter-needing losses it feeds). 'none' also
 * covers "not needed" and "not yet known"; validation reports the unknown parts separately.
 */
export function guidedAdapter(experiment: ExperimentFile, guided: NodeOf<'guided'>): GuidedAdapter {
  const feature = tappedFeature(experiment, guided);
  const targets = adapterTargets(experiment, guided);
  if (feature === null || targets.length === 0) return { status: 'none' };
  const first = targets[0].teacherShape;
  const conflicting = targets.find((target) => !sameShape(target.teacherShape, first));
  if (conflicting !== undefined) {
    return {
      status: 'invalid',
      detail: { code: 'adapterConflict', first: formatShape(first), second: formatShape(conflicting.teacherShape) },
      reason: `The guided layer feeds losses whose guides have different shapes (${formatShape(first)} and ` +
        `${formatShape(conflicting.teacherShape)}); one adapter cannot map to both. Use a second guided node.`,
    };
  }
  const resolution = resolveAdapter(guided.params.adapter, feature.shape, first);
  if (!resolution.ok) return { status: 'invalid', reason: resolution.reason, detail: resolution.detail };
  if (resolution.kind === null) return { status: 'none' };
  return { status: 'adapter', kind: resolution.kind, inputShape: [...feature.shape], outputShape: resolution.outputShape };
}

function tryGetLoss(lossId: string): LossDefinition | undefined {
  try {
    return getLoss(lossId);
  } catch {
    return undefined;
  }
}

/** Shape flowing out of a node's output port (a guided feature before its adapter); null when unknown or not a tensor. */
export function portShape(experiment: ExperimentFile, nodeId: string, port: string): Shape | null {
  const node = nodeById(experiment, nodeId);
  if (node === undefined) return null;
  switch (node.kind) {
    case 'model': {
      if (port !== 'logits') return null;
      const result = summarizeModel(node.params.architecture);
      return result.ok ? [...result.summary.outputShape] : null;
    }
    case 'guide':
    case 'guided':
      return port === 'feature' ? tappedFeature(experiment, node)?.shape ?? null : null;
    case 'head':
      return port === 'logits' ? headLogitsShape(experiment, node) : null;
    case 'ensemble':
      return port === 'logits' ? ensembleLogitsShape(experiment, node) : null;
    case 'dataset': {
      // Labels are class indices, one per image.
      if (port === 'labels') return [];
      const info = findDatasetInfo(node.params.datasetId);
      return port === 'images' && info !== undefined ? [...info.shape] : null;
    }
    case 'loss':
      return port === 'loss' ? [] : null;
    default:
      return null;
  }
}

/** Shape arriving at an edge's target: a guided feature entering an adapter-needing loss arrives adapted. */
export function edgeShape(experiment: ExperimentFile, edge: GraphEdge): Shape | null {
  const raw = portShape(experiment, edge.source, edge.sourcePort);
  const source = nodeById(experiment, edge.source);
  const target = nodeById(experiment, edge.target);
  if (raw === null || source?.kind !== 'guided' || target?.kind !== 'loss') return raw;
  const loss = tryGetLoss(target.params.lossId);
  if (loss === undefined || !loss.needsAdapter) return raw;
  const adapter = guidedAdapter(experiment, source);
  return adapter.status === 'adapter' ? [...adapter.outputShape] : raw;
}

/** Shapes of a loss node's connected inputs, keyed by port, as its `checkShapes` expects them. */
export function lossInputShapes(experiment: ExperimentFile, lossNodeId: string): Record<string, Shape> {
  const shapes: Record<string, Shape> = {};
  for (const edge of edgesInto(experiment, lossNodeId)) {
    const shape = edgeShape(experiment, edge);
    if (shape !== null) shapes[edge.targetPort] = shape;
  }
  return shapes;
}

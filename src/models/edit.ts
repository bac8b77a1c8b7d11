import { isMergeLayer, type ActivationFunction, type ArchitectureSpec, type LayerKind, type LayerSpec, type PadFill, type Padding } from './spec';
import { INPUT_LAYER_NAME, inputIdsOf } from './wiring';

/**
 * Pure editing helpers for the inspector. They return new specs and never throw on shape problems:
 * summarizeArchitecture reports those. They throw only on programming errors (unknown layer id,
 * a field the layer kind does not have).
 */

/** Fields the inspector may change; each applies only to the kinds that have it. */
export interface LayerPatch {
  id?: string;
  units?: number;
  filters?: number;
  kernelSize?: number;
  strides?: number;
  padding?: Padding;
  poolSize?: number;
  epsilon?: number;
  momentum?: number;
  rate?: number;
  useBias?: boolean;
  fn?: ActivationFunction;
  pads?: [number, number, number, number];
  fill?: PadFill;
  /** The layer this one reads; null = the previous layer (the default wiring). */
  from?: string | null;
  /** An add layer's inputs. */
  inputs?: string[];
}

const ID_PREFIX: Record<LayerKind, string> = {
  dense: 'fc',
  conv2d: 'conv',
  maxPool: 'pool',
  avgPool: 'avgpool',
  flatten: 'flatten',
  relu: 'relu',
  batchNorm: 'bn',
  dropout: 'drop',
  depthwiseConv2d: 'dwconv',
  globalAvgPool: 'gap',
  activation: 'act',
  pad: 'pad',
  add: 'add',
  concat: 'cat',
};

/** The editable fields of each kind (everything except kind). */
export const LAYER_FIELDS: Record<LayerKind, readonly (keyof LayerPatch)[]> = {
  dense: ['id', 'from', 'units'],
  conv2d: ['id', 'from', 'filters', 'kernelSize', 'strides', 'padding', 'useBias'],
  depthwiseConv2d: ['id', 'from', 'kernelSize', 'strides', 'padding', 'useBias'],
  maxPool: ['id', 'from', 'poolSize', 'strides', 'padding'],
  avgPool: ['id', 'from', 'poolSize', 'strides', 'padding'],
  globalAvgPool: ['id', 'from'],
  flatten: ['id', 'from'],
  relu: ['id', 'from'],
  activation: ['id', 'from', 'fn'],
  batchNorm: ['id', 'from', 'epsilon', 'momentum'],
  dropout: ['id', 'from', 'rate'],
  pad: ['id', 'from', 'pads', 'fill'],
  add: ['id', 'inputs'],
  concat: ['id', 'inputs'],
};

/** A layer of this kind with usual defaults. */
export function defaultLayer(kind: LayerKind, id: string): LayerSpec {
  switch (kind) {
    case 'dense': return { kind, id, units: 64 };
    case 'conv2d': return { kind, id, filters: 16, kernelSize: 3, strides: 1, padding: 'same' };
    case 'maxPool':
    case 'avgPool': return { kind, id, poolSize: 2, strides: 2, padding: 'valid' };
    case 'flatten': return { kind, id };
    case 'relu': return { kind, id };
    case 'batchNorm': return { kind, id, epsilon: 1e-3, momentum: 0.99 };
    case 'dropout': return { kind, id, rate: 0.5 };
    case 'depthwiseConv2d': return { kind, id, kernelSize: 3, strides: 1, padding: 'same' };
    case 'globalAvgPool': return { kind, id };
    case 'activation': return { kind, id, fn: 'relu6' };
    case 'pad': return { kind, id, pads: [1, 1, 1, 1], fill: 'zero' };
    // Two placeholders the user rewires: invalid until then, and the editor says so.
    case 'add':
    case 'concat': return { kind, id, inputs: [INPUT_LAYER_NAME, INPUT_LAYER_NAME] };
    default: {
      const unknown: never = kind;
      throw new Error(`Unknown layer kind '${String(unknown)}'.`);
    }
  }
}

/** The first id `<prefix><n>` (n = 1, 2, ...) not used in the spec, e.g. 'conv3'. */
export function freshLayerId(spec: ArchitectureSpec, kind: LayerKind): string {
  const used = new Set(spec.layers.map((layer) => layer.id));
  const prefix = ID_PREFIX[kind];
  let n = 1;
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** Inserts a default layer of `kind` before position `index` (clamped to [0, layers.length]). */
export function insertLayer(spec: ArchitectureSpec, index: number, kind: LayerKind): ArchitectureSpec {
  const at = Math.min(Math.max(0, Math.trunc(index)), spec.layers.length);
  const layers = [...spec.layers];
  layers.splice(at, 0, defaultLayer(kind, freshLayerId(spec, kind)));
  return { ...spec, layers };
}

function indexOfLayer(spec: ArchitectureSpec, layerId: string): number {
  const index = spec.layers.findIndex((layer) => layer.id === layerId);
  if (index < 0) {
    throw new Error(`Architecture '${spec.name}' has no layer '${layerId}'.`);
  }
  return index;
}

/** Points every `from` and add input naming `oldId` at `newId` (`from` equal to the default is dropped). */
function rewire(layers: LayerSpec[], oldId: string, newId: string): LayerSpec[] {
  return layers.map((layer, i) => {
    if (isMergeLayer(layer)) {
      return layer.inputs.includes(oldId) ? { ...layer, inputs: layer.inputs.map((id) => (id === oldId ? newId : id)) } : layer;
    }
    if (layer.from !== oldId) return layer;
    const previousId = i === 0 ? INPUT_LAYER_NAME : layers[i - 1].id;
    if (newId === previousId) {
      const { from: _dropped, ...rest } = layer;
      return rest as LayerSpec;
    }
    return { ...layer, from: newId };
  });
}

/** Removes a layer; layers that named it as their input read its input instead. */
export function removeLayer(spec: ArchitectureSpec, layerId: string): ArchitectureSpec {
  const index = indexOfLayer(spec, layerId);
  const removed = spec.layers[index];
  const replacement = inputIdsOf(removed, index === 0 ? INPUT_LAYER_NAME : spec.layers[index - 1].id)[0];
  return { ...spec, layers: rewire(spec.layers.filter((_, i) => i !== index), layerId, replacement) };
}

/** Changes fields of one layer; a field the layer's kind does not have is an error. */
export function updateLayer(spec: ArchitectureSpec, layerId: string, patch: LayerPatch): ArchitectureSpec {
  const index = indexOfLayer(spec, layerId);
  const layer = spec.layers[index];
  const allowed = LAYER_FIELDS[layer.kind];
  for (const key of Object.keys(patch) as (keyof LayerPatch)[]) {
    if (patch[key] !== undefined && !allowed.includes(key)) {
      throw new Error(`Layer '${layerId}' is a ${layer.kind} layer and has no '${key}' (it has: ${allowed.join(', ')}).`);
    }
  }
  const defined = Object.fromEntries(Object.entries(patch).filter(([key, value]) => value !== undefined && key !== 'from'));
  // The checks above keep the patched object within the layer's own kind.
  const updated = { ...layer, ...defined } as LayerSpec;
  if (patch.from !== undefined && !isMergeLayer(updated)) {
    const previousId = index === 0 ? INPUT_LAYER_NAME : spec.layers[index - 1].id;
    if (patch.from === null || patch.from === previousId) delete updated.from;
    else updated.from = patch.from;
  }
  let layers = spec.layers.map((existing, i) => (i === index ? updated : existing));
  if (patch.id !== undefined && patch.id !== layerId) layers = rewire(layers, layerId, patch.id);
  return { ...spec, layers };
}

/** Moves a layer to a new position (clamped), for drag-to-reorder. */
export function moveLayer(spec: ArchitectureSpec, layerId: string, toIndex: number): ArchitectureSpec {
  const from = indexOfLayer(spec, layerId);
  const layers = [...spec.layers];
  const [moved] = layers.splice(from, 1);
  const at = Math.min(Math.max(0, Math.trunc(toIndex)), layers.length);
  layers.splice(at, 0, moved);
  return { ...spec, layers };
}

import type { ArchitectureSpec, LayerKind, LayerSpec, Padding } from './spec';

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
};

/** The editable fields of each kind (everything except kind). */
export const LAYER_FIELDS: Record<LayerKind, readonly (keyof LayerPatch)[]> = {
  dense: ['id', 'units'],
  conv2d: ['id', 'filters', 'kernelSize', 'strides', 'padding'],
  maxPool: ['id', 'poolSize', 'strides', 'padding'],
  avgPool: ['id', 'poolSize', 'strides', 'padding'],
  flatten: ['id'],
  relu: ['id'],
  batchNorm: ['id', 'epsilon', 'momentum'],
  dropout: ['id', 'rate'],
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

export function removeLayer(spec: ArchitectureSpec, layerId: string): ArchitectureSpec {
  const index = indexOfLayer(spec, layerId);
  return { ...spec, layers: spec.layers.filter((_, i) => i !== index) };
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
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  // The checks above keep the patched object within the layer's own kind.
  const updated = { ...layer, ...defined } as LayerSpec;
  return { ...spec, layers: spec.layers.map((existing, i) => (i === index ? updated : existing)) };
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

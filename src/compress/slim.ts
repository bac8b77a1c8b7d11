import { OnnxExportError } from '../export/errors';
import { summarizeArchitecture } from '../models/shapes';
import type { ArchitectureSpec, LayerKind, LayerSpec, LayerWeights } from '../models/spec';
import { layerConsumers } from '../models/wiring';

/**
 * A channel-pruned network made physically smaller: each conv output channel that pruning zeroed
 * (kernel column and bias 0) is removed from its conv, from the batch norms on its way, and as input
 * channels from the conv or dense layers that read it (after flatten, its rows at every spatial
 * position: tfjs flattens [H, W, C] as (h * W + w) * C + c). Found from the weights, not the settings.
 *
 * Exact, not approximate: such a channel is 0 after its conv, stays 0 through a batch norm whose
 * gamma and beta are 0 there (gamma (x - mean) / sqrt(var + eps) + beta), relu, relu6, max and
 * average pooling, global average pooling, flatten and dropout (inference), and 0 times any weight adds
 * nothing downstream; zero padding keeps it 0 too. Any other layer on the way (a residual add, a
 * concat (its channel offsets), a depthwise conv whose bias or batch norm turns 0 into a constant,
 * sigmoid (0.5), a batch norm not zeroed there, -Infinity padding) keeps that conv whole, and the
 * result says which layer stopped it.
 */

export type SlimBlockReason = 'add' | 'concat' | 'depthwise' | 'activation' | 'batchNorm' | 'pad' | 'other';

export interface SlimmedConv { layerId: string; channelsBefore: number; channelsAfter: number }
/** A conv with zeroed channels that stays whole, and the layer on their way that could not be slimmed. */
export interface KeptConv { layerId: string; zeroChannels: number; blockedBy: string; blockedKind: LayerKind; reason: SlimBlockReason }

export interface SlimResult {
  spec: ArchitectureSpec;
  weights: LayerWeights[];
  slimmed: SlimmedConv[];
  kept: KeptConv[];
}

type Tensor = LayerWeights['tensors'][number];

/** Output channels of a [.., out] kernel whose column is all 0, and whose bias (if any) is 0 too. */
function zeroChannels(tensors: readonly Tensor[]): number[] {
  const kernel = tensors[0];
  const channels = kernel.shape[kernel.shape.length - 1];
  const alive = new Uint8Array(channels);
  kernel.values.forEach((value, i) => { if (value !== 0) alive[i % channels] = 1; });
  const bias = tensors[1]?.values;
  const zero: number[] = [];
  for (let c = 0; c < channels; c++) if (alive[c] === 0 && (bias === undefined || bias[c] === 0)) zero.push(c);
  // A layer keeps at least one channel, so every shape stays valid.
  return zero.length === channels ? zero.slice(1) : zero;
}

function blockReason(layer: LayerSpec): SlimBlockReason {
  if (layer.kind === 'add') return 'add';
  if (layer.kind === 'concat') return 'concat';
  if (layer.kind === 'pad') return 'pad';
  if (layer.kind === 'depthwiseConv2d') return 'depthwise';
  if (layer.kind === 'activation') return 'activation';
  if (layer.kind === 'batchNorm') return 'batchNorm';
  return 'other';
}

/** Layers that map a 0 channel to 0 and keep channels where they were (0 -> 0 elementwise or per channel). */
function passesZero(layer: LayerSpec, onVector: boolean): boolean {
  switch (layer.kind) {
    case 'relu': case 'dropout': return true;
    case 'activation': return layer.fn === 'relu6';
    // Zero borders keep a zero channel zero; -Infinity borders (before a max pool) do not.
    case 'pad': return layer.fill === 'zero' && !onVector;
    case 'maxPool': case 'avgPool': case 'globalAvgPool': case 'flatten': return !onVector;
    default: return false;
  }
}

interface Plan {
  /** Per layer id: output channels removed (conv, and the batch norms on the way). */
  outputs: Map<string, Set<number>>;
  /** Per consumer id: input channels removed, as channel indices modulo `channels` of the producer. */
  inputs: Map<string, { removed: Set<number>; channels: number }>;
}

/**
 * The layers a zeroed conv's channels reach, or the first one that stops them. Walks every path
 * from the conv until a conv2d or dense layer reads the channels.
 */
function traceChannels(
  spec: ArchitectureSpec, consumers: number[][], start: number, zero: number[], weightsOf: (id: string) => readonly Tensor[],
): { norms: string[]; readers: string[] } | { blockedBy: LayerSpec } {
  const norms: string[] = [];
  const readers: string[] = [];
  const pending: { index: number; onVector: boolean }[] = consumers[start].map((index) => ({ index, onVector: false }));
  while (pending.length > 0) {
    const { index, onVector } = pending.pop() as { index: number; onVector: boolean };
    const layer = spec.layers[index];
    if ((layer.kind === 'conv2d' && !onVector) || (layer.kind === 'dense' && onVector)) {
      readers.push(layer.id);
      continue;
    }
    if (layer.kind === 'batchNorm' && !onVector) {
      const [gamma, beta] = weightsOf(layer.id);
      if (!zero.every((c) => gamma.values[c] === 0 && beta.values[c] === 0)) return { blockedBy: layer };
      norms.push(layer.id);
    } else if (!passesZero(layer, onVector)) {
      return { blockedBy: layer };
    }
    const nextOnVector = onVector || layer.kind === 'flatten' || layer.kind === 'globalAvgPool';
    for (const next of consumers[index]) pending.push({ index: next, onVector: nextOnVector });
  }
  return { norms, readers };
}

function planSlimming(spec: ArchitectureSpec, weightsOf: (id: string) => readonly Tensor[]): Plan & { kept: KeptConv[] } {
  const consumers = layerConsumers(spec);
  const plan: Plan & { kept: KeptConv[] } = { outputs: new Map(), inputs: new Map(), kept: [] };
  spec.layers.forEach((layer, index) => {
    if (layer.kind !== 'conv2d') return;
    const zero = zeroChannels(weightsOf(layer.id));
    if (zero.length === 0) return;
    const trace = traceChannels(spec, consumers, index, zero, weightsOf);
    if ('blockedBy' in trace) {
      const { blockedBy } = trace;
      plan.kept.push({ layerId: layer.id, zeroChannels: zero.length, blockedBy: blockedBy.id, blockedKind: blockedBy.kind, reason: blockReason(blockedBy) });
      return;
    }
    const removed = new Set(zero);
    for (const id of [layer.id, ...trace.norms]) plan.outputs.set(id, removed);
    for (const id of trace.readers) plan.inputs.set(id, { removed, channels: layer.filters });
  });
  return plan;
}

/** Keeps the entries of a row-major tensor whose index along `axis` passes `keep`. */
function filterAxis(tensor: Tensor, axis: number, keep: (index: number) => boolean): Tensor {
  const shape = tensor.shape;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const size = shape[axis];
  const kept = Array.from({ length: size }, (_, i) => i).filter(keep);
  const values: number[] = [];
  for (let i = 0; i < tensor.values.length; i++) {
    if (keep(Math.floor(i / inner) % size)) values.push(tensor.values[i]);
  }
  return { shape: shape.map((d, k) => (k === axis ? kept.length : d)), values: Float32Array.from(values) };
}

/** The slimmed spec and weights (the input ones are not changed). Throws when weights and spec disagree. */
export function slimNetwork(spec: ArchitectureSpec, weights: readonly LayerWeights[]): SlimResult {
  const byId = new Map(weights.map((entry) => [entry.layerId, entry.tensors]));
  const weightsOf = (id: string): readonly Tensor[] => {
    const tensors = byId.get(id);
    if (tensors === undefined) throw new OnnxExportError(`No trained weights for layer '${id}': slim the student that was trained.`, id);
    return tensors;
  };
  const expected = summarizeArchitecture(spec).layers;
  spec.layers.forEach((layer, i) => {
    const tensors = byId.get(layer.id);
    const params = tensors?.reduce((sum, tensor) => sum + tensor.values.length, 0) ?? 0;
    if (params !== expected[i].params) {
      throw new OnnxExportError(`Weights of layer '${layer.id}' hold ${params} values, the architecture needs ${expected[i].params}: ` +
        'the weights come from a different architecture.', layer.id);
    }
  });
  const plan = planSlimming(spec, weightsOf);
  const slimmedWeights = weights.map((entry): LayerWeights => {
    const outputs = plan.outputs.get(entry.layerId);
    const inputs = plan.inputs.get(entry.layerId);
    if (outputs === undefined && inputs === undefined) return entry;
    const layer = spec.layers.find((candidate) => candidate.id === entry.layerId) as LayerSpec;
    const tensors = entry.tensors.map((tensor, t) => {
      let result = tensor;
      const lastAxis = tensor.shape.length - 1;
      // Conv kernel [kh, kw, in, out] and dense kernel [in, units]: the input axis is second to last.
      if (inputs !== undefined && t === 0) result = filterAxis(result, lastAxis - 1, (i) => !inputs.removed.has(i % inputs.channels));
      // Conv kernel and bias, batch norm's four vectors: the channel axis is the last one.
      if (outputs !== undefined && (layer.kind === 'batchNorm' || t === 0 || t === 1)) result = filterAxis(result, lastAxis, (c) => !outputs.has(c));
      return result;
    });
    return { layerId: entry.layerId, tensors };
  });
  const slimmed: SlimmedConv[] = [];
  const layers = spec.layers.map((layer): LayerSpec => {
    const removed = plan.outputs.get(layer.id);
    if (layer.kind !== 'conv2d' || removed === undefined) return layer;
    slimmed.push({ layerId: layer.id, channelsBefore: layer.filters, channelsAfter: layer.filters - removed.size });
    return { ...layer, filters: layer.filters - removed.size };
  });
  return { spec: { ...spec, layers }, weights: slimmedWeights, slimmed, kept: plan.kept };
}

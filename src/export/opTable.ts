import type {
  ActivationLayer, AddLayer, BatchNormLayer, ConcatLayer, Conv2dLayer, DenseLayer, DepthwiseConv2dLayer, LayerKind, LayerSpec, LayerWeights, PadFill, PadLayer, PoolLayer,
} from '../models/spec';
import { OnnxExportError } from './errors';
import {
  batchNormAffine, foldAffineAfterDense, foldAffineBeforeDense, hwioToOihw, nchwFlattenOrder, onnxPads,
  permuteRows, type Affine,
} from './layout';
import type { Initializer, OnnxGraphBuilder } from './onnxGraph';

/**
 * The op mapping: one entry per layer kind, each naming the ONNX operators it may emit and the
 * emitter that writes them. Every operator here is on the ATC-safe list (atlas-deployment.md).
 */

export type TensorLayout =
  | { kind: 'map'; channels: number; height: number; width: number }
  /** `tfjsOrder[i]` is the tfjs feature index of ONNX feature i; null when both orders agree. */
  | { kind: 'vector'; size: number; tfjsOrder: Int32Array | null };

export interface ExportState {
  tensor: string;
  layout: TensorLayout;
  /** The last dense layer, while its output is still the current tensor (batch norm folds into it). */
  lastDense: { layerId: string; kernel: Initializer; bias: Initializer } | null;
  /** A batch norm on a vector that follows no dense layer: it folds into the next dense layer. */
  pendingAffine: { layerId: string; affine: Affine } | null;
  /**
   * A pad layer's borders, [top, bottom, left, right]: ATC's list has no Pad, so they go into the
   * `pads` of the conv or pool reading it. `tensor` is the unpadded input; `layout` is padded.
   */
  pendingPad?: { layerId: string; pads: readonly number[]; fill: PadFill };
}

/** The layer kinds whose ONNX operator takes a pad layer's borders into its own `pads`. */
export const PAD_READERS: ReadonlySet<LayerKind> = new Set(['conv2d', 'depthwiseConv2d', 'maxPool', 'avgPool']);

/** The window's own 'same' pads (ONNX order: top, left, bottom, right) plus a pad layer's before it. */
function windowPads(layer: LayerSpec, state: ExportState, own: number[], fill: PadFill | 'none'): number[] {
  const pending = state.pendingPad;
  if (!pending) return own;
  if (fill === 'none' || pending.fill !== fill) {
    throw new OnnxExportError(
      `Pad layer '${pending.layerId}' (fill '${pending.fill}') cannot be exported into '${layer.id}' (${layer.kind}): ` +
      `ONNX pads a convolution with zeros, a max pool with -Infinity, and an average pool ('valid') with zeros counted in the mean.`,
      pending.layerId,
    );
  }
  const [top, bottom, left, right] = pending.pads;
  return [own[0] + top, own[1] + left, own[2] + bottom, own[3] + right];
}

function emitPad(layer: PadLayer, state: ExportState): ExportState {
  const { channels, height, width } = requireMap(layer, state);
  if (state.pendingPad) throw new OnnxExportError(`Pad layer '${layer.id}' reads another pad layer; merge them into one.`, layer.id);
  const [top, bottom, left, right] = layer.pads;
  return {
    tensor: state.tensor,
    layout: { kind: 'map', channels, height: height + top + bottom, width: width + left + right },
    lastDense: null,
    pendingAffine: null,
    pendingPad: { layerId: layer.id, pads: layer.pads, fill: layer.fill },
  };
}

export type DenseForm = 'gemm' | 'matmul-add';

export interface EmitContext {
  graph: OnnxGraphBuilder;
  /** Clip takes min/max as inputs from opset 11, as attributes before. */
  opset: number;
  denseForm: DenseForm;
  /** The layer's weight tensors, checked against the expected shapes. */
  weights(layerId: string, expectedShapes: number[][]): LayerWeights['tensors'];
}

interface OpMapping<L extends LayerSpec> {
  onnxOps: readonly string[];
  /** `state` is the layer's (first) input; `rest` holds an add layer's other inputs. */
  emit(layer: L, state: ExportState, context: EmitContext, rest: ExportState[]): ExportState;
}

type OpTable = { readonly [K in LayerKind]: OpMapping<Extract<LayerSpec, { kind: K }>> };

function requireMap(layer: LayerSpec, state: ExportState): Extract<TensorLayout, { kind: 'map' }> {
  if (state.layout.kind !== 'map') {
    throw new OnnxExportError(
      `Layer '${layer.id}' (${layer.kind}) receives a flattened vector; ONNX ${layer.kind} needs an image map. ` +
      `Move it before the flatten layer.`,
      layer.id,
    );
  }
  return state.layout;
}

/** Conv (group 1 for conv2d, group C for a depthwise conv) from OIHW weights and an optional bias. */
function convNode(
  layer: Conv2dLayer | DepthwiseConv2dLayer, state: ExportState, context: EmitContext,
  weight: { dims: number[]; values: Float32Array }, bias: Float32Array | null, group: number,
): ExportState {
  const { height, width } = requireMap(layer, state);
  const k = layer.kernelSize;
  const { graph } = context;
  const inputs = [state.tensor, graph.addInitializer(`${layer.id}.weight`, weight.dims, weight.values).name];
  if (bias) inputs.push(graph.addInitializer(`${layer.id}.bias`, [bias.length], bias).name);
  const pads = onnxPads(height, width, k, layer.strides, layer.padding);
  const tensor = graph.addNode('Conv', inputs, layer.id, {
    kernel_shape: [k, k], strides: [layer.strides, layer.strides], pads: windowPads(layer, state, pads, 'zero'), dilations: [1, 1], group,
  });
  const outHeight = (height + pads[0] + pads[2] - k) / layer.strides;
  const outWidth = (width + pads[1] + pads[3] - k) / layer.strides;
  return {
    tensor,
    layout: { kind: 'map', channels: weight.dims[0], height: Math.floor(outHeight) + 1, width: Math.floor(outWidth) + 1 },
    lastDense: null,
    pendingAffine: null,
  };
}

function emitConv(layer: Conv2dLayer, state: ExportState, context: EmitContext): ExportState {
  const { channels } = requireMap(layer, state);
  const k = layer.kernelSize;
  const useBias = layer.useBias ?? true;
  const expected = [[k, k, channels, layer.filters], ...(useBias ? [[layer.filters]] : [])];
  const [kernel, bias] = context.weights(layer.id, expected);
  const weight = { dims: [layer.filters, channels, k, k], values: hwioToOihw(kernel.values, kernel.shape) };
  return convNode(layer, state, context, weight, bias ? Float32Array.from(bias.values) : null, 1);
}

/** tfjs's depthwise kernel [KH, KW, C, 1] becomes ONNX's grouped-conv weight [C, 1, KH, KW], group C. */
function emitDepthwiseConv(layer: DepthwiseConv2dLayer, state: ExportState, context: EmitContext): ExportState {
  const { channels } = requireMap(layer, state);
  const k = layer.kernelSize;
  const useBias = layer.useBias ?? true;
  const [kernel, bias] = context.weights(layer.id, [[k, k, channels, 1], ...(useBias ? [[channels]] : [])]);
  const values = new Float32Array(kernel.values.length);
  for (let tap = 0; tap < k * k; tap++) {
    for (let c = 0; c < channels; c++) values[c * k * k + tap] = kernel.values[tap * channels + c];
  }
  const weight = { dims: [channels, 1, k, k], values };
  return convNode(layer, state, context, weight, bias ? Float32Array.from(bias.values) : null, channels);
}

function emitPool(layer: PoolLayer, state: ExportState, context: EmitContext): ExportState {
  const { channels, height, width } = requireMap(layer, state);
  const p = layer.poolSize;
  const pads = onnxPads(height, width, p, layer.strides, layer.padding);
  // A pad layer before an average pool counts its zeros in the mean, which ONNX can say only for a
  // 'valid' pool (tfjs's 'same' leaves its own padding out of the count).
  const padFill = layer.kind === 'maxPool' ? 'lowest' : layer.padding === 'valid' ? 'zero' : 'none';
  const common = { kernel_shape: [p, p], strides: [layer.strides, layer.strides], pads: windowPads(layer, state, pads, padFill) };
  // tfjs averages over the valid pixels only: count_include_pad = 0. MaxPool gets no storage_order.
  const tensor = layer.kind === 'maxPool'
    ? context.graph.addNode('MaxPool', [state.tensor], layer.id, common)
    : context.graph.addNode('AveragePool', [state.tensor], layer.id, { ...common, count_include_pad: state.pendingPad ? 1 : 0 });
  return {
    tensor,
    layout: {
      kind: 'map',
      channels,
      height: Math.floor((height + pads[0] + pads[2] - p) / layer.strides) + 1,
      width: Math.floor((width + pads[1] + pads[3] - p) / layer.strides) + 1,
    },
    lastDense: null,
    pendingAffine: null,
  };
}

function emitFlatten(layer: LayerSpec, state: ExportState, context: EmitContext): ExportState {
  if (state.layout.kind === 'vector') return state;
  const { channels, height, width } = state.layout;
  const order = nchwFlattenOrder(height, width, channels);
  const isIdentity = order.every((tfjsIndex, i) => tfjsIndex === i);
  return {
    tensor: context.graph.addNode('Flatten', [state.tensor], layer.id, { axis: 1 }),
    layout: { kind: 'vector', size: order.length, tfjsOrder: isIdentity ? null : order },
    lastDense: null,
    pendingAffine: null,
  };
}

function emitDense(layer: DenseLayer, state: ExportState, context: EmitContext): ExportState {
  if (state.layout.kind !== 'vector') {
    throw new OnnxExportError(
      `Dense layer '${layer.id}' receives an image map; add a flatten layer before it.`,
      layer.id,
    );
  }
  const { size, tfjsOrder } = state.layout;
  const [kernel, bias] = context.weights(layer.id, [[size, layer.units], [layer.units]]);
  let kernelValues: Float32Array = Float32Array.from(kernel.values);
  const biasValues = Float32Array.from(bias.values);
  if (state.pendingAffine) foldAffineBeforeDense(kernelValues, biasValues, state.pendingAffine.affine);
  if (tfjsOrder) kernelValues = permuteRows(kernelValues, layer.units, tfjsOrder);
  const { graph } = context;
  const weight = graph.addInitializer(`${layer.id}.weight`, [size, layer.units], kernelValues);
  const biasInit = graph.addInitializer(`${layer.id}.bias`, [layer.units], biasValues);
  const tensor = context.denseForm === 'gemm'
    ? graph.addNode('Gemm', [state.tensor, weight.name, biasInit.name], layer.id, {
      alpha: { float: 1 }, beta: { float: 1 }, transA: 0, transB: 0,
    })
    : graph.addNode('Add', [graph.addNode('MatMul', [state.tensor, weight.name], `${layer.id}.matmul`), biasInit.name], layer.id);
  return {
    tensor,
    layout: { kind: 'vector', size: layer.units, tfjsOrder: null },
    lastDense: { layerId: layer.id, kernel: weight, bias: biasInit },
    pendingAffine: null,
  };
}

function emitBatchNorm(layer: BatchNormLayer, state: ExportState, context: EmitContext): ExportState {
  const channels = state.layout.kind === 'map' ? state.layout.channels : state.layout.size;
  const expected = [[channels], [channels], [channels], [channels]];
  const [gamma, beta, mean, variance] = context.weights(layer.id, expected).map((tensor) => tensor.values);
  if (state.layout.kind === 'map') {
    const { graph } = context;
    const inputs = [
      graph.addInitializer(`${layer.id}.scale`, [channels], Float32Array.from(gamma)),
      graph.addInitializer(`${layer.id}.bias`, [channels], Float32Array.from(beta)),
      graph.addInitializer(`${layer.id}.mean`, [channels], Float32Array.from(mean)),
      graph.addInitializer(`${layer.id}.var`, [channels], Float32Array.from(variance)),
    ].map((init) => init.name);
    // Keras defaults to epsilon 1e-3, ONNX to 1e-5: always written out.
    const tensor = graph.addNode('BatchNormalization', [state.tensor, ...inputs], layer.id, { epsilon: { float: layer.epsilon } });
    return { ...state, tensor, lastDense: null };
  }
  // ATC runs BatchNormalization on 4-D tensors only: a vector batch norm becomes dense weights.
  const affine = batchNormAffine(gamma, beta, mean, variance, layer.epsilon);
  if (state.lastDense) {
    foldAffineAfterDense(state.lastDense.kernel.values, state.lastDense.bias.values, affine);
    return state;
  }
  if (state.layout.tfjsOrder) {
    throw new OnnxExportError(
      `Batch norm '${layer.id}' right after a flatten of a multi-channel map cannot be folded into the next dense ` +
      `layer in this exporter; move it before the flatten layer (it then normalises channels).`,
      layer.id,
    );
  }
  return { ...state, pendingAffine: { layerId: layer.id, affine } };
}

const sameLayout = (a: TensorLayout, b: TensorLayout): boolean => {
  if (a.kind === 'map' && b.kind === 'map') return a.channels === b.channels && a.height === b.height && a.width === b.width;
  if (a.kind !== 'vector' || b.kind !== 'vector' || a.size !== b.size) return false;
  if (a.tfjsOrder === null || b.tfjsOrder === null) return a.tfjsOrder === b.tfjsOrder;
  const bOrder = b.tfjsOrder;
  return a.tfjsOrder.every((index, i) => index === bOrder[i]);
};

/** A chain of binary Adds (ONNX Add takes two inputs). */
function emitAdd(layer: AddLayer, state: ExportState, context: EmitContext, rest: ExportState[]): ExportState {
  let tensor = state.tensor;
  rest.forEach((other, i) => {
    if (!sameLayout(state.layout, other.layout)) {
      throw new OnnxExportError(
        `Add '${layer.id}' sums '${layer.inputs[0]}' and '${layer.inputs[i + 1]}', whose ONNX layouts differ ` +
        `(a vector flattened from a map and another vector); add maps before the flatten instead.`,
        layer.id,
      );
    }
    tensor = context.graph.addNode('Add', [tensor, other.tensor], i === rest.length - 1 ? layer.id : `${layer.id}.partial`);
  });
  return { tensor, layout: state.layout, lastDense: null, pendingAffine: null };
}

/**
 * Concat on ONNX's channel axis (1 for NCHW maps and for vectors). A vector flattened from an NCHW
 * map keeps its own feature order, so the joined vector's tfjsOrder is each input's, shifted.
 */
function emitConcat(layer: ConcatLayer, state: ExportState, context: EmitContext, rest: ExportState[]): ExportState {
  const states = [state, ...rest];
  const tensor = context.graph.addNode('Concat', states.map((s) => s.tensor), layer.id, { axis: 1 });
  const base = { tensor, lastDense: null, pendingAffine: null };
  if (states.every((s) => s.layout.kind === 'map')) {
    const maps = states.map((s) => requireMap(layer, s));
    return { ...base, layout: { ...maps[0], channels: maps.reduce((sum, map) => sum + map.channels, 0) } };
  }
  if (!states.every((s) => s.layout.kind === 'vector')) {
    throw new OnnxExportError(`Concat '${layer.id}' joins a map and a vector; flatten every input first, or none.`, layer.id);
  }
  const vectors = states.map((s) => s.layout as Extract<TensorLayout, { kind: 'vector' }>);
  const size = vectors.reduce((sum, vector) => sum + vector.size, 0);
  if (vectors.every((vector) => vector.tfjsOrder === null)) return { ...base, layout: { kind: 'vector', size, tfjsOrder: null } };
  const order = new Int32Array(size);
  let offset = 0;
  for (const vector of vectors) {
    for (let i = 0; i < vector.size; i++) order[offset + i] = offset + (vector.tfjsOrder ? vector.tfjsOrder[i] : i);
    offset += vector.size;
  }
  return { ...base, layout: { kind: 'vector', size, tfjsOrder: order } };
}

/** GlobalAveragePool keeps [N, C, 1, 1]; the Flatten after it makes the [N, C] vector tfjs has. */
function emitGlobalAvgPool(layer: LayerSpec, state: ExportState, context: EmitContext): ExportState {
  const { channels } = requireMap(layer, state);
  const pooled = context.graph.addNode('GlobalAveragePool', [state.tensor], `${layer.id}.pool`);
  return {
    tensor: context.graph.addNode('Flatten', [pooled], layer.id, { axis: 1 }),
    layout: { kind: 'vector', size: channels, tfjsOrder: null },
    lastDense: null,
    pendingAffine: null,
  };
}

function emitActivation(layer: ActivationLayer, state: ExportState, context: EmitContext): ExportState {
  const { graph } = context;
  let tensor: string;
  if (layer.fn === 'sigmoid') {
    tensor = graph.addNode('Sigmoid', [state.tensor], layer.id);
  } else if (context.opset >= 11) {
    // ReLU6 = Clip(x, 0, 6); since opset 11 the bounds are (scalar) inputs.
    const min = graph.addInitializer(`${layer.id}.min`, [], Float32Array.of(0));
    const max = graph.addInitializer(`${layer.id}.max`, [], Float32Array.of(6));
    tensor = graph.addNode('Clip', [state.tensor, min.name, max.name], layer.id);
  } else {
    tensor = graph.addNode('Clip', [state.tensor], layer.id, { min: { float: 0 }, max: { float: 6 } });
  }
  return { ...state, tensor, lastDense: null };
}

export const ONNX_OP_TABLE: OpTable = {
  conv2d: { onnxOps: ['Conv'], emit: emitConv },
  depthwiseConv2d: { onnxOps: ['Conv'], emit: emitDepthwiseConv },
  globalAvgPool: { onnxOps: ['GlobalAveragePool', 'Flatten'], emit: emitGlobalAvgPool },
  activation: { onnxOps: ['Clip', 'Sigmoid'], emit: emitActivation },
  add: { onnxOps: ['Add'], emit: emitAdd },
  concat: { onnxOps: ['Concat'], emit: emitConcat },
  maxPool: { onnxOps: ['MaxPool'], emit: emitPool },
  avgPool: { onnxOps: ['AveragePool'], emit: emitPool },
  flatten: { onnxOps: ['Flatten'], emit: emitFlatten },
  dense: { onnxOps: ['Gemm', 'MatMul', 'Add'], emit: emitDense },
  relu: {
    onnxOps: ['Relu'],
    emit: (layer, state, context) => ({ ...state, tensor: context.graph.addNode('Relu', [state.tensor], layer.id), lastDense: null }),
  },
  batchNorm: { onnxOps: ['BatchNormalization'], emit: emitBatchNorm },
  pad: { onnxOps: [], emit: emitPad },
  // Dropout is the identity at inference; ATC rejects training-only ops, so nothing is emitted.
  dropout: { onnxOps: [], emit: (_layer, state) => state },
};

/** Operators ATC (CANN 5.x/6.0) converts, from atlas-deployment.md. */
export const ATC_SAFE_OPS: readonly string[] = [
  'Conv', 'Relu', 'Clip', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'Gemm', 'MatMul', 'Add',
  'Concat', 'BatchNormalization', 'Softmax', 'Sigmoid', 'Transpose',
];

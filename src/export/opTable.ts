import type { BatchNormLayer, Conv2dLayer, DenseLayer, LayerKind, LayerSpec, LayerWeights, PoolLayer } from '../models/spec';
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
}

export type DenseForm = 'gemm' | 'matmul-add';

export interface EmitContext {
  graph: OnnxGraphBuilder;
  denseForm: DenseForm;
  /** The layer's weight tensors, checked against the expected shapes. */
  weights(layerId: string, expectedShapes: number[][]): LayerWeights['tensors'];
}

interface OpMapping<L extends LayerSpec> {
  onnxOps: readonly string[];
  emit(layer: L, state: ExportState, context: EmitContext): ExportState;
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

function emitConv(layer: Conv2dLayer, state: ExportState, context: EmitContext): ExportState {
  const { channels, height, width } = requireMap(layer, state);
  const k = layer.kernelSize;
  const [kernel, bias] = context.weights(layer.id, [[k, k, channels, layer.filters], [layer.filters]]);
  const { graph } = context;
  const weight = graph.addInitializer(`${layer.id}.weight`, [layer.filters, channels, k, k], hwioToOihw(kernel.values, kernel.shape));
  const biasInit = graph.addInitializer(`${layer.id}.bias`, [layer.filters], Float32Array.from(bias.values));
  const pads = onnxPads(height, width, k, layer.strides, layer.padding);
  const tensor = graph.addNode('Conv', [state.tensor, weight.name, biasInit.name], layer.id, {
    kernel_shape: [k, k], strides: [layer.strides, layer.strides], pads, dilations: [1, 1], group: 1,
  });
  const outHeight = (height + pads[0] + pads[2] - k) / layer.strides;
  const outWidth = (width + pads[1] + pads[3] - k) / layer.strides;
  return {
    tensor,
    layout: { kind: 'map', channels: layer.filters, height: Math.floor(outHeight) + 1, width: Math.floor(outWidth) + 1 },
    lastDense: null,
    pendingAffine: null,
  };
}

function emitPool(layer: PoolLayer, state: ExportState, context: EmitContext): ExportState {
  const { channels, height, width } = requireMap(layer, state);
  const p = layer.poolSize;
  const pads = onnxPads(height, width, p, layer.strides, layer.padding);
  const common = { kernel_shape: [p, p], strides: [layer.strides, layer.strides], pads };
  // tfjs averages over the valid pixels only: count_include_pad = 0. MaxPool gets no storage_order.
  const tensor = layer.kind === 'maxPool'
    ? context.graph.addNode('MaxPool', [state.tensor], layer.id, common)
    : context.graph.addNode('AveragePool', [state.tensor], layer.id, { ...common, count_include_pad: 0 });
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

export const ONNX_OP_TABLE: OpTable = {
  conv2d: { onnxOps: ['Conv'], emit: emitConv },
  maxPool: { onnxOps: ['MaxPool'], emit: emitPool },
  avgPool: { onnxOps: ['AveragePool'], emit: emitPool },
  flatten: { onnxOps: ['Flatten'], emit: emitFlatten },
  dense: { onnxOps: ['Gemm', 'MatMul', 'Add'], emit: emitDense },
  relu: {
    onnxOps: ['Relu'],
    emit: (layer, state, context) => ({ ...state, tensor: context.graph.addNode('Relu', [state.tensor], layer.id), lastDense: null }),
  },
  batchNorm: { onnxOps: ['BatchNormalization'], emit: emitBatchNorm },
  // Dropout is the identity at inference; ATC rejects training-only ops, so nothing is emitted.
  dropout: { onnxOps: [], emit: (_layer, state) => state },
};

/** Operators ATC (CANN 5.x/6.0) converts, from atlas-deployment.md. */
export const ATC_SAFE_OPS: readonly string[] = [
  'Conv', 'Relu', 'Clip', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'Gemm', 'MatMul', 'Add',
  'Concat', 'BatchNormalization', 'Softmax', 'Sigmoid', 'Transpose',
];

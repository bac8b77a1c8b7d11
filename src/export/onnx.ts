import { ArchitectureError, type ArchitectureSpec, type LayerSpec, type LayerWeights } from '../models/spec';
import { summarizeArchitecture } from '../models/shapes';
import { INPUT_LAYER_NAME, layerConsumers, layerInputs } from '../models/wiring';
import { OnnxExportError } from './errors';
import { OnnxGraphBuilder } from './onnxGraph';
import { onnxProto, type onnx } from './onnxProto';
import { ONNX_OP_TABLE, PAD_READERS, type DenseForm, type EmitContext, type ExportState } from './opTable';

/**
 * The student as an ONNX model ATC accepts: static NCHW float32 input, output 'logits'
 * [N, classes] (and 'probs' with the Softmax option), opset 11 / IR 6 unless told otherwise.
 */

export interface OnnxExportOptions {
  /** ATC in CANN 5.x/6.0 parses opset 9 to 13. Default 11. */
  opset?: number;
  /** Default: 6 for opset <= 11, 7 for opset 12 and 13 (the IR version each opset shipped with). */
  irVersion?: number;
  /** Fixed batch dimension of input and outputs. Default 1. */
  batchSize?: number;
  /** Append Softmax as a second output 'probs'. Default false. */
  softmaxOutput?: boolean;
  /** Plain ASCII name of the input; ATC's --input_shape must use the same. Default 'input'. */
  inputName?: string;
  /** Dense layers as Gemm (default) or as the more conservative MatMul + Add. */
  denseForm?: DenseForm;
}

export type ResolvedOnnxOptions = Required<OnnxExportOptions>;

export const MIN_OPSET = 9;
export const MAX_OPSET = 13;
export const LOGITS_OUTPUT = 'logits';
export const PROBS_OUTPUT = 'probs';
const PRODUCER = 'distillation-studio';

export function resolveOnnxOptions(options: OnnxExportOptions = {}): ResolvedOnnxOptions {
  const opset = options.opset ?? 11;
  const resolved: ResolvedOnnxOptions = {
    opset,
    irVersion: options.irVersion ?? (opset <= 11 ? 6 : 7),
    batchSize: options.batchSize ?? 1,
    softmaxOutput: options.softmaxOutput ?? false,
    inputName: options.inputName ?? 'input',
    denseForm: options.denseForm ?? 'gemm',
  };
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxExportError(`Opset ${opset} is not supported: ATC (CANN 5.x/6.0) reads opset ${MIN_OPSET} to ${MAX_OPSET}; use 11.`);
  }
  if (!Number.isInteger(resolved.irVersion) || resolved.irVersion < 4 || resolved.irVersion > 8) {
    throw new OnnxExportError(`IR version ${resolved.irVersion} is not supported; use 6 (or 7 with opset 12/13).`);
  }
  if (!Number.isInteger(resolved.batchSize) || resolved.batchSize < 1 || resolved.batchSize > 1024) {
    throw new OnnxExportError(`Batch size ${resolved.batchSize} is invalid; choose a whole number from 1 to 1024 (1 is recommended).`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(resolved.inputName) || [LOGITS_OUTPUT, PROBS_OUTPUT].includes(resolved.inputName)) {
    throw new OnnxExportError(
      `Input name '${resolved.inputName}' is not allowed: use letters, digits and '_' (ATC's --input_shape refers to it), ` +
      `not '${LOGITS_OUTPUT}' or '${PROBS_OUTPUT}'.`,
    );
  }
  return resolved;
}

/** ONNX input dims [N, C, H, W] for a spec whose inputShape is tfjs [H, W, C]. */
export function onnxInputDims(spec: ArchitectureSpec, batchSize = 1): [number, number, number, number] {
  const [h, w, c] = spec.inputShape;
  return [batchSize, c, h, w];
}

function weightLookup(weights: LayerWeights[]): EmitContext['weights'] {
  const byLayer = new Map(weights.map((entry) => [entry.layerId, entry.tensors]));
  return (layerId, expectedShapes) => {
    const tensors = byLayer.get(layerId);
    if (!tensors) {
      throw new OnnxExportError(
        `No trained weights for layer '${layerId}'; train the student first (or pass the weights from getLayerWeights).`,
        layerId,
      );
    }
    const shapesMatch = tensors.length === expectedShapes.length && tensors.every((tensor, i) =>
      tensor.shape.length === expectedShapes[i].length && tensor.shape.every((size, d) => size === expectedShapes[i][d]) &&
      tensor.values.length === expectedShapes[i].reduce((a, b) => a * b, 1));
    if (!shapesMatch) {
      const got = tensors.map((tensor) => `[${tensor.shape.join(', ')}]`).join(', ');
      const want = expectedShapes.map((shape) => `[${shape.join(', ')}]`).join(', ');
      throw new OnnxExportError(
        `Weights of layer '${layerId}' have shapes ${got} but the architecture needs ${want}; ` +
        `the weights come from a different architecture: export the student that was trained.`,
        layerId,
      );
    }
    return tensors;
  };
}

/** Layers that may sit between a vector batch norm and the dense layer it folds into. */
function keepsPendingBatchNorm(layer: LayerSpec, state: ExportState): boolean {
  return layer.kind === 'dense' || layer.kind === 'dropout' || (layer.kind === 'flatten' && state.layout.kind === 'vector');
}

/**
 * The state a layer reads. A batch norm folds into a dense layer only along a straight path: when
 * another layer also reads the dense output, the fold would change what that layer sees.
 */
function inputState(id: string, state: ExportState, readers: number, layer: LayerSpec): ExportState {
  if (state.pendingPad && !PAD_READERS.has(layer.kind)) {
    throw new OnnxExportError(
      `Pad layer '${state.pendingPad.layerId}' is read by '${layer.id}' (${layer.kind}); ONNX for ATC has no Pad operator, ` +
      `so a pad layer must feed a conv or pool directly.`,
      state.pendingPad.layerId,
    );
  }
  const pending = state.pendingAffine;
  if (pending && (readers > 1 || layer.kind === 'add' || layer.kind === 'concat' || !keepsPendingBatchNorm(layer, state))) {
    throw new OnnxExportError(
      `Batch norm '${pending.layerId}' acts on a vector and is followed by '${layer.id}' (${layer.kind}), ` +
      `so it cannot be folded into a dense layer (ATC runs BatchNormalization on 4-D maps only). ` +
      `Place it directly after or directly before a dense layer.`,
      pending.layerId,
    );
  }
  return readers > 1 && id !== INPUT_LAYER_NAME ? { ...state, lastDense: null } : state;
}

function validateSpec(spec: ArchitectureSpec): number {
  try {
    const outputShape = summarizeArchitecture(spec).outputShape;
    return outputShape[0];
  } catch (error) {
    if (error instanceof ArchitectureError) {
      throw new OnnxExportError(`Cannot export '${spec.name}': ${error.message}`, error.layerId);
    }
    throw error;
  }
}

/**
 * Extension points for variants of the export (the INT8 QDQ export, src/compress/qdqExport.ts):
 * `afterLayer` may rewrite each layer's output (the image's too, as INPUT_LAYER_NAME), `beforeEncode`
 * the finished graph.
 */
export interface OnnxExportHooks {
  afterLayer?(layerId: string, state: ExportState, graph: OnnxGraphBuilder): ExportState;
  beforeEncode?(graph: OnnxGraphBuilder): void;
}

/** Encodes the student as ONNX bytes. Throws OnnxExportError naming the layer and the fix. */
export function exportOnnx(spec: ArchitectureSpec, weights: LayerWeights[], options: OnnxExportOptions = {}, hooks: OnnxExportHooks = {}): Uint8Array {
  const resolved = resolveOnnxOptions(options);
  const classes = validateSpec(spec);
  const graph = new OnnxGraphBuilder();
  for (const reserved of [resolved.inputName, LOGITS_OUTPUT, PROBS_OUTPUT]) graph.reserve(reserved);
  const context: EmitContext = { graph, opset: resolved.opset, denseForm: resolved.denseForm, weights: weightLookup(weights) };
  const [h, w, c] = spec.inputShape;
  const imageState: ExportState = {
    tensor: resolved.inputName,
    layout: { kind: 'map', channels: c, height: h, width: w },
    lastDense: null,
    pendingAffine: null,
  };
  const afterLayer = hooks.afterLayer ?? ((_id: string, state: ExportState) => state);
  const states = new Map<string, ExportState>([[INPUT_LAYER_NAME, afterLayer(INPUT_LAYER_NAME, imageState, graph)]]);
  const consumers = layerConsumers(spec);
  const readers = new Map(spec.layers.map((layer, i) => [layer.id, consumers[i].length]));
  const inputs = layerInputs(spec);
  spec.layers.forEach((layer, index) => {
    const [first, ...rest] = inputs[index].map((id) => inputState(id, states.get(id) as ExportState, readers.get(id) ?? 1, layer));
    const mapping = ONNX_OP_TABLE[layer.kind] as {
      emit(l: LayerSpec, s: ExportState, c: EmitContext, r: ExportState[]): ExportState;
    } | undefined;
    if (!mapping) {
      throw new OnnxExportError(
        `Layer '${layer.id}' has kind '${layer.kind}', which the ONNX exporter does not map; ` +
        `replace it with one of: ${Object.keys(ONNX_OP_TABLE).join(', ')}.`,
        layer.id,
      );
    }
    const output = mapping.emit(layer, first, context, rest);
    // A pad layer writes no tensor (its reader takes the borders), so there is nothing to rewrite.
    states.set(layer.id, layer.kind === 'pad' ? output : afterLayer(layer.id, { ...output, pendingPad: undefined }, graph));
  });
  const state = states.get(spec.layers[spec.layers.length - 1].id) as ExportState;
  if (state.layout.kind !== 'vector' || state.layout.size !== classes || state.tensor === resolved.inputName) {
    throw new OnnxExportError(`The student must end in a dense layer with one unit per class (${classes}).`);
  }
  graph.renameOutput(state.tensor, LOGITS_OUTPUT);
  const outputs = [{ name: LOGITS_OUTPUT, dims: [resolved.batchSize, classes] }];
  if (resolved.softmaxOutput) {
    const probs = graph.addNode('Softmax', [LOGITS_OUTPUT], 'softmax', { axis: 1 });
    graph.renameOutput(probs, PROBS_OUTPUT);
    outputs.push({ name: PROBS_OUTPUT, dims: [resolved.batchSize, classes] });
  }
  hooks.beforeEncode?.(graph);
  return graph.toModel(
    {
      irVersion: resolved.irVersion,
      opset: resolved.opset,
      producerName: PRODUCER,
      producerVersion: '1',
      graphName: spec.name.replace(/[^A-Za-z0-9_]/g, '_'),
      docString: `Student '${spec.name}' exported for ATC: input NCHW float32, output logits.`,
    },
    [{ name: resolved.inputName, dims: onnxInputDims(spec, resolved.batchSize) }],
    outputs,
  );
}

export interface OnnxModelSummary {
  irVersion: number;
  opset: number;
  ops: string[];
  inputs: { name: string; dims: number[] }[];
  outputs: { name: string; dims: number[] }[];
  initializerCount: number;
}

/** Decodes exported bytes into the facts the model card and the tests look at. */
export function summarizeOnnx(bytes: Uint8Array): OnnxModelSummary {
  const model = onnxProto.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new OnnxExportError('The ONNX bytes hold no graph.');
  const io = (values: onnx.IValueInfoProto[] | null | undefined) => (values ?? []).map((value) => ({
    name: value.name ?? '',
    dims: (value.type?.tensorType?.shape?.dim ?? []).map((dim) => Number(dim.dimValue ?? -1)),
  }));
  return {
    irVersion: Number(model.irVersion),
    opset: Number(model.opsetImport.find((entry) => !entry.domain)?.version ?? 0),
    ops: (graph.node ?? []).map((node) => node.opType ?? ''),
    inputs: io(graph.input),
    outputs: io(graph.output),
    initializerCount: (graph.initializer ?? []).length,
  };
}

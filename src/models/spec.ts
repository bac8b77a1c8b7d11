/**
 * Architectures are data: a list of layers built into a tfjs model (see builder.ts).
 * Shapes follow tfjs: images are [H, W, C] (NHWC without the batch axis).
 * Every layer has a stable `id` that names the tfjs layer, so taps (guide/guided layers),
 * adapters and the ONNX exporter can refer to it.
 */

export type Padding = 'same' | 'valid';

/**
 * Models are small DAGs kept as a list in topological order. A single-input layer reads the
 * previous layer (the image for the first one) unless `from` names an earlier layer id or
 * INPUT_LAYER_NAME ('input', the image); an `add` layer names its inputs. Specs without `from`
 * are the straight stacks of earlier files and build exactly as before.
 */
interface Wired { from?: string }

export interface DenseLayer extends Wired { kind: 'dense'; id: string; units: number }
export interface Conv2dLayer extends Wired {
  kind: 'conv2d';
  id: string;
  filters: number;
  kernelSize: number;
  strides: number;
  padding: Padding;
  /** Absent = true. ResNets drop the bias of a conv followed by batch norm. */
  useBias?: boolean;
}
/** One filter per input channel (depth multiplier 1): the spatial half of a separable conv. */
export interface DepthwiseConv2dLayer extends Wired {
  kind: 'depthwiseConv2d';
  id: string;
  kernelSize: number;
  strides: number;
  padding: Padding;
  /** Absent = true. */
  useBias?: boolean;
}
export interface PoolLayer extends Wired {
  kind: 'maxPool' | 'avgPool';
  id: string;
  poolSize: number;
  strides: number;
  padding: Padding;
}
/** [H, W, C] -> [C]: the mean of each channel. */
export interface GlobalAvgPoolLayer extends Wired { kind: 'globalAvgPool'; id: string }
export interface FlattenLayer extends Wired { kind: 'flatten'; id: string }
export interface ReluLayer extends Wired { kind: 'relu'; id: string }
/** Activations besides relu, each one ONNX opset-11 operator (relu6 = Clip(0, 6)). */
export const ACTIVATION_FUNCTIONS = ['relu6', 'sigmoid'] as const;
export type ActivationFunction = typeof ACTIVATION_FUNCTIONS[number];
export interface ActivationLayer extends Wired { kind: 'activation'; id: string; fn: ActivationFunction }
export interface BatchNormLayer extends Wired { kind: 'batchNorm'; id: string; epsilon: number; momentum: number }
export interface DropoutLayer extends Wired { kind: 'dropout'; id: string; rate: number }
/**
 * Explicit border padding of a map, [top, bottom, left, right] rows and columns, before a 'valid'
 * window: the padding ONNX and PyTorch models place evenly where tfjs's 'same' puts the odd extra
 * row after. `zero` suits a convolution; `lowest` (-Infinity) lets a max pool ignore the border.
 */
export const PAD_FILLS = ['zero', 'lowest'] as const;
export type PadFill = typeof PAD_FILLS[number];
export interface PadLayer extends Wired { kind: 'pad'; id: string; pads: [number, number, number, number]; fill: PadFill }
/** Element-wise sum of two or more earlier layers of equal shape (a residual connection). */
export interface AddLayer { kind: 'add'; id: string; inputs: string[] }
/** Two or more earlier layers side by side on the channel axis (maps of equal H and W, or vectors): Inception and DenseNet blocks. */
export interface ConcatLayer { kind: 'concat'; id: string; inputs: string[] }
/** A layer that reads several earlier layers by name (`inputs`) instead of one (`from`). */
export type MergeLayer = AddLayer | ConcatLayer;
export const isMergeLayer = (layer: LayerSpec): layer is MergeLayer => layer.kind === 'add' || layer.kind === 'concat';

export type LayerSpec =
  | DenseLayer
  | Conv2dLayer
  | DepthwiseConv2dLayer
  | PoolLayer
  | GlobalAvgPoolLayer
  | FlattenLayer
  | ReluLayer
  | ActivationLayer
  | BatchNormLayer
  | DropoutLayer
  | PadLayer
  | AddLayer
  | ConcatLayer;

export type LayerKind = LayerSpec['kind'];

/** Shape without the batch axis: [H, W, C] for maps, [N] for vectors. */
export type Shape = number[];

export interface ArchitectureSpec {
  name: string;
  /** [H, W, C] of one input image. */
  inputShape: [number, number, number];
  /** The last layer's output is the logits: a dense layer with one unit per class. */
  layers: LayerSpec[];
}

/** Per-layer facts computed from a spec without building a model (see shapes.ts). */
export interface LayerInfo {
  id: string;
  kind: LayerKind;
  outputShape: Shape;
  /** Trainable plus non-trainable parameters (batch-norm moving statistics count). */
  params: number;
  /** Multiply-accumulates counted as 2 FLOPs, for one sample in inference. */
  flops: number;
}

export interface ArchitectureSummary {
  layers: LayerInfo[];
  params: number;
  /** float32 bytes of all parameters. */
  bytes: number;
  flops: number;
  outputShape: Shape;
}

/** Thrown by shape inference with the offending layer named. */
export class ArchitectureError extends Error {
  constructor(message: string, readonly layerId?: string) {
    super(message);
    this.name = 'ArchitectureError';
  }
}

/**
 * Trained weights of one layer in the order of tfjs `layer.getWeights()`
 * (dense: kernel [in, units], bias; conv2d: kernel [kh, kw, in, out] (HWIO), bias unless useBias is
 * false; depthwiseConv2d: kernel [kh, kw, C, 1], bias unless useBias is false;
 * batchNorm: gamma, beta, movingMean, movingVariance). Used by the teacher cache,
 * the page's export and the ONNX writer.
 */
export interface LayerWeights {
  layerId: string;
  tensors: { shape: number[]; values: Float32Array }[];
}

/**
 * Architectures are data: a list of layers built into a tfjs model (see builder.ts).
 * Shapes follow tfjs: images are [H, W, C] (NHWC without the batch axis).
 * Every layer has a stable `id` that names the tfjs layer, so taps (guide/guided layers),
 * adapters and the ONNX exporter can refer to it.
 */

export type Padding = 'same' | 'valid';

export interface DenseLayer { kind: 'dense'; id: string; units: number }
export interface Conv2dLayer {
  kind: 'conv2d';
  id: string;
  filters: number;
  kernelSize: number;
  strides: number;
  padding: Padding;
}
export interface PoolLayer {
  kind: 'maxPool' | 'avgPool';
  id: string;
  poolSize: number;
  strides: number;
  padding: Padding;
}
export interface FlattenLayer { kind: 'flatten'; id: string }
export interface ReluLayer { kind: 'relu'; id: string }
export interface BatchNormLayer { kind: 'batchNorm'; id: string; epsilon: number; momentum: number }
export interface DropoutLayer { kind: 'dropout'; id: string; rate: number }

export type LayerSpec =
  | DenseLayer
  | Conv2dLayer
  | PoolLayer
  | FlattenLayer
  | ReluLayer
  | BatchNormLayer
  | DropoutLayer;

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
 * (dense: kernel [in, units], bias; conv2d: kernel [kh, kw, in, out] (HWIO), bias;
 * batchNorm: gamma, beta, movingMean, movingVariance). Used by the teacher cache,
 * the page's export and the ONNX writer.
 */
export interface LayerWeights {
  layerId: string;
  tensors: { shape: number[]; values: Float32Array }[];
}

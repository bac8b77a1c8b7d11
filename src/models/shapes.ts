import {
  ArchitectureError,
  type ArchitectureSpec,
  type ArchitectureSummary,
  type LayerInfo,
  type LayerSpec,
  type Padding,
  type Shape,
  PAD_FILLS,
} from './spec';
import { INPUT_LAYER_NAME, layerInputs } from './wiring';

export { INPUT_LAYER_NAME } from './wiring';

/**
 * Shape inference, parameter and FLOP counting without building a tfjs model.
 *
 * FLOP convention (one sample, inference):
 * - dense and conv2d: 2 FLOPs per multiply-accumulate; bias adds are not counted (they fold into
 *   the accumulation, as in most published counts).
 * - relu: 1 per output element. batchNorm: 2 per element (it folds to one scale and one shift).
 * - max/avg pooling: poolSize^2 per output element (one compare or add per window entry).
 * - flatten, dropout, pad and concat: 0 (a reshape, the identity in inference, copies).
 * - depthwiseConv2d: k*k MACs per output element (k*k*C per output pixel), 2 FLOPs each.
 * - globalAvgPool: 1 per input element (the sum; the division per channel is not counted).
 * - add: 1 per output element per input beyond the first.
 * - activation: relu6 1 per element (a clip, like relu); sigmoid 4 (negate, exp, add, divide).
 */

const BYTES_PER_FLOAT32 = 4;
const LAYER_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

const product = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/** tfjs output length of a window op along one spatial axis. */
export function windowOutputSize(inputSize: number, window: number, stride: number, padding: Padding): number {
  return padding === 'same'
    ? Math.ceil(inputSize / stride)
    : Math.floor((inputSize - window) / stride) + 1;
}

function fail(layer: LayerSpec, message: string): never {
  throw new ArchitectureError(`Layer '${layer.id}' (${layer.kind}): ${message}`, layer.id);
}

function requirePositiveInteger(layer: LayerSpec, field: string, value: number): void {
  if (!isPositiveInteger(value)) {
    fail(layer, `${field} must be a positive integer (got ${value}); set it to 1 or more.`);
  }
}

function requireMap(layer: LayerSpec, input: Shape): [number, number, number] {
  if (input.length !== 3) {
    fail(layer, `expects an image map [H, W, C] but receives a vector [${input.join(', ')}]; ` +
      `move it before the flatten layer or use a dense layer instead.`);
  }
  return [input[0], input[1], input[2]];
}

function windowedShape(
  layer: LayerSpec, input: [number, number, number], window: number, stride: number, padding: Padding, channels: number,
): Shape {
  const [h, w] = input;
  const outH = windowOutputSize(h, window, stride, padding);
  const outW = windowOutputSize(w, window, stride, padding);
  if (outH < 1 || outW < 1) {
    fail(layer, `a ${window}x${window} window on a ${h}x${w} map leaves no output; ` +
      `use padding 'same', a smaller window, or remove a downsampling layer before it.`);
  }
  return [outH, outW, channels];
}

const ACTIVATION_FLOPS = { relu6: 1, sigmoid: 4 } as const;

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((size, i) => size === b[i]);

function addInfo(layer: Extract<LayerSpec, { kind: 'add' }>, inputs: Shape[]): LayerInfo {
  const [first, ...rest] = inputs;
  rest.forEach((shape, i) => {
    if (!sameShape(first, shape)) {
      fail(layer, `its inputs must have equal shapes, but '${layer.inputs[0]}' is [${first.join(', ')}] and ` +
        `'${layer.inputs[i + 1]}' is [${shape.join(', ')}]; add a 1x1 conv (with the same strides) on the shortcut.`);
    }
  });
  return { id: layer.id, kind: layer.kind, outputShape: [...first], params: 0, flops: rest.length * product(first) };
}

/** Channels side by side: maps must agree in height and width (vectors have only the feature axis). */
function concatInfo(layer: Extract<LayerSpec, { kind: 'concat' }>, inputs: Shape[]): LayerInfo {
  const [first] = inputs;
  inputs.forEach((shape, i) => {
    if (shape.length !== first.length || !sameShape(shape.slice(0, -1), first.slice(0, -1))) {
      fail(layer, `its inputs must agree in all but the channel axis, but '${layer.inputs[0]}' is [${first.join(', ')}] and ` +
        `'${layer.inputs[i]}' is [${shape.join(', ')}]; pool or stride the larger one to the same height and width.`);
    }
  });
  const channels = inputs.reduce((sum, shape) => sum + shape[shape.length - 1], 0);
  return { id: layer.id, kind: layer.kind, outputShape: [...first.slice(0, -1), channels], params: 0, flops: 0 };
}

function layerInfo(layer: Exclude<LayerSpec, { kind: 'add' | 'concat' }>, input: Shape): LayerInfo {
  const base = { id: layer.id, kind: layer.kind };
  switch (layer.kind) {
    case 'dense': {
      requirePositiveInteger(layer, 'units', layer.units);
      if (input.length !== 1) {
        fail(layer, `expects a vector but receives a map [${input.join(', ')}]; ` +
          `insert a flatten before dense layer '${layer.id}'.`);
      }
      const inputUnits = input[0];
      return {
        ...base,
        outputShape: [layer.units],
        params: inputUnits * layer.units + layer.units,
        flops: 2 * inputUnits * layer.units,
      };
    }
    case 'conv2d': {
      requirePositiveInteger(layer, 'filters', layer.filters);
      requirePositiveInteger(layer, 'kernelSize', layer.kernelSize);
      requirePositiveInteger(layer, 'strides', layer.strides);
      const map = requireMap(layer, input);
      const outputShape = windowedShape(layer, map, layer.kernelSize, layer.strides, layer.padding, layer.filters);
      const macsPerOutput = layer.kernelSize * layer.kernelSize * map[2];
      return {
        ...base,
        outputShape,
        params: macsPerOutput * layer.filters + (layer.useBias === false ? 0 : layer.filters),
        flops: 2 * macsPerOutput * product(outputShape),
      };
    }
    case 'depthwiseConv2d': {
      requirePositiveInteger(layer, 'kernelSize', layer.kernelSize);
      requirePositiveInteger(layer, 'strides', layer.strides);
      const map = requireMap(layer, input);
      const outputShape = windowedShape(layer, map, layer.kernelSize, layer.strides, layer.padding, map[2]);
      const taps = layer.kernelSize * layer.kernelSize;
      return {
        ...base,
        outputShape,
        params: taps * map[2] + (layer.useBias === false ? 0 : map[2]),
        flops: 2 * taps * product(outputShape),
      };
    }
    case 'globalAvgPool': {
      const map = requireMap(layer, input);
      return { ...base, outputShape: [map[2]], params: 0, flops: product(map) };
    }
    case 'activation':
      if (!(layer.fn in ACTIVATION_FLOPS)) {
        fail(layer, `unknown activation '${String(layer.fn)}'; use one of: ${Object.keys(ACTIVATION_FLOPS).join(', ')}.`);
      }
      return { ...base, outputShape: [...input], params: 0, flops: ACTIVATION_FLOPS[layer.fn] * product(input) };
    case 'maxPool':
    case 'avgPool': {
      requirePositiveInteger(layer, 'poolSize', layer.poolSize);
      requirePositiveInteger(layer, 'strides', layer.strides);
      const map = requireMap(layer, input);
      const outputShape = windowedShape(layer, map, layer.poolSize, layer.strides, layer.padding, map[2]);
      return { ...base, outputShape, params: 0, flops: layer.poolSize * layer.poolSize * product(outputShape) };
    }
    case 'flatten':
      if (input.length === 1) fail(layer, 'its input is already a vector; remove this flatten layer.');
      return { ...base, outputShape: [product(input)], params: 0, flops: 0 };
    case 'relu':
      return { ...base, outputShape: [...input], params: 0, flops: product(input) };
    case 'batchNorm': {
      if (!(layer.epsilon > 0)) fail(layer, `epsilon must be positive (got ${layer.epsilon}); 0.001 is usual.`);
      if (!(layer.momentum >= 0 && layer.momentum < 1)) {
        fail(layer, `momentum must be in [0, 1) (got ${layer.momentum}); 0.99 is usual.`);
      }
      const channels = input[input.length - 1];
      // gamma, beta, moving mean, moving variance: one each per channel.
      return { ...base, outputShape: [...input], params: 4 * channels, flops: 2 * product(input) };
    }
    case 'pad': {
      const map = requireMap(layer, input);
      if (!Array.isArray(layer.pads) || layer.pads.length !== 4 || !layer.pads.every((p) => Number.isInteger(p) && p >= 0)) {
        fail(layer, 'pads must be four whole numbers >= 0: [top, bottom, left, right].');
      }
      if (!(PAD_FILLS as readonly string[]).includes(layer.fill)) fail(layer, `fill must be one of: ${PAD_FILLS.join(', ')}.`);
      const [top, bottom, left, right] = layer.pads;
      return { ...base, outputShape: [map[0] + top + bottom, map[1] + left + right, map[2]], params: 0, flops: 0 };
    }
    case 'dropout':
      if (!(layer.rate >= 0 && layer.rate < 1)) {
        fail(layer, `rate must be in [0, 1) (got ${layer.rate}); use a value like 0.5.`);
      }
      return { ...base, outputShape: [...input], params: 0, flops: 0 };
    default: {
      const unknown: never = layer;
      throw new ArchitectureError(`Unknown layer kind in ${JSON.stringify(unknown)}.`);
    }
  }
}

function checkInputShape(spec: ArchitectureSpec): void {
  const shape = spec.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every(isPositiveInteger)) {
    throw new ArchitectureError(
      `Architecture '${spec.name}': inputShape must be [H, W, C] of positive integers (got ${JSON.stringify(shape)}).`,
    );
  }
}

function checkIds(spec: ArchitectureSpec): void {
  const seen = new Set<string>();
  for (const layer of spec.layers) {
    if (!LAYER_ID_PATTERN.test(layer.id)) {
      throw new ArchitectureError(
        `Layer id '${layer.id}' is not valid: start with a letter and use only letters, digits, '_' or '-'.`,
        layer.id,
      );
    }
    if (layer.id === INPUT_LAYER_NAME) {
      throw new ArchitectureError(`Layer id '${INPUT_LAYER_NAME}' is reserved for the model input; rename the layer.`, layer.id);
    }
    if (seen.has(layer.id)) {
      throw new ArchitectureError(`Two layers share the id '${layer.id}'; give each layer a unique id.`, layer.id);
    }
    seen.add(layer.id);
  }
}

/**
 * Per-layer output shapes, parameters and FLOPs. Throws an ArchitectureError naming the first
 * offending layer and what to change.
 */
export function summarizeArchitecture(spec: ArchitectureSpec): ArchitectureSummary {
  checkInputShape(spec);
  if (spec.layers.length === 0) {
    throw new ArchitectureError(`Architecture '${spec.name}' has no layers; add a flatten and a dense output layer.`);
  }
  checkIds(spec);
  const layers: LayerInfo[] = [];
  const shapes = new Map<string, Shape>([[INPUT_LAYER_NAME, [...spec.inputShape]]]);
  const inputs = layerInputs(spec);
  let shape: Shape = [...spec.inputShape];
  spec.layers.forEach((layer, i) => {
    const inputShapes = inputs[i].map((id) => shapes.get(id) as Shape);
    const info = layer.kind === 'add' ? addInfo(layer, inputShapes) : layer.kind === 'concat' ? concatInfo(layer, inputShapes) : layerInfo(layer, inputShapes[0]);
    layers.push(info);
    shapes.set(layer.id, info.outputShape);
    shape = info.outputShape;
  });
  const last = spec.layers[spec.layers.length - 1];
  if (last.kind !== 'dense') {
    throw new ArchitectureError(
      `The last layer '${last.id}' is a ${last.kind} layer, but the output must be logits: ` +
      `end with a dense layer with one unit per class.`,
      last.id,
    );
  }
  const params = layers.reduce((sum, info) => sum + info.params, 0);
  return {
    layers,
    params,
    bytes: params * BYTES_PER_FLOAT32,
    flops: layers.reduce((sum, info) => sum + info.flops, 0),
    outputShape: shape,
  };
}

/** The summary, or the error that prevents one (for forms that show problems instead of throwing). */
export function trySummarizeArchitecture(
  spec: ArchitectureSpec,
): { ok: true; summary: ArchitectureSummary } | { ok: false; error: ArchitectureError } {
  try {
    return { ok: true, summary: summarizeArchitecture(spec) };
  } catch (error) {
    if (error instanceof ArchitectureError) return { ok: false, error };
    throw error;
  }
}

/** Output shape (without the batch axis) of one layer; throws if the spec is invalid or the id unknown. */
export function layerOutputShape(spec: ArchitectureSpec, layerId: string): Shape {
  const info = summarizeArchitecture(spec).layers.find((layer) => layer.id === layerId);
  if (!info) {
    const ids = spec.layers.map((layer) => layer.id).join(', ');
    throw new ArchitectureError(`Architecture '${spec.name}' has no layer '${layerId}'; its layers are: ${ids}.`, layerId);
  }
  return [...info.outputShape];
}

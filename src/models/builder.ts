import * as tf from '@tensorflow/tfjs';
import { ArchitectureError, type ArchitectureSpec, type LayerSpec, type LayerWeights } from './spec';
import { inputConv2d } from './inputConv';
import { prunableDense } from './prunableDense';
import { fastBatchNorm } from './wasm-batch-norm';
import { layerSeed } from './seedHash';
import { BorderPad } from './borderPad';
import { SeededDropout } from './seededDropout';
import { summarizeArchitecture } from './shapes';
import { ancestorIds, INPUT_LAYER_NAME, layerConsumers, layerInputs } from './wiring';

/**
 * Builds tfjs functional models from architecture specs. Every tfjs layer is named by its spec id,
 * so `model.getLayer(id)` works. Outputs are [logits, ...taps].
 *
 * Dropout is active only when the model is applied with `{ training: true }` (tfjs semantics);
 * `predict` and plain `apply` run inference. Its masks are seeded per draw (SeededDropout), so the
 * same seed and data train the same model.
 */

export interface BuildOptions {
  /** Layer ids exposed as extra outputs, in this order after the logits. */
  taps: string[];
  /** Same seed, same initial weights and dropout masks. */
  seed: number;
}

const isReluLike = (layer: LayerSpec): boolean => layer.kind === 'relu' || (layer.kind === 'activation' && layer.fn === 'relu6');
/** Layers a relu's He initialisation looks through: they keep the activation's scale roughly as it is. */
const passesScale = (layer: LayerSpec): boolean => layer.kind === 'batchNorm' || layer.kind === 'dropout' || layer.kind === 'add' || layer.kind === 'pad';

/**
 * He initialisation suits a layer whose output reaches a relu (through batch norm, dropout or a
 * residual add). In a straight stack the only consumer is the next layer, as it always was.
 */
function feedsRelu(layers: LayerSpec[], consumers: number[][], index: number): boolean {
  return consumers[index].some((next) => isReluLike(layers[next]) || (passesScale(layers[next]) && feedsRelu(layers, consumers, next)));
}

type Initializer = ReturnType<typeof tf.initializers.heNormal>;

/** readsImage[i]: layer i's only input is the network's input. */
interface BuildContext { layers: LayerSpec[]; consumers: number[][]; readsImage: boolean[]; seed: number }

function kernelInitializer(context: BuildContext, index: number): Initializer {
  const options = { seed: layerSeed(context.seed, index) };
  return feedsRelu(context.layers, context.consumers, index) ? tf.initializers.heNormal(options) : tf.initializers.glorotUniform(options);
}

function createLayer(context: BuildContext, index: number): tf.layers.Layer {
  const layer = context.layers[index];
  const seed = context.seed;
  const name = layer.id;
  switch (layer.kind) {
    case 'dense':
      return prunableDense({ name, units: layer.units, kernelInitializer: kernelInitializer(context, index) });
    case 'conv2d':
      // The first convolution's input gradient is never needed (inputConv.ts).
      return (context.readsImage[index] ? inputConv2d : tf.layers.conv2d)({
        name,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: layer.padding,
        useBias: layer.useBias ?? true,
        kernelInitializer: kernelInitializer(context, index),
      });
    case 'depthwiseConv2d':
      return tf.layers.depthwiseConv2d({
        name,
        kernelSize: layer.kernelSize,
        depthMultiplier: 1,
        strides: layer.strides,
        padding: layer.padding,
        useBias: layer.useBias ?? true,
        depthwiseInitializer: kernelInitializer(context, index),
      });
    case 'globalAvgPool':
      return tf.layers.globalAveragePooling2d({ name });
    case 'activation':
      return tf.layers.activation({ name, activation: layer.fn });
    case 'add':
      return tf.layers.add({ name });
    case 'concat':
      return tf.layers.concatenate({ name, axis: -1 });
    case 'maxPool':
      return tf.layers.maxPooling2d({ name, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding });
    case 'avgPool':
      return tf.layers.averagePooling2d({ name, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'relu':
      return tf.layers.activation({ name, activation: 'relu' });
    case 'batchNorm':
      return fastBatchNorm({ name, axis: -1, epsilon: layer.epsilon, momentum: layer.momentum });
    case 'pad':
      return new BorderPad({ name, pads: layer.pads, fill: layer.fill });
    case 'dropout':
      return new SeededDropout({ name, rate: layer.rate, seed: layerSeed(seed, index) });
    default: {
      const unknown: never = layer;
      throw new ArchitectureError(`Unknown layer kind in ${JSON.stringify(unknown)}.`);
    }
  }
}

function checkTaps(spec: ArchitectureSpec, taps: string[]): void {
  const ids = new Set(spec.layers.map((layer) => layer.id));
  const seen = new Set<string>();
  for (const tap of taps) {
    if (!ids.has(tap)) {
      throw new ArchitectureError(
        `Cannot tap layer '${tap}': architecture '${spec.name}' has no such layer (layers: ${[...ids].join(', ')}).`,
        tap,
      );
    }
    if (seen.has(tap)) throw new ArchitectureError(`Layer '${tap}' is tapped twice; list each tap once.`, tap);
    seen.add(tap);
  }
}

/** Builds the functional model [logits, ...taps]. Validates the spec first (ArchitectureError). */
export function buildModel(spec: ArchitectureSpec, options: BuildOptions): tf.LayersModel {
  summarizeArchitecture(spec);
  checkTaps(spec, options.taps);
  const input = tf.input({ shape: [...spec.inputShape], name: INPUT_LAYER_NAME });
  const outputsById = new Map<string, tf.SymbolicTensor>([[INPUT_LAYER_NAME, input]]);
  const inputs = layerInputs(spec);
  const readsImage = inputs.map((ids) => ids.length === 1 && ids[0] === INPUT_LAYER_NAME);
  const context: BuildContext = { layers: spec.layers, consumers: layerConsumers(spec), readsImage, seed: options.seed };
  let current: tf.SymbolicTensor = input;
  spec.layers.forEach((layer, index) => {
    const from = inputs[index].map((id) => outputsById.get(id) as tf.SymbolicTensor);
    current = createLayer(context, index).apply(from.length === 1 ? from[0] : from) as tf.SymbolicTensor;
    outputsById.set(layer.id, current);
  });
  const logits = current;
  // tfjs cannot list one symbolic tensor twice among the outputs: a tap on the logits layer gets
  // an identity copy (its name has a '.', which layer ids cannot have, so it never collides).
  const tapOutputs = options.taps.map((id) => {
    const output = outputsById.get(id) as tf.SymbolicTensor;
    return output === logits
      ? tf.layers.activation({ name: `${id}.tap`, activation: 'linear' }).apply(output) as tf.SymbolicTensor
      : output;
  });
  return tf.model({ inputs: input, outputs: [logits, ...tapOutputs], name: spec.name });
}

/** The outputs of one forward pass of a model built with `taps`. */
export interface TappedOutputs {
  logits: tf.Tensor;
  /** Tap layer id -> its output [B, ...shape]. */
  features: Map<string, tf.Tensor>;
}

/**
 * Applies a model built by buildModel and names its outputs. tfjs returns a bare tensor for a
 * single-output model and an array otherwise; this hides that difference. `training` turns on
 * dropout and batch statistics (and the moving-statistics update) of batch norm.
 */
export function applyWithTaps(model: tf.LayersModel, input: tf.Tensor, taps: string[], training: boolean): TappedOutputs {
  const result = model.apply(input, { training });
  const outputs = Array.isArray(result) ? result : [result];
  if (outputs.length !== taps.length + 1) {
    throw new Error(`Model '${model.name}' has ${outputs.length} outputs but ${taps.length} taps were named; ` +
      `pass the taps the model was built with.`);
  }
  const tensors = outputs as tf.Tensor[];
  return { logits: tensors[0], features: new Map(taps.map((id, i) => [id, tensors[i + 1]])) };
}

const hasWeights = (layer: LayerSpec): boolean =>
  layer.kind === 'dense' || layer.kind === 'conv2d' || layer.kind === 'depthwiseConv2d' || layer.kind === 'batchNorm';

/** Ids of the layers that hold weights, in spec order: what a complete set of LayerWeights covers. */
export const weightedLayerIds = (spec: ArchitectureSpec): string[] => spec.layers.filter(hasWeights).map((layer) => layer.id);

function specLayer(model: tf.LayersModel, layerId: string): tf.layers.Layer {
  try {
    return model.getLayer(layerId);
  } catch {
    throw new ArchitectureError(`Model '${model.name}' has no layer '${layerId}'; was it built from this spec?`, layerId);
  }
}

/**
 * Weights of every layer that has any, in spec order, each in `layer.getWeights()` order
 * (dense/conv: kernel, bias (if any); batchNorm: gamma, beta, movingMean, movingVariance).
 * Reads synchronously: for export and caching, never inside a training loop.
 */
export function getLayerWeights(model: tf.LayersModel, spec: ArchitectureSpec): LayerWeights[] {
  return spec.layers.filter(hasWeights).map((layer) => ({
    layerId: layer.id,
    tensors: specLayer(model, layer.id).getWeights().map((tensor) => ({
      shape: [...tensor.shape],
      values: Float32Array.from(tensor.dataSync()),
    })),
  }));
}

/** Same as getLayerWeights, but reads with `await data()` (no blocking read on GPU backends). */
export async function getLayerWeightsAsync(model: tf.LayersModel, spec: ArchitectureSpec): Promise<LayerWeights[]> {
  const result: LayerWeights[] = [];
  for (const layer of spec.layers.filter(hasWeights)) {
    const tensors: LayerWeights['tensors'] = [];
    for (const tensor of specLayer(model, layer.id).getWeights()) {
      tensors.push({ shape: [...tensor.shape], values: Float32Array.from(await tensor.data()) });
    }
    result.push({ layerId: layer.id, tensors });
  }
  return result;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((size, i) => size === b[i]);

/**
 * Writes weights produced by getLayerWeights. Every entry is checked (layer exists, tensor count,
 * shapes, value counts) before anything is written, so a bad set changes nothing.
 */
export function setLayerWeights(model: tf.LayersModel, weights: LayerWeights[]): void {
  for (const entry of weights) {
    const expected = specLayer(model, entry.layerId).weights;
    if (expected.length !== entry.tensors.length) {
      throw new ArchitectureError(
        `Layer '${entry.layerId}' has ${expected.length} weight tensors but ${entry.tensors.length} were given; ` +
        `the weights come from a different architecture.`,
        entry.layerId,
      );
    }
    entry.tensors.forEach((tensor, i) => {
      const shape = expected[i].shape.map((size) => size ?? -1);
      const count = shape.reduce((a, b) => a * b, 1);
      if (!sameShape(shape, tensor.shape) || tensor.values.length !== count) {
        throw new ArchitectureError(
          `Layer '${entry.layerId}' weight ${i} (${expected[i].originalName}) has shape [${shape.join(', ')}] but ` +
          `[${tensor.shape.join(', ')}] with ${tensor.values.length} values was given; the weights come from a different architecture.`,
          entry.layerId,
        );
      }
    });
  }
  for (const entry of weights) {
    const tensors = entry.tensors.map((t) => tf.tensor(t.values, t.shape, 'float32'));
    try {
      specLayer(model, entry.layerId).setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }
}

/**
 * The trainable variables of the layers that feed `layerId`, itself included (FitNet stage 1), in
 * spec order, or of all layers when `layerId` is null. In a straight stack these are the layers
 * up to and including it.
 */
export function trainableVariablesUpTo(
  model: tf.LayersModel, spec: ArchitectureSpec, layerId: string | null,
): tf.Variable[] {
  let included = (_layer: LayerSpec): boolean => true;
  if (layerId !== null) {
    if (!spec.layers.some((layer) => layer.id === layerId)) {
      throw new ArchitectureError(`Cannot train up to '${layerId}': architecture '${spec.name}' has no such layer.`, layerId);
    }
    const feeding = ancestorIds(spec, layerId);
    included = (layer) => feeding.has(layer.id);
  }
  const variables: tf.Variable[] = [];
  for (const layer of spec.layers.filter(included)) {
    for (const weight of specLayer(model, layer.id).trainableWeights) {
      const variable = weight.read();
      if (!(variable instanceof tf.Variable)) {
        throw new Error(`Weight '${weight.name}' of layer '${layer.id}' is not backed by a tf.Variable.`);
      }
      variables.push(variable);
    }
  }
  return variables;
}

import * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec, LayerSpec } from '../models/spec';
import { INPUT_LAYER_NAME, layerInputs } from '../models/wiring';
import { fakeQuantize, fakeQuantizeActivation, fakeQuantizeWeight, ACTIVATION_QMAX, ACTIVATION_QMIN, type ActivationQuant } from './fakeQuant';
import { rangeParams, type RangeObserver } from './rangeObserver';

/**
 * A forward pass of a studio network (built by models/builder.ts) with INT8 fake quantisation,
 * walking the spec's layer list and reusing the model's own weights and layers: dense, conv and
 * depthwise layers are recomputed from fake-quantised kernels (bias stays float), every other layer
 * is the model's tfjs layer applied as is (batch norm, dropout, pools, add...).
 *
 * Activation quantisation points: the image and the output of every layer but the last (the
 * logits stay float). The ONNX QDQ exporter puts a QuantizeLinear/DequantizeLinear pair at the
 * same points, so the two agree.
 */

export type ActivationMode =
  /** No activation quantisation (weights only, or plain float when `quantizeWeights` is false). */
  | { kind: 'float' }
  /** Calibration: a float forward pass that records each point's running min and max. */
  | { kind: 'observe'; observer: RangeObserver }
  /** QAT: each point's range is an EMA of the batch ranges, and the activation is fake-quantised with it. */
  | { kind: 'ema'; observer: RangeObserver; momentum: number }
  /** Inference with frozen INT8 parameters (PTQ, QAT evaluation, export parity). */
  | { kind: 'fixed'; params: ReadonlyMap<string, ActivationQuant> };

export interface QuantForwardOptions {
  quantizeWeights: boolean;
  activations: ActivationMode;
  /** tfjs training mode: dropout on, batch statistics (and their moving update) in batch norm. */
  training: boolean;
  /** Layer ids returned after the logits. */
  taps?: readonly string[];
}

/** The id of each activation quantisation point of a spec, in order: the image, then every layer but the last (pads aside: see quantizedForward). */
export function activationPoints(spec: ArchitectureSpec): string[] {
  return [INPUT_LAYER_NAME, ...spec.layers.slice(0, -1).filter((layer) => layer.kind !== 'pad').map((layer) => layer.id)];
}

/** The axis of a tfjs kernel that holds the output channels (per-channel scales run along it). */
export function kernelChannelAxis(layer: LayerSpec): number {
  if (layer.kind === 'dense') return 1; // [in, units]
  if (layer.kind === 'conv2d') return 3; // HWIO
  if (layer.kind === 'depthwiseConv2d') return 2; // [kh, kw, C, 1]
  throw new Error(`Layer '${layer.id}' (${layer.kind}) has no kernel to quantise.`);
}

function quantizePoint(id: string, x: tf.Tensor, mode: ActivationMode): tf.Tensor {
  switch (mode.kind) {
    case 'float':
      return x;
    case 'observe':
      mode.observer.observe(id, x, { kind: 'minMax' }).dispose();
      return x;
    case 'ema': {
      const range = mode.observer.observe(id, x, { kind: 'ema', momentum: mode.momentum });
      const { scale, zeroPoint } = rangeParams(range);
      range.dispose();
      return fakeQuantize(x, scale, zeroPoint, ACTIVATION_QMIN, ACTIVATION_QMAX);
    }
    case 'fixed': {
      const params = mode.params.get(id);
      if (!params) throw new Error(`No INT8 range for '${id}': calibrate the model (or train it with QAT) first.`);
      return fakeQuantizeActivation(x, params);
    }
  }
}

function kernelOf(model: tf.LayersModel, layer: LayerSpec, quantize: boolean): { kernel: tf.Tensor; bias: tf.Tensor | null } {
  const weights = model.getLayer(layer.id).weights.map((weight) => weight.read());
  const kernel = quantize ? fakeQuantizeWeight(weights[0], kernelChannelAxis(layer)) : weights[0];
  return { kernel, bias: weights[1] ?? null };
}

function applyLayer(model: tf.LayersModel, layer: LayerSpec, inputs: tf.Tensor[], options: QuantForwardOptions): tf.Tensor {
  const x = inputs[0];
  if (layer.kind === 'dense' || layer.kind === 'conv2d' || layer.kind === 'depthwiseConv2d') {
    const { kernel, bias } = kernelOf(model, layer, options.quantizeWeights);
    let out: tf.Tensor;
    if (layer.kind === 'dense') out = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
    else if (layer.kind === 'conv2d') out = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, layer.strides, layer.padding);
    else out = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, layer.strides, layer.padding);
    return bias ? tf.add(out, bias) : out;
  }
  const output = model.getLayer(layer.id).apply(inputs.length === 1 ? x : inputs, { training: options.training });
  return output as tf.Tensor;
}

/** [logits, ...taps] of one forward pass. Call inside tf.tidy (or a gradient function). */
export function quantizedForward(model: tf.LayersModel, spec: ArchitectureSpec, xs: tf.Tensor, options: QuantForwardOptions): tf.Tensor[] {
  const inputs = layerInputs(spec);
  const last = spec.layers.length - 1;
  const outputs = new Map<string, tf.Tensor>([[INPUT_LAYER_NAME, quantizePoint(INPUT_LAYER_NAME, xs, options.activations)]]);
  spec.layers.forEach((layer, index) => {
    const output = applyLayer(model, layer, inputs[index].map((id) => outputs.get(id) as tf.Tensor), options);
    // A pad layer's output is its input plus a border (of -Infinity before a max pool, which has no
    // INT8 code); its reader's output is quantised, as in the QDQ export, where the pad folds into it.
    outputs.set(layer.id, index === last || layer.kind === 'pad' ? output : quantizePoint(layer.id, output, options.activations));
  });
  const taps = (options.taps ?? []).map((id) => {
    const tapped = outputs.get(id);
    if (!tapped || id === INPUT_LAYER_NAME) throw new Error(`Cannot tap '${id}': architecture '${spec.name}' has no such layer.`);
    return tapped;
  });
  return [outputs.get(spec.layers[last].id) as tf.Tensor, ...taps];
}

/** Inference-mode INT8 logits with frozen activation parameters (disposes everything else). */
export function int8Logits(model: tf.LayersModel, spec: ArchitectureSpec, params: ReadonlyMap<string, ActivationQuant>, xs: tf.Tensor): tf.Tensor {
  return tf.tidy(() => quantizedForward(model, spec, xs, { quantizeWeights: true, activations: { kind: 'fixed', params }, training: false })[0]);
}

import { nchwFlattenOrder, oihwToHwio, onnxPads } from '../export/layout';
import type { onnx } from '../export/onnxProto';
import { summarizeArchitecture } from '../models/shapes';
import type { ArchitectureSpec, LayerSpec, LayerWeights, PadFill, Padding } from '../models/spec';
import { INPUT_LAYER_NAME } from '../models/wiring';
import { readGraph, type ImportExpectation } from './onnxGraphReader';
import { OnnxImportError } from './onnxImportError';
import { floatAttr, intAttr, intsAttr, stringAttr, transpose2d, type ConstTensor } from './onnxTensors';

/**
 * An ONNX classifier as the studio's own ArchitectureSpec plus tfjs weights (NHWC, HWIO kernels),
 * so an imported teacher is a normal frozen network. Each layer's id derives from the ONNX tensor
 * it computes, so the model's intermediate outputs are the guide layers offered.
 */

export interface GuideLayer { layerId: string; onnxName: string; shape: number[] }

export interface OnnxImportSummary {
  opset: number;
  irVersion: number;
  producer: string;
  inputName: string;
  inputDims: (number | string)[];
  layout: 'nchw' | 'nhwc';
  outputName: string;
  classes: number;
  /** A trailing Softmax was dropped: its input is the logits the studio distils from. */
  softmaxDropped: boolean;
  params: number;
  ops: string[];
  guides: GuideLayer[];
}

export interface ConvertedTeacher { spec: ArchitectureSpec; weights: LayerWeights[]; summary: OnnxImportSummary }

/**
 * A converted tensor: the layer computing it and its tfjs shape (maps are NHWC in tfjs whatever the
 * ONNX layout). `nhwc`: the ONNX tensor's own axes are N, H, W, C (an NHWC image input, or a map
 * transposed back, as tf2onnx does before a flatten); otherwise a map is NCHW in ONNX. `order`: for
 * a vector flattened from an NCHW map, ONNX feature i's tfjs index.
 */
interface Value { layer: string; shape: number[]; order?: Int32Array; nhwc?: boolean }

/** ONNX pads [top, left, bottom, right] as a pad layer's [top, bottom, left, right]. */
const padSides = (pads: number[]): [number, number, number, number] => [pads[0], pads[2], pads[1], pads[3]];

const NCHW_TO_NHWC = '0,2,3,1';
const NHWC_TO_NCHW = '0,3,1,2';

export function convertOnnxTeacher(bytes: Uint8Array, expect: ImportExpectation, name = 'ONNX teacher'): ConvertedTeacher {
  const read = readGraph(bytes, expect);
  const { constants, nodes } = read;
  const layers: LayerSpec[] = [];
  const weights = new Map<string, LayerWeights>();
  const onnxNames = new Map<string, string>();
  const values = new Map<string, Value>();
  const usedIds = new Set([INPUT_LAYER_NAME]);
  const consumers = new Map<string, number>();
  for (const node of nodes) for (const input of node.input ?? []) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  /** MatMul dense layers whose bias a following Add may still fill in. */
  const openBias = new Set<string>();
  let softmaxDropped = false;
  const [h0, w0, c0] = expect.shape;
  values.set(read.inputName, { layer: INPUT_LAYER_NAME, shape: [h0, w0, c0], nhwc: read.layout === 'nhwc' });

  const nodeName = (node: onnx.INodeProto): string => node.name || (node.output ?? [])[0] || node.opType || '?';
  const attributeError = (node: onnx.INodeProto, attribute: string, why: string): OnnxImportError =>
    new OnnxImportError('unsupportedAttributes', `${node.opType} node '${nodeName(node)}': ${why}.`, { node: nodeName(node), op: node.opType ?? '', attribute });
  const value = (node: onnx.INodeProto, index: number): Value => {
    const found = values.get((node.input ?? [])[index] ?? '');
    if (!found) throw attributeError(node, 'input', `input ${index} is not a tensor computed from the image (a constant where a feature map is needed)`);
    return found;
  };
  const constant = (node: onnx.INodeProto, index: number): ConstTensor => {
    const found = constants.get((node.input ?? [])[index] ?? '');
    if (!found) throw attributeError(node, 'input', `input ${index} must be a constant (an initializer)`);
    return found;
  };
  const floats = (tensor: ConstTensor): Float32Array => Float32Array.from(tensor.values);
  const isMap = (v: Value): boolean => v.shape.length === 3;
  const requireMap = (node: onnx.INodeProto, v: Value): [number, number, number] => {
    if (!isMap(v)) throw attributeError(node, 'input', 'needs a feature map [N, C, H, W]');
    if (v.nhwc) throw attributeError(node, 'input', 'reads an NHWC tensor; ONNX convolves and pools NCHW maps (a Transpose with perm [0, 3, 1, 2] comes first)');
    return v.shape as [number, number, number];
  };
  const newId = (onnxName: string): string => {
    let base = onnxName.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    if (!/^[A-Za-z]/.test(base)) base = `onnx_${base}`;
    let id = base;
    for (let i = 2; usedIds.has(id); i++) id = `${base}_${i}`;
    usedIds.add(id);
    return id;
  };
  const addLayer = (node: onnx.INodeProto, make: (id: string) => LayerSpec, shape: number[], tensors: LayerWeights['tensors'] = [], extra: Partial<Value> = {}): string => {
    const onnxName = (node.output ?? [])[0] ?? nodeName(node);
    const layer = make(newId(onnxName));
    layers.push(layer);
    onnxNames.set(layer.id, onnxName);
    if (tensors.length > 0) weights.set(layer.id, { layerId: layer.id, tensors });
    values.set(onnxName, { layer: layer.id, shape, ...extra });
    return layer.id;
  };
  const alias = (node: onnx.INodeProto, v: Value): void => { values.set((node.output ?? [])[0] ?? '', v); };
  /** A pad layer in front of a window op, for ONNX padding that tfjs's 'same' does not place alike. */
  const padBefore = (node: onnx.INodeProto, input: Value, sides: [number, number, number, number] | undefined, fill: PadFill): Value => {
    if (!sides) return input;
    const id = newId(`${(node.output ?? [])[0] ?? nodeName(node)}_pad`);
    layers.push({ kind: 'pad', id, pads: sides, fill, from: input.layer });
    const [h, w, c] = input.shape;
    return { layer: id, shape: [h + sides[0] + sides[1], w + sides[2] + sides[3], c] };
  };
  /**
   * A square window with equal strides and no dilation. Padding tfjs's 'same' places is kept as
   * 'same'; any other padding comes back as `explicit` [top, bottom, left, right] borders, for a pad
   * layer before the window, which then runs 'valid'.
   */
  const windowOf = (node: onnx.INodeProto, input: [number, number, number], kernelDims?: number[]): { k: number; s: number; padding: Padding; explicit?: [number, number, number, number] } => {
    const kernel = intsAttr(node, 'kernel_shape') ?? kernelDims ?? [];
    const strides = intsAttr(node, 'strides') ?? [1, 1];
    if (kernel.length !== 2 || kernel[0] !== kernel[1]) throw attributeError(node, 'kernel_shape', `kernel [${kernel.join(', ')}] is not square`);
    if (strides[0] !== strides[1]) throw attributeError(node, 'strides', `strides [${strides.join(', ')}] differ`);
    if ((intsAttr(node, 'dilations') ?? [1, 1]).some((d) => d !== 1)) throw attributeError(node, 'dilations', 'dilated windows are not supported');
    const [k, s] = [kernel[0], strides[0]];
    const [h, w] = input;
    const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
    const same = onnxPads(h, w, k, s, 'same');
    // SAME_LOWER puts the odd extra row and column before, where TensorFlow's 'same' puts them after.
    const sameLower = [same[2], same[3], same[0], same[1]];
    const pads = autoPad === 'VALID' ? [0, 0, 0, 0] : autoPad === 'SAME_UPPER' ? same : autoPad === 'SAME_LOWER' ? sameLower : intsAttr(node, 'pads') ?? [0, 0, 0, 0];
    if (pads.length !== 4 || pads.some((p) => !(p >= 0))) throw attributeError(node, 'pads', `pads [${pads.join(', ')}] are not four borders >= 0`);
    const padding: Padding = pads.join() === same.join() && pads.some((p) => p > 0) ? 'same' : 'valid';
    const explicit = padding === 'valid' && pads.some((p) => p > 0) ? padSides(pads) : undefined;
    const [paddedH, paddedW] = [h + pads[0] + pads[2], w + pads[1] + pads[3]];
    if (intAttr(node, 'ceil_mode', 0) === 1 && padding === 'valid' && ((paddedH - k) % s !== 0 || (paddedW - k) % s !== 0)) throw attributeError(node, 'ceil_mode', 'ceil_mode changes the output size here');
    return { k, s, padding, ...(explicit ? { explicit } : {}) };
  };
  const windowShape = (input: number[], k: number, s: number, padding: Padding, channels: number): number[] =>
    input.slice(0, 2).map((size) => (padding === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1)).concat(channels);
  const dense = (node: onnx.INodeProto, input: Value, kernelRows: Float32Array, units: number, bias: Float32Array): string => {
    const inputs = kernelRows.length / units;
    if (input.shape.length !== 1 || input.shape[0] !== inputs) throw attributeError(node, 'input', `needs a vector of ${inputs} features, got [${input.shape.join(', ')}]`);
    let kernel = kernelRows;
    if (input.order) { // ONNX row i belongs to tfjs feature order[i]
      kernel = new Float32Array(kernelRows.length);
      for (let i = 0; i < inputs; i++) kernel.set(kernelRows.subarray(i * units, (i + 1) * units), input.order[i] * units);
    }
    return addLayer(node, (id) => ({ kind: 'dense', id, units, from: input.layer }), [units],
      [{ shape: [inputs, units], values: kernel }, { shape: [units], values: bias }]);
  };

  for (const node of nodes) {
    const op = node.opType ?? '';
    if (op === 'Constant') continue;
    if (op === 'Identity' || op === 'Dropout') { alias(node, value(node, 0)); continue; }
    if (op === 'Softmax') {
      if ((node.output ?? [])[0] !== read.outputName) throw attributeError(node, 'output', 'Softmax is supported only as the last node (its input is taken as the logits)');
      softmaxDropped = true;
      alias(node, value(node, 0));
      continue;
    }
    if (op === 'Transpose') {
      const input = value(node, 0);
      const perm = (intsAttr(node, 'perm') ?? []).join();
      // The layout transposes of tf2onnx-style models move between ONNX's NCHW and the NHWC that tfjs
      // always holds: no data moves, only the meaning of the ONNX axes changes.
      if (isMap(input) && perm === (input.nhwc ? NHWC_TO_NCHW : NCHW_TO_NHWC)) { alias(node, { ...input, nhwc: !input.nhwc }); continue; }
      if (perm === input.shape.map((_, i) => i).concat(input.shape.length).join()) { alias(node, input); continue; }
      throw attributeError(node, 'perm', `only the layout transposes [0, 3, 1, 2] (NHWC to NCHW) and [0, 2, 3, 1] (NCHW to NHWC) of a feature map are supported, got [${perm}] on a ${input.nhwc ? 'NHWC' : 'NCHW'} tensor`);
    }
    if (op === 'Pad') {
      const input = value(node, 0);
      const shape = requireMap(node, input);
      if (stringAttr(node, 'mode', 'constant') !== 'constant') throw attributeError(node, 'mode', `mode '${stringAttr(node, 'mode', 'constant')}' is not constant padding`);
      const pads = read.opset >= 11 ? Array.from(constant(node, 1).values) : intsAttr(node, 'pads') ?? [];
      const fillValue = read.opset >= 11 ? ((node.input ?? [])[2] ? Number(constant(node, 2).values[0]) : 0) : floatAttr(node, 'value', 0);
      // NCHW pads: [N, C, H, W begins, N, C, H, W ends]; only the spatial borders may be non-zero.
      if (pads.length !== 8 || pads.some((p) => !(p >= 0)) || pads[0] + pads[1] + pads[4] + pads[5] !== 0) {
        throw attributeError(node, 'pads', `pads [${pads.join(', ')}] are not non-negative borders of the height and width only`);
      }
      if (fillValue !== 0 && fillValue !== -Infinity) throw attributeError(node, 'value', `fill value ${fillValue} is neither 0 nor -Infinity`);
      const sides: [number, number, number, number] = [pads[2], pads[6], pads[3], pads[7]];
      addLayer(node, (id) => ({ kind: 'pad', id, pads: sides, fill: fillValue === 0 ? 'zero' : 'lowest', from: input.layer }),
        [shape[0] + sides[0] + sides[1], shape[1] + sides[2] + sides[3], shape[2]]);
      continue;
    }
    if (op === 'Concat') {
      const inputs = (node.input ?? []).map((_, i) => value(node, i));
      const axis = intAttr(node, 'axis', 1);
      const rank = inputs[0].shape.length + 1;
      const channelAxis = inputs[0].nhwc || rank === 2 ? rank - 1 : 1; // ONNX's axis of tfjs's last one
      if (inputs.length < 2 || (axis + rank) % rank !== channelAxis || inputs.some((v) => v.shape.length !== inputs[0].shape.length || Boolean(v.nhwc) !== Boolean(inputs[0].nhwc))) {
        throw attributeError(node, 'axis', `only a concat of ${inputs[0].nhwc ? 'NHWC' : 'NCHW'} maps or vectors on their channel axis (${channelAxis}) is supported, got axis ${axis}`);
      }
      const size = inputs.reduce((sum, v) => sum + v.shape[v.shape.length - 1], 0);
      let order: Int32Array | undefined;
      if (inputs.some((v) => v.order)) { // ONNX feature offset + i of each vector is tfjs's offset + order[i]
        order = new Int32Array(size);
        let offset = 0;
        for (const v of inputs) {
          const width = v.shape[0];
          for (let i = 0; i < width; i++) order[offset + i] = offset + (v.order ? v.order[i] : i);
          offset += width;
        }
      }
      addLayer(node, (id) => ({ kind: 'concat', id, inputs: inputs.map((v) => v.layer) }), [...inputs[0].shape.slice(0, -1), size], [],
        { order, nhwc: inputs[0].nhwc });
      continue;
    }
    if (op === 'Conv') {
      const input = value(node, 0);
      const shape = requireMap(node, input);
      const kernel = constant(node, 1);
      const [out, perGroup, kh, kw] = kernel.dims;
      const group = intAttr(node, 'group', 1);
      const window = windowOf(node, shape, [kh, kw]);
      const { k, s, padding } = window;
      const source = padBefore(node, input, window.explicit, 'zero');
      const bias = (node.input ?? [])[2] ? floats(constant(node, 2)) : null;
      const useBias = bias !== null;
      if (group === 1 && perGroup === shape[2]) {
        addLayer(node, (id) => ({ kind: 'conv2d', id, filters: out, kernelSize: k, strides: s, padding, ...(useBias ? {} : { useBias }), from: source.layer }),
          windowShape(source.shape, k, s, padding, out), [{ shape: [kh, kw, perGroup, out], values: oihwToHwio(floats(kernel), kernel.dims) }, ...(bias ? [{ shape: [out], values: bias }] : [])]);
      } else if (group === shape[2] && out === group && perGroup === 1) {
        addLayer(node, (id) => ({ kind: 'depthwiseConv2d', id, kernelSize: k, strides: s, padding, ...(useBias ? {} : { useBias }), from: source.layer }),
          windowShape(source.shape, k, s, padding, out), [{ shape: [kh, kw, out, 1], values: oihwToHwio(floats(kernel), kernel.dims) }, ...(bias ? [{ shape: [out], values: bias }] : [])]);
      } else {
        throw attributeError(node, 'group', `group ${group} with ${out} filters on ${shape[2]} channels is neither a plain nor a depthwise convolution`);
      }
      continue;
    }
    if (op === 'MaxPool' || op === 'AveragePool') {
      const input = value(node, 0);
      const shape = requireMap(node, input);
      const window = windowOf(node, shape);
      const { k, s, padding } = window;
      const countsPadding = intAttr(node, 'count_include_pad', 0) === 1;
      // tfjs's 'same' average leaves the border out of the mean; a zero pad layer's border counts in it.
      if (op === 'AveragePool' && padding === 'same' && countsPadding) throw attributeError(node, 'count_include_pad', 'tfjs averages without the padding');
      if (op === 'AveragePool' && window.explicit && !countsPadding) throw attributeError(node, 'count_include_pad', 'an average that leaves this padding out of its count is not supported');
      const source = padBefore(node, input, window.explicit, op === 'MaxPool' ? 'lowest' : 'zero');
      addLayer(node, (id) => ({ kind: op === 'MaxPool' ? 'maxPool' : 'avgPool', id, poolSize: k, strides: s, padding, from: source.layer }), windowShape(source.shape, k, s, padding, shape[2]));
      continue;
    }
    if (op === 'GlobalAveragePool') {
      const input = value(node, 0);
      const shape = requireMap(node, input);
      addLayer(node, (id) => ({ kind: 'globalAvgPool', id, from: input.layer }), [shape[2]]);
      continue;
    }
    if (op === 'BatchNormalization') {
      const input = value(node, 0);
      if (input.nhwc) throw attributeError(node, 'input', 'normalises axis 1 of an NHWC tensor (its height, not its channels)');
      if (input.order) throw attributeError(node, 'input', 'batch norm of flattened NCHW features is not supported');
      const channels = input.shape[input.shape.length - 1];
      const tensors = [1, 2, 3, 4].map((i) => ({ shape: [channels], values: floats(constant(node, i)) }));
      if (tensors.some((t) => t.values.length !== channels)) throw attributeError(node, 'input', `statistics do not have ${channels} channels`);
      addLayer(node, (id) => ({ kind: 'batchNorm', id, epsilon: floatAttr(node, 'epsilon', 1e-5), momentum: 0.99, from: input.layer }), input.shape, tensors);
      continue;
    }
    if (op === 'Relu' || op === 'Sigmoid' || op === 'Clip') {
      const input = value(node, 0);
      if (op === 'Clip') {
        const min = (node.input ?? [])[1] ? Number(constant(node, 1).values[0]) : floatAttr(node, 'min', -Infinity);
        const max = (node.input ?? [])[2] ? Number(constant(node, 2).values[0]) : floatAttr(node, 'max', Infinity);
        if (min !== 0 || max !== 6) throw attributeError(node, 'min/max', `Clip(${min}, ${max}) is not relu6 = Clip(0, 6)`);
      }
      const extra = { order: input.order, nhwc: input.nhwc };
      if (op === 'Relu') addLayer(node, (id) => ({ kind: 'relu', id, from: input.layer }), input.shape, [], extra);
      else addLayer(node, (id) => ({ kind: 'activation', id, fn: op === 'Clip' ? 'relu6' : 'sigmoid', from: input.layer }), input.shape, [], extra);
      continue;
    }
    if (op === 'Flatten' || op === 'Reshape') {
      const input = value(node, 0);
      if (op === 'Flatten' && intAttr(node, 'axis', 1) !== 1) throw attributeError(node, 'axis', 'only Flatten(axis=1) keeps the batch');
      const total = input.shape.reduce((a, b) => a * b, 1);
      if (op === 'Reshape') {
        const target = Array.from(constant(node, 1).values);
        if (target.length !== 2 || ![0, 1, -1].includes(target[0]) || ![-1, total].includes(target[1])) throw attributeError(node, 'shape', `reshape to [${target.join(', ')}] is not a flatten to [N, ${total}]`);
      }
      if (!isMap(input)) { alias(node, input); continue; }
      const [h, w, c] = input.shape;
      const order = input.nhwc || h * w === 1 ? undefined : nchwFlattenOrder(h, w, c);
      addLayer(node, (id) => ({ kind: 'flatten', id, from: input.layer }), [total], [], { order });
      continue;
    }
    if (op === 'Gemm') {
      const input = value(node, 0);
      const b = constant(node, 1);
      if (intAttr(node, 'transA', 0) !== 0) throw attributeError(node, 'transA', 'a transposed input is not supported');
      const [rows, cols] = b.dims;
      const transB = intAttr(node, 'transB', 0) === 1;
      const units = transB ? rows : cols;
      const kernel = transB ? transpose2d(floats(b), rows, cols) : floats(b);
      const alpha = floatAttr(node, 'alpha', 1);
      const beta = floatAttr(node, 'beta', 1);
      if (alpha !== 1) kernel.forEach((v, i) => { kernel[i] = v * alpha; });
      const bias = new Float32Array(units);
      if ((node.input ?? [])[2]) {
        const c = floats(constant(node, 2));
        if (c.length !== units && c.length !== 1) throw attributeError(node, 'C', `bias of ${c.length} values for ${units} units`);
        for (let u = 0; u < units; u++) bias[u] = beta * c[c.length === 1 ? 0 : u];
      }
      dense(node, input, kernel, units, bias);
      continue;
    }
    if (op === 'MatMul') {
      const input = value(node, 0);
      const b = constant(node, 1);
      if (b.dims.length !== 2) throw attributeError(node, 'B', 'the weight must be a 2-D initializer');
      openBias.add(dense(node, input, floats(b), b.dims[1], new Float32Array(b.dims[1])));
      continue;
    }
    if (op === 'Add') {
      const [left, right] = node.input ?? [];
      const constIndex = constants.has(left) ? 0 : constants.has(right) ? 1 : -1;
      if (constIndex >= 0) { // the bias of a MatMul: fold it into that dense layer
        const input = value(node, 1 - constIndex);
        const bias = floats(constant(node, constIndex));
        const tensors = weights.get(input.layer)?.tensors;
        const fresh = openBias.has(input.layer) && consumers.get((node.input ?? [])[1 - constIndex]) === 1;
        if (!fresh || !tensors || (bias.length !== tensors[1].values.length)) throw attributeError(node, 'B', 'adding a constant is supported only as the bias right after a MatMul');
        tensors[1].values.forEach((v, i) => { tensors[1].values[i] = v + bias[i]; });
        openBias.delete(input.layer);
        alias(node, input);
        continue;
      }
      const a = value(node, 0);
      const b = value(node, 1);
      if (a.shape.join() !== b.shape.join() || a.order !== b.order || a.nhwc !== b.nhwc) throw attributeError(node, 'input', `adds tensors of shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
      addLayer(node, (id) => ({ kind: 'add', id, inputs: [a.layer, b.layer] }), a.shape, [], { order: a.order, nhwc: a.nhwc });
      continue;
    }
    throw attributeError(node, 'op', 'not supported'); // readGraph already refused unknown operators
  }

  const output = values.get(read.outputName);
  const last = layers[layers.length - 1];
  if (!output || !last || output.layer !== last.id || output.shape.length !== 1 || last.kind !== 'dense') {
    throw new OnnxImportError('outputs', `The output '${read.outputName}' is not computed by a final Gemm/MatMul layer of the converted graph.`, { count: 1, classes: expect.classes });
  }
  if (output.shape[0] !== expect.classes) {
    throw new OnnxImportError('outputShape', `The model's output has ${output.shape[0]} classes; this dataset has ${expect.classes}.`, { actual: `[N, ${output.shape[0]}]`, classes: expect.classes });
  }
  const spec: ArchitectureSpec = { name, inputShape: expect.shape, layers };
  const summary: OnnxImportSummary = {
    opset: read.opset,
    irVersion: Number(read.model.irVersion ?? 0),
    producer: [read.model.producerName, read.model.producerVersion].filter(Boolean).join(' ') || 'unknown',
    inputName: read.inputName,
    inputDims: read.inputDims,
    layout: read.layout,
    outputName: read.outputName,
    classes: expect.classes,
    softmaxDropped,
    params: summarizeArchitecture(spec).params,
    ops: [...new Set(nodes.map((node) => node.opType ?? ''))].sort(),
    // A border is its input again, so pad layers are not offered as guides (nor by featureLayers).
    guides: layers.filter((layer) => layer.id !== last.id && layer.kind !== 'pad').map((layer) => ({ layerId: layer.id, onnxName: onnxNames.get(layer.id) ?? layer.id, shape: values.get(onnxNames.get(layer.id) ?? '')?.shape ?? [] })),
  };
  return { spec, weights: layers.flatMap((layer) => weights.get(layer.id) ?? []), summary };
}

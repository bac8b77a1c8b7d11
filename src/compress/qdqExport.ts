import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { summarizeArchitecture } from '../models/shapes';
import { OnnxExportError } from '../export/errors';
import { exportOnnx, type OnnxExportOptions } from '../export/onnx';
import type { OnnxGraphBuilder } from '../export/onnxGraph';
import { onnxProto } from '../export/onnxProto';
import type { ExportState } from '../export/opTable';
import { WEIGHT_QMAX, WEIGHT_QMIN, roundHalfEven, type ActivationQuant } from './fakeQuant';
import { activationPoints } from './quantForward';

/**
 * The INT8 student as a QDQ ONNX model: the float export (src/export/onnx.ts) with
 * - every Conv/Gemm/MatMul weight stored as INT8 with per-output-channel scales and a
 *   DequantizeLinear (axis 0 for Conv's OIHW weight, axis 1 for the [in, units] dense weight);
 *   biases and batch norm stay float, as in the fake-quant model;
 * - a QuantizeLinear/DequantizeLinear pair (INT8, per tensor, with zero point) on the image and on
 *   every layer's output but the logits: the points quantForward.ts fake-quantises.
 * Per-channel DequantizeLinear needs opset 13 (IR 7).
 */

export const QDQ_OPSET = 13;
const INT8 = onnxProto.TensorProto.DataType.INT8;

const int8Bytes = (values: ArrayLike<number>): Uint8Array => new Uint8Array(Int8Array.from(values).buffer);

/** Batch norm on a vector folds into dense weights in the float export; with QDQ between them it cannot. */
function checkQuantizable(spec: ArchitectureSpec): void {
  const summary = summarizeArchitecture(spec);
  spec.layers.forEach((layer, i) => {
    if (layer.kind === 'batchNorm' && summary.layers[i].outputShape.length === 1) {
      throw new OnnxExportError(
        `Batch norm '${layer.id}' acts on a vector; the INT8 (QDQ) export keeps it apart from the dense layer, and ATC ` +
        `runs BatchNormalization on 4-D maps only. Export FP32 ONNX, or move the batch norm before the flatten layer.`,
        layer.id,
      );
    }
  });
}

function addQdq(graph: OnnxGraphBuilder, id: string, tensor: string, params: ActivationQuant): string {
  const scale = graph.addInitializer(`${id}.act_scale`, [], Float32Array.of(params.scale)).name;
  const zeroPoint = graph.addTypedInitializer(`${id}.act_zero_point`, [], INT8, int8Bytes([params.zeroPoint]));
  const quantized = graph.addNode('QuantizeLinear', [tensor, scale, zeroPoint], `${id}.quant`);
  return graph.addNode('DequantizeLinear', [quantized, scale, zeroPoint], `${id}.dequant`);
}

/** Replaces the float weight `name` by INT8 values + scales + a DequantizeLinear producing `name`. */
function quantizeWeight(graph: OnnxGraphBuilder, name: string, axis: number): void {
  const index = graph.initializers.findIndex((init) => init.name === name);
  if (index < 0) throw new OnnxExportError(`Weight '${name}' is not an initialiser of the graph.`);
  const [init] = graph.initializers.splice(index, 1);
  const channels = init.dims[axis];
  const inner = init.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const maxAbs = new Float64Array(channels);
  init.values.forEach((value, i) => {
    const c = Math.floor(i / inner) % channels;
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(value));
  });
  // Same arithmetic as weightScales: max|w| / 127 in float32, 1 for an all-zero channel.
  const scales = Float32Array.from(maxAbs, (max) => (max > 0 ? Math.fround(max / WEIGHT_QMAX) : 1));
  const q = Array.from(init.values, (value, i) => {
    const scale = scales[Math.floor(i / inner) % channels];
    return Math.min(WEIGHT_QMAX, Math.max(WEIGHT_QMIN, roundHalfEven(Math.fround(value / scale))));
  });
  const quantized = graph.addTypedInitializer(`${name}_int8`, init.dims, INT8, int8Bytes(q));
  const scale = graph.addInitializer(`${name}_scale`, [channels], scales).name;
  const zeroPoint = graph.addTypedInitializer(`${name}_zero_point`, [channels], INT8, int8Bytes(new Array<number>(channels).fill(0)));
  // Its output keeps the float weight's name, so the Conv/Gemm reading it is unchanged; placed first (it reads initialisers only).
  graph.nodes.unshift({
    opType: 'DequantizeLinear',
    name: graph.uniqueName(`${name}/DequantizeLinear`),
    input: [quantized, scale, zeroPoint],
    output: [name],
    attribute: [{ name: 'axis', type: onnxProto.AttributeProto.AttributeType.INT, i: axis }],
  });
}

/**
 * Encodes the INT8 student. `params` are the frozen activation parameters (calibration or QAT),
 * one per point of activationPoints(spec). Opset 13 unless told otherwise (13 is the minimum).
 */
export function exportQdqOnnx(
  spec: ArchitectureSpec, weights: LayerWeights[], params: ReadonlyMap<string, ActivationQuant>, options: OnnxExportOptions = {},
): Uint8Array {
  const opset = options.opset ?? QDQ_OPSET;
  if (opset < QDQ_OPSET) {
    throw new OnnxExportError(`The INT8 (QDQ) export needs opset ${QDQ_OPSET} (per-channel DequantizeLinear); opset ${opset} was asked for.`);
  }
  checkQuantizable(spec);
  const points = new Set(activationPoints(spec));
  const missing = [...points].filter((id) => !params.has(id));
  if (missing.length > 0) {
    throw new OnnxExportError(`No INT8 range for ${missing.join(', ')}: calibrate the student (or train it with QAT) before the INT8 export.`);
  }
  return exportOnnx(spec, weights, { ...options, opset }, {
    afterLayer: (id: string, state: ExportState, graph: OnnxGraphBuilder) =>
      points.has(id) ? { ...state, tensor: addQdq(graph, id, state.tensor, params.get(id) as ActivationQuant) } : state,
    beforeEncode: (graph: OnnxGraphBuilder) => {
      const weighted = graph.nodes.filter((node) => ['Conv', 'Gemm', 'MatMul'].includes(node.opType ?? ''));
      for (const node of weighted) quantizeWeight(graph, (node.input ?? [])[1], node.opType === 'Conv' ? 0 : 1);
    },
  });
}

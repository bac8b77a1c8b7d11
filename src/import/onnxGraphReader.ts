import { onnxProto, type onnx } from '../export/onnxProto';
import { OnnxImportError } from './onnxImportError';
import { readTensor, type ConstTensor } from './onnxTensors';

/**
 * The checks an ONNX file passes before any node is converted: it decodes, its default-domain
 * opset is 9 to 17, it has one image input that fits the dataset and one [N, classes] output, and
 * every node is an operator the studio has. Each failure is one coded OnnxImportError.
 */

export const MIN_IMPORT_OPSET = 9;
export const MAX_IMPORT_OPSET = 17;

export const SUPPORTED_OPS = new Set([
  'Conv', 'Gemm', 'MatMul', 'Add', 'Relu', 'Clip', 'Sigmoid', 'MaxPool', 'AveragePool', 'GlobalAveragePool',
  'BatchNormalization', 'Flatten', 'Reshape', 'Identity', 'Dropout', 'Constant', 'Softmax', 'Transpose', 'Pad', 'Concat',
]);

export interface ImportExpectation {
  /** The dataset's image [H, W, C]. */
  shape: [number, number, number];
  classes: number;
}

export interface ReadGraph {
  model: onnx.ModelProto;
  graph: onnx.IGraphProto;
  opset: number;
  constants: Map<string, ConstTensor>;
  inputName: string;
  inputDims: (number | string)[];
  layout: 'nchw' | 'nhwc';
  outputName: string;
  nodes: onnx.INodeProto[];
}

const dimOf = (dim: onnx.TensorShapeProto.IDimension): number | string => {
  if (dim.dimParam) return dim.dimParam;
  const value = dim.dimValue;
  return value === null || value === undefined ? '?' : Number(value);
};

const dimsOf = (info: onnx.IValueInfoProto): (number | string)[] | null => {
  const shape = info.type?.tensorType?.shape;
  return shape?.dim ? shape.dim.map(dimOf) : null;
};

/** A symbolic batch, 1, or unknown (0 / missing) all accept any batch the studio feeds. */
const batchOk = (dim: number | string): boolean => typeof dim === 'string' || dim === 1 || dim === 0;

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = onnxProto.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxImportError('malformed', `The file is not an ONNX model (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) {
    throw new OnnxImportError('malformed', 'The file is not an ONNX model: it has no graph nodes.');
  }
  return model;
}

export function readGraph(bytes: Uint8Array, expect: ImportExpectation): ReadGraph {
  const model = decodeModel(bytes);
  const graph = model.graph as onnx.IGraphProto;
  const opsetEntry = (model.opsetImport ?? []).find((entry) => !entry.domain || entry.domain === 'ai.onnx');
  const opset = opsetEntry?.version === undefined || opsetEntry.version === null ? NaN : Number(opsetEntry.version);
  if (!(opset >= MIN_IMPORT_OPSET && opset <= MAX_IMPORT_OPSET)) {
    throw new OnnxImportError('opset', `The model uses opset ${Number.isNaN(opset) ? 'none' : opset}; opsets ${MIN_IMPORT_OPSET} to ${MAX_IMPORT_OPSET} are supported (re-export it, e.g. torch.onnx.export(..., opset_version=13)).`,
      { opset: Number.isNaN(opset) ? 'none' : opset, min: MIN_IMPORT_OPSET, max: MAX_IMPORT_OPSET });
  }
  const nodes = graph.node ?? [];
  const unsupported = nodes.filter((node) => (node.domain && node.domain !== 'ai.onnx') || !SUPPORTED_OPS.has(node.opType ?? ''));
  if (unsupported.length > 0) {
    const ops = [...new Set(unsupported.map((node) => node.opType ?? '?'))].join(', ');
    const names = unsupported.slice(0, 8).map((node) => node.name || (node.output ?? [])[0] || '?').join(', ') + (unsupported.length > 8 ? ', …' : '');
    throw new OnnxImportError('unsupportedOps', `The model uses operators the studio cannot run: ${ops} (nodes ${names}).`, { ops, nodes: names });
  }

  const constants = new Map<string, ConstTensor>();
  for (const tensor of graph.initializer ?? []) constants.set(tensor.name ?? '', readTensor(tensor));
  for (const node of nodes) {
    if (node.opType !== 'Constant') continue;
    const value = (node.attribute ?? []).find((attribute) => attribute.name === 'value')?.t;
    if (!value) throw new OnnxImportError('unsupportedAttributes', `Constant node '${node.name ?? ''}' has no tensor 'value'.`, { node: node.name ?? '', attribute: 'value' });
    constants.set((node.output ?? [])[0] ?? '', readTensor(value));
  }

  const inputs = (graph.input ?? []).filter((input) => !constants.has(input.name ?? ''));
  const [h, w, c] = expect.shape;
  const wanted = `[N, ${c}, ${h}, ${w}] or [N, ${h}, ${w}, ${c}]`;
  if (inputs.length !== 1) {
    throw new OnnxImportError('inputs', `The model has ${inputs.length} inputs; a classifier with one image input ${wanted} is needed.`, { count: inputs.length, expected: wanted });
  }
  const inputDims = dimsOf(inputs[0]) ?? [];
  const fixed = inputDims.slice(1).join(',');
  const layout = inputDims.length === 4 && batchOk(inputDims[0])
    ? (fixed === `${c},${h},${w}` ? 'nchw' : fixed === `${h},${w},${c}` ? 'nhwc' : null) : null;
  if (layout === null) {
    throw new OnnxImportError('inputShape', `The model's input is [${inputDims.join(', ')}]; this dataset's images need ${wanted}.`, { actual: `[${inputDims.join(', ')}]`, expected: wanted });
  }

  const outputs = graph.output ?? [];
  if (outputs.length !== 1) {
    throw new OnnxImportError('outputs', `The model has ${outputs.length} outputs; a classifier with one output [N, ${expect.classes}] is needed.`, { count: outputs.length, classes: expect.classes });
  }
  const outputDims = dimsOf(outputs[0]);
  if (outputDims && (outputDims.length !== 2 || !batchOk(outputDims[0]) || (typeof outputDims[1] === 'number' && outputDims[1] !== expect.classes))) {
    throw new OnnxImportError('outputShape', `The model's output is [${outputDims.join(', ')}]; this dataset has ${expect.classes} classes, so [N, ${expect.classes}] is needed.`,
      { actual: `[${outputDims.join(', ')}]`, classes: expect.classes });
  }
  return { model, graph, opset, constants, inputName: inputs[0].name ?? '', inputDims, layout, outputName: outputs[0].name ?? '', nodes };
}

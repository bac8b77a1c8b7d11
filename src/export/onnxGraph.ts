import { onnxProto, type onnx } from './onnxProto';

/**
 * A small graph builder over onnx-proto: nodes, float initialisers and attributes, encoded once
 * at the end. Initialiser values stay mutable until `toModel`, so a later layer (batch norm after
 * a dense layer) can fold itself into weights already emitted.
 */

export type AttributeValue = number | number[] | { float: number };

export interface Initializer { name: string; dims: number[]; values: Float32Array }

export interface ModelHeader {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  graphName: string;
  docString: string;
}

export interface GraphIo { name: string; dims: number[] }

const FLOAT = onnxProto.TensorProto.DataType.FLOAT;
const Attr = onnxProto.AttributeProto.AttributeType;

/** Float32 little-endian bytes whatever the platform's byte order (ONNX raw_data is little-endian). */
function littleEndianBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

/** Integers become INT/INTS; `{ float }` and fractional numbers become FLOAT. */
function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if (Array.isArray(value)) return { name, type: Attr.INTS, ints: value };
  if (typeof value === 'number' && Number.isInteger(value)) return { name, type: Attr.INT, i: value };
  return { name, type: Attr.FLOAT, f: typeof value === 'number' ? value : value.float };
}

function valueInfo(io: GraphIo): onnx.IValueInfoProto {
  return {
    name: io.name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: io.dims.map((dimValue) => ({ dimValue })) } } },
  };
}

export class OnnxGraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: Initializer[] = [];
  /** Initialisers of other element types (INT8 weights and zero points of a QDQ model), encoded as given. */
  readonly typedInitializers: onnx.ITensorProto[] = [];
  private readonly usedNames = new Set<string>();

  /** A graph-unique ASCII name derived from `base` (layer ids may contain '-'). */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./]/g, '_');
    let name = clean;
    for (let n = 1; this.usedNames.has(name); n++) name = `${clean}_${n}`;
    this.usedNames.add(name);
    return name;
  }

  reserve(name: string): void {
    this.usedNames.add(name);
  }

  addInitializer(base: string, dims: number[], values: Float32Array): Initializer {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== values.length) {
      throw new Error(`Initializer '${base}' has ${values.length} values for shape [${dims.join(', ')}].`);
    }
    const initializer = { name: this.uniqueName(base), dims, values };
    this.initializers.push(initializer);
    return initializer;
  }

  /** An initialiser of any ONNX element type from its little-endian raw bytes; returns its name. */
  addTypedInitializer(base: string, dims: number[], dataType: number, rawData: Uint8Array): string {
    const name = this.uniqueName(base);
    this.typedInitializers.push({ name, dims, dataType, rawData });
    return name;
  }

  /** Appends a node and returns the name of its (single) output. */
  addNode(opType: string, inputs: string[], outputBase: string, attributes: Record<string, AttributeValue> = {}): string {
    const output = this.uniqueName(outputBase);
    this.nodes.push({
      opType,
      name: this.uniqueName(`${outputBase}/${opType}`),
      input: inputs,
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  /** Renames the tensor produced by the last node that wrote `from` (used to name the graph output). */
  renameOutput(from: string, to: string): void {
    const node = [...this.nodes].reverse().find((candidate) => candidate.output?.includes(from));
    if (!node?.output) throw new Error(`No node produces '${from}'.`);
    node.output = node.output.map((name) => (name === from ? to : name));
    for (const other of this.nodes) other.input = other.input?.map((name) => (name === from ? to : name));
    this.usedNames.add(to);
  }

  toModel(header: ModelHeader, inputs: GraphIo[], outputs: GraphIo[]): Uint8Array {
    const graph: onnx.IGraphProto = {
      name: header.graphName,
      docString: header.docString,
      node: this.nodes,
      initializer: this.initializers.map((init): onnx.ITensorProto => ({
        name: init.name,
        dims: init.dims,
        dataType: FLOAT,
        rawData: littleEndianBytes(init.values),
      })).concat(this.typedInitializers),
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    };
    const model: onnx.IModelProto = {
      irVersion: header.irVersion,
      opsetImport: [{ domain: '', version: header.opset }],
      producerName: header.producerName,
      producerVersion: header.producerVersion,
      graph,
    };
    return onnxProto.ModelProto.encode(model).finish();
  }
}

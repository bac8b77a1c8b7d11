import { onnxProto, type onnx } from '../export/onnxProto';

/**
 * A magnitude-pruned student's ONNX with its mostly-zero weights as GraphProto.sparse_initializer
 * (SparseTensorProto, COO: the non-zero float values and their INT64 linearised indices, ascending).
 * A float initialiser is stored sparse only where that is smaller: 12 bytes per non-zero against
 * 4 per entry dense, so past 2/3 zeros. ONNX Runtime turns sparse initialisers back into dense
 * tensors when it loads the model, so the outputs are the dense file's exactly; ATC is not known to
 * read them (the Atlas bundle keeps the dense file).
 */

export interface SparseOnnx {
  onnx: Uint8Array;
  /** The initialisers stored sparse, by name. */
  sparseTensors: string[];
}

const FLOAT = onnxProto.TensorProto.DataType.FLOAT;
const INT64 = onnxProto.TensorProto.DataType.INT64;
/** Bytes of a non-zero in COO form: the float32 value and its INT64 index. */
const BYTES_PER_NONZERO = 12;
/** Protobuf framing of the two extra tensors (names, dims, types), a generous bound. */
const SPARSE_OVERHEAD_BYTES = 64;

function floatValues(raw: Uint8Array): Float32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const values = new Float32Array(raw.byteLength / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

function cooTensor(init: onnx.ITensorProto, values: Float32Array): onnx.ISparseTensorProto {
  const nonzero: number[] = [];
  values.forEach((value, i) => { if (value !== 0) nonzero.push(i); });
  const valueBytes = new Uint8Array(nonzero.length * 4);
  const indexBytes = new Uint8Array(nonzero.length * 8);
  const valueView = new DataView(valueBytes.buffer);
  const indexView = new DataView(indexBytes.buffer);
  nonzero.forEach((index, k) => {
    valueView.setFloat32(k * 4, values[index], true);
    indexView.setBigInt64(k * 8, BigInt(index), true);
  });
  return {
    values: { name: init.name, dims: [nonzero.length], dataType: FLOAT, rawData: valueBytes },
    indices: { name: `${init.name ?? ''}_indices`, dims: [nonzero.length], dataType: INT64, rawData: indexBytes },
    dims: init.dims,
  };
}

/** Rewrites a (dense) exported ONNX model with every float initialiser stored sparse where that is smaller. */
export function sparseOnnx(dense: Uint8Array): SparseOnnx {
  const model = onnxProto.ModelProto.decode(dense);
  const graph = model.graph;
  if (!graph) throw new Error('The ONNX bytes hold no graph.');
  const kept: onnx.ITensorProto[] = [];
  const sparse: onnx.ISparseTensorProto[] = [];
  for (const init of graph.initializer ?? []) {
    const raw = init.rawData;
    if (init.dataType !== FLOAT || !raw || raw.byteLength === 0) { kept.push(init); continue; }
    const values = floatValues(raw);
    let nonzero = 0;
    for (const value of values) if (value !== 0) nonzero += 1;
    if (nonzero === 0 || nonzero * BYTES_PER_NONZERO + SPARSE_OVERHEAD_BYTES >= raw.byteLength) { kept.push(init); continue; }
    sparse.push(cooTensor(init, values));
  }
  graph.initializer = kept;
  graph.sparseInitializer = sparse;
  return {
    onnx: onnxProto.ModelProto.encode(model).finish(),
    sparseTensors: sparse.map((tensor) => tensor.values?.name ?? ''),
  };
}

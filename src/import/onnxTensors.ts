import type { onnx } from '../export/onnxProto';
import { OnnxImportError } from './onnxImportError';

/** Constant tensors of an ONNX graph (initializers and Constant nodes) as float32 or int64-as-number. */

export interface ConstTensor { dims: number[]; values: Float32Array | number[] }

const FLOAT = 1;
const INT64 = 7;
const INT32 = 6;

const num = (value: number | { toNumber(): number }): number => (typeof value === 'number' ? value : value.toNumber());

export function readTensor(tensor: onnx.ITensorProto): ConstTensor {
  const dims = (tensor.dims ?? []).map(num);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : null;
  const name = tensor.name ?? '';
  if ((tensor.dataLocation ?? 0) !== 0) {
    throw new OnnxImportError('weights', `Tensor '${name}' is stored in an external file; save the model with its weights inside (onnx.save(..., save_as_external_data=False)).`, { tensor: name });
  }
  let values: Float32Array | number[];
  if (tensor.dataType === FLOAT) {
    if (raw) {
      const copy = new Uint8Array(raw); // a fresh, aligned buffer: rawData may be a view at any offset (Node's Buffer.slice does not copy)
      values = new Float32Array(copy.buffer, 0, copy.byteLength / 4);
    } else values = Float32Array.from(tensor.floatData ?? []);
  } else if (tensor.dataType === INT64 || tensor.dataType === INT32) {
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const size = tensor.dataType === INT64 ? 8 : 4;
      values = Array.from({ length: raw.byteLength / size }, (_, i) => (size === 8 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true)));
    } else values = (tensor.dataType === INT64 ? tensor.int64Data ?? [] : tensor.int32Data ?? []).map(num);
  } else {
    throw new OnnxImportError('weights', `Tensor '${name}' has data type ${tensor.dataType ?? '?'}; only float32 weights (and int64 shapes) are supported.`, { tensor: name });
  }
  if (values.length !== count) {
    throw new OnnxImportError('weights', `Tensor '${name}' holds ${values.length} values for dims [${dims.join(', ')}].`, { tensor: name });
  }
  return { dims, values };
}

export function attributeMap(node: onnx.INodeProto): Map<string, onnx.IAttributeProto> {
  return new Map((node.attribute ?? []).map((attribute) => [attribute.name ?? '', attribute]));
}

export function intsAttr(node: onnx.INodeProto, name: string): number[] | undefined {
  const attribute = attributeMap(node).get(name);
  return attribute ? (attribute.ints ?? []).map(num) : undefined;
}

export function intAttr(node: onnx.INodeProto, name: string, fallback: number): number {
  const attribute = attributeMap(node).get(name);
  return attribute?.i === undefined || attribute.i === null ? fallback : num(attribute.i);
}

export function floatAttr(node: onnx.INodeProto, name: string, fallback: number): number {
  const attribute = attributeMap(node).get(name);
  return attribute?.f === undefined || attribute.f === null ? fallback : attribute.f;
}

export function stringAttr(node: onnx.INodeProto, name: string, fallback: string): string {
  const attribute = attributeMap(node).get(name);
  return attribute?.s && attribute.s.length > 0 ? new TextDecoder().decode(attribute.s) : fallback;
}

/** [rows, cols] row-major -> [cols, rows]. */
export function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const result = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) result[c * rows + r] = values[r * cols + c];
  return result;
}

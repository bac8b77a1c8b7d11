import * as onnxProtoModule from 'onnx-proto';

/**
 * onnx-proto is CommonJS (`module.exports = $root`). Bundlers expose its `onnx` namespace as a
 * named export, Node's ESM loader only under `default`: accept both.
 */
type OnnxNamespace = typeof onnxProtoModule.onnx;
const interop = onnxProtoModule as unknown as { onnx?: OnnxNamespace; default?: { onnx?: OnnxNamespace } };
const resolved = interop.onnx ?? interop.default?.onnx;
if (!resolved) throw new Error('onnx-proto did not load: reinstall it with `npm ci`.');

export const onnxProto: OnnxNamespace = resolved;
export type { onnx } from 'onnx-proto';

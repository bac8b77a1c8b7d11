import { studioWasmModule } from './wasmModule';
import { COPY_SHARED_WASM, COPY_WASM } from './wasm-copy-bytes';

/** wasm-copy-wat.ts's copyRows: `blocks` x `rows` rows of `rowBytes`, every pointer and stride in bytes. */
export type CopyRowsFn = (src: number, dst: number, blocks: number, rows: number, rowBytes: number,
  srcRowStride: number, dstRowStride: number, srcBlockStride: number, dstBlockStride: number) => void;

/** wasm-copy-wat.ts's zeroBytes: `bytes` zeros from `dst` (a byte offset). */
export type ZeroBytesFn = (dst: number, bytes: number) => void;

/** The module's functions over a backend's wasm memory, or null (not the wasm backend, or the module cannot load). */
export type WasmCopy = { copyRows: CopyRowsFn; zeroBytes: ZeroBytesFn };
export const wasmCopyFor = studioWasmModule({ plain: COPY_WASM, shared: COPY_SHARED_WASM },
  (exports): WasmCopy => ({ copyRows: exports.copyRows as CopyRowsFn, zeroBytes: exports.zeroBytes as ZeroBytesFn }));

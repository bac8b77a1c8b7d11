import { studioWasmModule } from './wasmModule';
import { COPY_SHARED_WASM, COPY_WASM } from './wasm-copy-bytes';

/** wasm-copy-wat.ts's copyRows: `blocks` x `rows` rows of `rowBytes`, every pointer and stride in bytes. */
export type CopyRowsFn = (src: number, dst: number, blocks: number, rows: number, rowBytes: number,
  srcRowStride: number, dstRowStride: number, srcBlockStride: number, dstBlockStride: number) => void;

/** The strided row copy over a backend's wasm memory, or null (not the wasm backend, or the module cannot load). */
export const copyRowsFor = studioWasmModule({ plain: COPY_WASM, shared: COPY_SHARED_WASM }, (exports) => exports.copyRows as CopyRowsFn);

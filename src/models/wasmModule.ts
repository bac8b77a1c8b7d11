/**
 * The studio's WebAssembly modules (wasm-*-wat.ts, assembled into base64 in wasm-*-bytes.ts) run
 * inside tfjs's own memory: each imports it as `env.memory` and reads and writes tensors in place.
 * Each module comes in two builds, one importing a plain memory (the single-threaded tfjs build's)
 * and one a shared memory (the threaded build's), as an import must match the memory's kind.
 * One instance per memory and module; where instantiation fails the caller keeps its other path.
 */

import type { DataType, TensorInfo } from '@tensorflow/tfjs';

/** The part of tfjs-backend-wasm's BackendWasm that holds the Emscripten module. */
export interface WasmModuleHost {
  wasm?: {
    asm?: { memory?: WebAssembly.Memory };
    wasmMemory?: WebAssembly.Memory;
    _malloc?(bytes: number): number;
  };
}

/** The part of tfjs-backend-wasm's BackendWasm the studio's wasm kernels use. */
export interface WasmHeapBackend {
  /** Allocates an uninitialised tensor on the heap (which can grow the memory: take views after). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of a tensor's heap bytes (float32 tensors give a Float32Array; of others use only its byteOffset). */
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): void;
  /** How many tensors hold a buffer (Identity and Reshape share one). */
  refCount(dataId: object): number;
  /** One more tensor holds the buffer. */
  incRef(dataId: object): void;
}

/** Whether `backend` is tfjs-backend-wasm's (it has the heap methods above). */
export function isWasmHeapBackend(backend: unknown): backend is WasmHeapBackend {
  return typeof backend === 'object' && backend !== null && 'typedArrayFromHeap' in backend && 'makeOutput' in backend;
}

/** tfjs's WebAssembly.Memory (the export's name depends on the build), or null off the wasm backend. */
export function tfjsWasmMemory(backend: unknown): WebAssembly.Memory | null {
  const wasm = (backend as WasmModuleHost | null)?.wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** tfjs-backend-wasm's record of one buffer (its TensorData) and the C++ side's registry of buffers. */
interface WasmTensorRegistry {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[] } | undefined };
  dataIdNextNumber: number;
  wasm: { tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, memoryOffset: number): void } };
}

function tensorRegistry(backend: unknown): WasmTensorRegistry | null {
  const candidate = backend as Partial<WasmTensorRegistry> | null;
  const tfjs = candidate?.wasm?.tfjs;
  return typeof candidate?.dataIdMap?.get === 'function' && typeof candidate.dataIdNextNumber === 'number'
    && typeof tfjs?.disposeData === 'function' && typeof tfjs.registerTensor === 'function' ? candidate as WasmTensorRegistry : null;
}

/** Whether renewTensorId works on this backend (a kernel may write a buffer in place only then). */
export function canRenewTensorIds(backend: unknown): boolean {
  return tensorRegistry(backend) !== null;
}

/**
 * After a kernel wrote a tensor's buffer in place: registers the buffer under a new id. tfjs's wasm
 * kernels cache XNNPACK operators per tensor id (a convolution packs its filter once, as a tensor
 * never changes), and dropping the old id drops those, so the next convolution packs the new values.
 */
export function renewTensorId(backend: unknown, dataId: object): void {
  const registry = tensorRegistry(backend);
  const entry = registry?.dataIdMap.get(dataId);
  if (!registry || !entry) throw new Error('renewTensorId: not a tensor of the wasm backend.');
  registry.wasm.tfjs.disposeData(entry.id);
  entry.id = registry.dataIdNextNumber++;
  registry.wasm.tfjs.registerTensor(entry.id, entry.shape.reduce((a, b) => a * b, 1), entry.memoryOffset);
}

const scratches = new WeakMap<object, { aligned: number; bytes: number }>();

/**
 * At least `bytes` of scratch on the backend's heap, 64-byte aligned, for the studio's kernels to
 * work in (the GEMM packs panels of B there, one per thread): allocated with tfjs's own malloc and
 * kept for the backend's life. A larger request allocates anew and leaves the smaller one allocated
 * (a few KB), as a caller may still hold its address. Null off the wasm backend.
 */
export function wasmScratch(backend: unknown, bytes: number): number | null {
  const wasm = (backend as WasmModuleHost | null)?.wasm;
  if (!wasm?._malloc) return null;
  const held = scratches.get(wasm);
  if (held && held.bytes >= bytes) return held.aligned;
  const pointer = wasm._malloc(bytes + 63);
  if (!pointer) throw new Error(`The wasm heap has no room for ${bytes} bytes of kernel scratch.`);
  const aligned = Math.ceil(pointer / 64) * 64;
  scratches.set(wasm, { aligned, bytes });
  return aligned;
}

/** A module's two builds, base64 (see scripts/lib/wasm-gemm-files.ts). */
export interface StudioWasmBuilds {
  plain: string;
  shared: string;
}

/** Whether a memory is shared (SharedArrayBuffer exists only where the page is cross-origin isolated). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

export const decodeBase64 = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));

/** The compiled build for a memory of this kind. Small modules: synchronous compilation is allowed everywhere. */
export function compileFor(builds: StudioWasmBuilds, memory: WebAssembly.Memory): WebAssembly.Module {
  return new WebAssembly.Module(decodeBase64(isSharedMemory(memory) ? builds.shared : builds.plain));
}

/**
 * A loader of one module: given a backend, the exports `pick` takes from the module's instance over
 * that backend's memory, or null (not the wasm backend, or a memory the module cannot import).
 */
export function studioWasmModule<T>(builds: StudioWasmBuilds, pick: (exports: WebAssembly.Exports) => T): (backend: unknown) => T | null {
  const instances = new WeakMap<WebAssembly.Memory, T | null>();
  return (backend) => {
    const memory = tfjsWasmMemory(backend);
    if (memory === null) return null;
    if (!instances.has(memory)) {
      try {
        instances.set(memory, pick(new WebAssembly.Instance(compileFor(builds, memory), { env: { memory } }).exports));
      } catch {
        instances.set(memory, null);
      }
    }
    return instances.get(memory) ?? null;
  };
}

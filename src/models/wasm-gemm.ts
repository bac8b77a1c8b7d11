import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './wasmKernelSwap';
import { decodeBase64, studioWasmModule, tfjsWasmMemory, wasmScratch, type WasmHeapBackend } from './wasmModule';
import { GEMM_SCRATCH_BYTES } from './wasm-gemm-wat';
import {
  GEMM_FMA6_SHARED_WASM, GEMM_FMA6_WASM, GEMM_FMA_SHARED_WASM, GEMM_FMA_WASM, GEMM_MULADD_SHARED_WASM, GEMM_MULADD_WASM, RELAXED_PROBE_WASM,
} from './wasm-gemm-bytes';
import { fmaTileRows } from './wasm-gemm-tile';
import { wasmTeamFor } from './wasm-team';

/**
 * BatchMatMul on the tfjs `wasm` backend through the studio's own wasm SIMD GEMM (wasm-gemm-wat.ts).
 *
 * tfjs-backend-wasm 4.22 sends plain products to XNNPACK, built without FMA and repacking the
 * right operand on every call (~28 GFLOP/s here); this GEMM reads the operands in place in tfjs's
 * own WebAssembly.Memory (the module imports it, so there are no copies and no scratch) and writes
 * the output tensor. A transposed operand is materialised with the wasm Transpose kernel: the GEMM
 * could read A^T through strides, but that ran at 35-39 against 48-52 GFLOP/s for a dense layer's
 * x^T dy (800x64x800, 1200x64x1200), and the transpose moves only m k of the m n k values. A B^T
 * is computed as (B A^T)^T where moving A and C (m k + m n values) costs less than moving B (n k):
 * dy W^T of a hidden layer at batch 64, but not of a 10-class logits layer, whose W is small.
 * The relaxed-SIMD build (f32x4.relaxed_madd) runs where the engine validates it, in the register
 * tile height that measures faster there (wasm-gemm-tile.ts), else the mul + add build. In the threaded tfjs build (a shared memory) a team of
 * helper threads can share large products (wasm-team.ts, started by wasm-team-start.ts).
 * wasm-matmul.ts calls this first and keeps its XNNPACK path for what this returns null on:
 * non-float32, broadcasting other than one side's batch of 1, empty tensors.
 */

export type GemmMode = 'auto' | 'muladd' | 'off';

/**
 * C[m, n] = A[m, k] B[k, n] over byte offsets into tfjs's memory: B and C row-major, A element
 * (i, p) at a + 4 (i aRowStride + p aKStride) (strides in floats; rows may overlap).
 */
export type GemmFn = (a: number, b: number, c: number, m: number, n: number, k: number, aRowStride: number, aKStride: number) => void;

/** The module's export: GemmFn's arguments and the calling thread's scratch (GEMM_SCRATCH_BYTES, see wasm-gemm-wat.ts). */
export type GemmWithScratchFn = (...args: [...Parameters<GemmFn>, scratch: number]) => void;

let mode: GemmMode = 'auto';

let relaxed: boolean | null = null;
/** Whether this engine runs relaxed SIMD (Chromium 114+, Node 22+, or Node 20 with --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  relaxed ??= WebAssembly.validate(decodeBase64(RELAXED_PROBE_WASM));
  return relaxed;
}

/** 'auto' (the FMA build where supported), 'muladd' (force the fallback build; the tests run both) or 'off'. */
export function setWasmGemmMode(next: GemmMode): void {
  mode = next;
}

/** The build a BatchMatMul would use now: 'fma', 'muladd' or null (off). */
export function wasmGemmFlavour(): 'fma' | 'muladd' | null {
  if (mode === 'off') return null;
  return mode === 'auto' && relaxedSimdSupported() ? 'fma' : 'muladd';
}

/** The modules: fma with 4- and 6-row register tiles (the same bits), and mul + add. */
export const GEMM_BUILDS = {
  fma: { plain: GEMM_FMA_WASM, shared: GEMM_FMA_SHARED_WASM },
  fma6: { plain: GEMM_FMA6_WASM, shared: GEMM_FMA6_SHARED_WASM },
  muladd: { plain: GEMM_MULADD_WASM, shared: GEMM_MULADD_SHARED_WASM },
};

export type GemmBuild = keyof typeof GEMM_BUILDS;

/** The module a flavour runs as now: fma in the tile height chosen for this engine. */
export function gemmBuildOf(flavour: 'fma' | 'muladd'): GemmBuild {
  return flavour === 'fma' && fmaTileRows() === 6 ? 'fma6' : flavour;
}

const gemmBuilds = {
  fma: studioWasmModule(GEMM_BUILDS.fma, (exports) => exports.gemm as GemmWithScratchFn),
  fma6: studioWasmModule(GEMM_BUILDS.fma6, (exports) => exports.gemm as GemmWithScratchFn),
  muladd: studioWasmModule(GEMM_BUILDS.muladd, (exports) => exports.gemm as GemmWithScratchFn),
};

/** The build of the current mode over this backend's memory (on its team, if one runs there); null where BatchMatMul keeps XNNPACK. */
function gemmFor(backend: unknown): GemmFn | null {
  const flavour = wasmGemmFlavour();
  if (flavour === null) return null;
  const build = gemmBuildOf(flavour);
  const team = wasmTeamFor(tfjsWasmMemory(backend));
  if (team) return team.gemm(build);
  const gemm = gemmBuilds[build](backend);
  const scratch = gemm && wasmScratch(backend, GEMM_SCRATCH_BYTES);
  return gemm && scratch !== null ? (a, b, c, m, n, k, aRowStride, aKStride) => gemm(a, b, c, m, n, k, aRowStride, aKStride, scratch) : null;
}

/** Threads the GEMM shares a large product between on the current backend (1 without a team or with the GEMM off). */
export function wasmGemmThreads(): number {
  const team = wasmTeamFor(tfjsWasmMemory(tf.backend()));
  return team !== null && wasmGemmFlavour() !== null ? team.threads : 1;
}

/**
 * The build BatchMatMul runs on the current tfjs backend: 'fma' or 'muladd', or null where it
 * keeps XNNPACK (mode off, or not the wasm backend).
 */
export function activeWasmGemm(): 'fma' | 'muladd' | null {
  return currentWasmGemm() ? wasmGemmFlavour() : null;
}

/** activeWasmGemm's module: 'fma' (4-row tiles), 'fma6' or 'muladd'; null where BatchMatMul keeps XNNPACK. */
export function activeWasmGemmBuild(): GemmBuild | null {
  const flavour = activeWasmGemm();
  return flavour && gemmBuildOf(flavour);
}

/** The GEMM over the current backend's memory, or null where BatchMatMul would not use it. */
export function currentWasmGemm(): GemmFn | null {
  return gemmFor(tf.backend());
}

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, axis) => axis);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** The product through the GEMM, or null where the caller should use another path. */
export function wasmGemmMatMul(args: KernelArgs): tf.TensorInfo | null {
  const backend = args.backend as unknown as WasmHeapBackend;
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  let a = args.inputs.a as tf.TensorInfo;
  let b = args.inputs.b as tf.TensorInfo;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const gemm = typeof backend.typedArrayFromHeap === 'function' ? gemmFor(backend) : null;
  if (!gemm) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, y) => x * y, 1);
  const batchB = outerB.reduce((x, y) => x * y, 1);
  // Equal batch shapes, or one side a single matrix (broadcast); anything else stays with tfjs.
  const sameOuter = outerA.length === outerB.length && outerA.every((size, i) => size === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return null;
  const [rowsA, colsA] = a.shape.slice(-2);
  const [rowsB, colsB] = b.shape.slice(-2);
  const m = transposeA ? colsA : rowsA;
  const k = transposeA ? rowsA : colsA;
  const n = transposeB ? rowsB : colsB;
  if ((transposeB ? colsB : rowsB) !== k) throw new Error(`Error in matMul: inner shapes (${k}) and (${transposeB ? colsB : rowsB}) of Tensors with shapes ${a.shape} and ${b.shape} must match.`);
  if (m === 0 || n === 0 || batchA === 0 || batchB === 0) return null;
  const batch = Math.max(batchA, batchB);
  const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB), m, n];

  const transpose = tf.getKernel('Transpose', 'wasm');
  if ((transposeA || transposeB) && !transpose) return null;
  const materialise = (x: tf.TensorInfo): tf.TensorInfo =>
    transpose!.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as tf.TensorInfo;
  const temporaries: tf.TensorInfo[] = [];
  // y[batch] = x[batch] (rows x k) · w[batch] (k x cols), all row-major; pointers in bytes.
  const run = (y: tf.TensorInfo, x: tf.TensorInfo, w: tf.TensorInfo, rows: number, cols: number, batchX: number, batchW: number): void => {
    const [py, px, pw] = [y, x, w].map((info) => backend.typedArrayFromHeap(info).byteOffset);
    for (let i = 0; i < batch; i++) {
      const xAt = px + (batchX === 1 ? 0 : i * rows * k * 4);
      const wAt = pw + (batchW === 1 ? 0 : i * k * cols * 4);
      gemm(xAt, wAt, py + i * rows * cols * 4, rows, cols, k, k, 1);
    }
  };
  try {
    if (transposeB && !transposeA && m * (k + n) < n * k) {
      // C = A B^T as (B A^T)^T: B [n, k] is the strided left operand; only A (m x k) and C^T (n x m) move.
      const aT = materialise(a);
      temporaries.push(aT);
      const outT = backend.makeOutput([...outShape.slice(0, -2), n, m], 'float32');
      temporaries.push(outT);
      run(outT, b, aT, n, m, batchB, batchA);
      return materialise(outT);
    }
    if (transposeA) {
      a = materialise(a);
      temporaries.push(a);
    }
    if (transposeB) {
      b = materialise(b);
      temporaries.push(b);
    }
    const out = backend.makeOutput(outShape, 'float32');
    run(out, a, b, m, n, batchA, batchB);
    return out;
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

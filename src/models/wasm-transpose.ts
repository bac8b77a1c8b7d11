import * as tf from '@tensorflow/tfjs';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';
import { studioWasmModule, type WasmHeapBackend } from './wasmModule';
import { TRANSPOSE_SHARED_WASM, TRANSPOSE_WASM } from './wasm-transpose-bytes';

/**
 * Transpose on the tfjs `wasm` backend for the one permutation training asks for all the time, the
 * swap of the last two axes (the GEMM materialises x^T for every dense layer's weight gradient),
 * in 4 x 4 SIMD blocks (wasm-transpose-wat.ts). tfjs-backend-wasm 4.22's kernel moves one value at
 * a time. float32 and int32 (4-byte values); every other permutation or dtype, and a swap where
 * one of the two axes has size 1 (tfjs then shares the data), keeps tfjs's kernel.
 */

type TransposeFn = (src: number, dst: number, rows: number, cols: number, batch: number) => void;

const transposeFor = studioWasmModule({ plain: TRANSPOSE_WASM, shared: TRANSPOSE_SHARED_WASM }, (exports) => exports.transpose as TransposeFn);

/** Whether the studio's module runs on the current backend (else Transpose stays tfjs's). */
export function wasmTransposeAvailable(): boolean {
  return transposeFor(tf.backend()) !== null;
}

/** Whether `perm` keeps every axis but the last two in place and swaps those. */
export function swapsLastTwo(perm: readonly number[]): boolean {
  const rank = perm.length;
  return rank >= 2 && perm[rank - 2] === rank - 1 && perm[rank - 1] === rank - 2 && perm.slice(0, -2).every((axis, i) => axis === i);
}

function transposeLastTwo(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const backend = args.backend as unknown as WasmHeapBackend;
  const x = args.inputs.x as tf.TensorInfo;
  const { perm } = args.attrs as unknown as { perm: number[] };
  const transpose = typeof backend.typedArrayFromHeap === 'function' ? transposeFor(backend) : null;
  const [rows, cols] = x.shape.slice(-2);
  if (transpose === null || (x.dtype !== 'float32' && x.dtype !== 'int32') || !swapsLastTwo(perm) || rows <= 1 || cols <= 1) {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const batch = tf.util.sizeFromShape(x.shape.slice(0, -2));
  // Allocate first: an allocation can grow the wasm memory (heap offsets stay valid, views do not).
  const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], x.dtype);
  if (batch > 0) transpose(backend.typedArrayFromHeap(x).byteOffset, backend.typedArrayFromHeap(out).byteOffset, rows, cols, batch);
  return out;
}

const swap = wasmKernelSwap('Transpose', transposeLastTwo);

/** Replaces wasm's Transpose; false when the wasm backend is not registered. Safe to repeat. */
export function installWasmTranspose(): boolean {
  return swap.install();
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallWasmTranspose(): void {
  swap.uninstall();
}

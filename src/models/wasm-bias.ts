import * as tf from '@tensorflow/tfjs';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';
import { studioWasmModule, type WasmHeapBackend } from './wasmModule';
import { BIAS_SHARED_WASM, BIAS_WASM } from './wasm-bias-bytes';

/**
 * A bias's add and its gradient on the tfjs `wasm` backend, in the studio's SIMD passes
 * (wasm-bias-wat.ts), bit-identical to tfjs's kernels they replace:
 * - Add of a [..., C] tensor and a [C] (or [1, ..., 1, C]) vector: tfjs-backend-wasm 4.22's
 *   broadcasting Add took 0.6-0.9 ms of a CNN step for the unfused first convolution's bias.
 * - Sum over every axis but the last, in ascending order: tfjs transposes the tensor so the summed
 *   axes are innermost and then adds each row up; the CNN teacher's bias gradients took ~1.3 ms
 *   of a step that way.
 * Every other Add and Sum (other shapes, axes or dtypes) keeps tfjs's kernel.
 */

type ColumnSumFn = (x: number, out: number, rows: number, cols: number) => void;
type AddBiasFn = (x: number, bias: number, out: number, rows: number, cols: number) => void;

const passesFor = studioWasmModule({ plain: BIAS_WASM, shared: BIAS_SHARED_WASM }, (exports) => ({
  columnSum: exports.columnSum as ColumnSumFn,
  addBias: exports.addBias as AddBiasFn,
}));

/**
 * Whether `axes` of a rank-`rank` tensor are all axes but the last, in ascending order (as tfjs's
 * gradients give them): tfjs adds up in the order the axes are listed, so only then are the
 * additions the pass's.
 */
export function isAllButLast(axes: readonly number[], rank: number): boolean {
  return rank >= 2 && axes.length === rank - 1 && axes.every((axis, i) => axis === i);
}

function columnSum(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const backend = args.backend as unknown as WasmHeapBackend;
  const x = args.inputs.x as tf.TensorInfo;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  const size = tf.util.sizeFromShape(x.shape);
  const sum = typeof backend.typedArrayFromHeap === 'function' ? passesFor(backend)?.columnSum ?? null : null;
  if (sum === null || x.dtype !== 'float32' || size === 0 || !isAllButLast(tf.util.parseAxisParam(axis, x.shape), rank)) {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const cols = x.shape[rank - 1];
  // Allocate first: an allocation can grow the wasm memory (heap offsets stay valid, views do not).
  const out = backend.makeOutput(keepDims ? [...Array<number>(rank - 1).fill(1), cols] : [cols], 'float32');
  sum(backend.typedArrayFromHeap(x).byteOffset, backend.typedArrayFromHeap(out).byteOffset, size / cols, cols);
  return out;
}

/** Whether `vector` is a bias of `x`: [C] or [1, ..., 1, C] with x's last axis C, x of rank 2 or more. */
export function isBiasOf(x: readonly number[], vector: readonly number[]): boolean {
  const cols = x[x.length - 1];
  return x.length >= 2 && vector.length >= 1 && vector.length <= x.length && vector[vector.length - 1] === cols
    && vector.slice(0, -1).every((size) => size === 1);
}

function addBias(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const backend = args.backend as unknown as WasmHeapBackend;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  // x + bias and bias + x: one float32 addition per element either way (addition commutes bit for bit).
  const [x, bias] = isBiasOf(a.shape, b.shape) ? [a, b] : isBiasOf(b.shape, a.shape) ? [b, a] : [null, null];
  const passes = typeof backend.typedArrayFromHeap === 'function' ? passesFor(backend) : null;
  const size = x === null ? 0 : tf.util.sizeFromShape(x.shape);
  if (x === null || bias === null || passes === null || a.dtype !== 'float32' || b.dtype !== 'float32' || size === 0) {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const cols = x.shape[x.shape.length - 1];
  const out = backend.makeOutput([...x.shape], 'float32');
  const at = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info).byteOffset;
  passes.addBias(at(x), at(bias), at(out), size / cols, cols);
  return out;
}

const swaps = [wasmKernelSwap('Sum', columnSum), wasmKernelSwap('Add', addBias)];

/** Replaces wasm's Sum and Add; false when the wasm backend is not registered. Safe to repeat. */
export function installWasmBiasKernels(): boolean {
  return swaps.map((swap) => swap.install()).every(Boolean);
}

/** Restores tfjs's own kernels (the tests compare both). */
export function uninstallWasmBiasKernels(): void {
  for (const swap of swaps) swap.uninstall();
}

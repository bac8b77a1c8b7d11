import * as tf from '@tensorflow/tfjs';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';
import { studioWasmModule } from './wasmModule';
import { COLUMN_SUM_SHARED_WASM, COLUMN_SUM_WASM } from './wasm-column-sum-bytes';

/**
 * Sum over every axis but the last on the tfjs `wasm` backend, in the studio's SIMD pass
 * (wasm-column-sum-wat.ts): the gradient of every bias. tfjs-backend-wasm 4.22 transposes the
 * tensor so the summed axes are innermost and then adds each row up: the CNN teacher's bias
 * gradients took ~1.3 ms of a step that way. Same additions in the same order, so the same bits;
 * every other Sum (other axes, other dtypes) keeps tfjs's kernel.
 */

type ColumnSumFn = (x: number, out: number, rows: number, cols: number) => void;

interface WasmBackendInternals {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

const columnSumFor = studioWasmModule({ plain: COLUMN_SUM_WASM, shared: COLUMN_SUM_SHARED_WASM }, (exports) => exports.columnSum as ColumnSumFn);

/**
 * Whether `axes` of a rank-`rank` tensor are all axes but the last, in ascending order (as tfjs's
 * gradients give them): tfjs adds up in the order the axes are listed, so only then are the
 * additions the pass's.
 */
export function isAllButLast(axes: readonly number[], rank: number): boolean {
  return rank >= 2 && axes.length === rank - 1 && axes.every((axis, i) => axis === i);
}

function columnSum(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendInternals;
  const x = args.inputs.x as tf.TensorInfo;
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const rank = x.shape.length;
  const size = tf.util.sizeFromShape(x.shape);
  const sum = typeof backend.typedArrayFromHeap === 'function' ? columnSumFor(backend) : null;
  if (sum === null || x.dtype !== 'float32' || size === 0 || !isAllButLast(tf.util.parseAxisParam(axis, x.shape), rank)) {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const cols = x.shape[rank - 1];
  // Allocate first: an allocation can grow the wasm memory (heap offsets stay valid, views do not).
  const out = backend.makeOutput(keepDims ? [...Array<number>(rank - 1).fill(1), cols] : [cols], 'float32');
  sum(backend.typedArrayFromHeap(x).byteOffset, backend.typedArrayFromHeap(out).byteOffset, size / cols, cols);
  return out;
}

const swap = wasmKernelSwap('Sum', columnSum);

/** Replaces wasm's Sum; false when the wasm backend is not registered. Safe to repeat. */
export function installWasmColumnSum(): boolean {
  return swap.install();
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallWasmColumnSum(): void {
  swap.uninstall();
}

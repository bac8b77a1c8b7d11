import * as tf from '@tensorflow/tfjs';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';

/**
 * A faster GatherV2 for the tfjs `wasm` backend.
 *
 * tfjs-backend-wasm 4.22 gathers element by element with an index computed per element: CRD's
 * memory lookup (64 x 1,025 rows of 128 floats from a [10,000, 128] bank) took about 5 s per call,
 * ten times the rest of a training step. Gathering along an axis is copying contiguous blocks: one
 * `set` per (outer position, index), so the same lookup is a few milliseconds. batchDims > 0 keeps
 * tfjs's kernel. Install once after the wasm backend is ready.
 */

const KERNEL_NAME = 'GatherV2';

type GatherValues = Float32Array | Int32Array | Uint8Array;

/** Row-major gather of `values` (of `shape`) along `axis` at `indices`; throws on an index outside the axis. */
export function gatherValues<T extends GatherValues>(values: T, shape: readonly number[], axis: number, indices: ArrayLike<number>): T {
  const size = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const out = new (values.constructor as new (length: number) => T)(outer * indices.length * inner);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      if (!(index >= 0 && index < size)) throw new RangeError(`GatherV2: index ${index} is not in [0, ${size - 1}].`);
      const from = (o * size + index) * inner;
      out.set(values.subarray(from, from + inner), at);
      at += inner;
    }
  }
  return out;
}

function fastGather(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const { backend } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const indicesInfo = args.inputs.indices as tf.TensorInfo;
  const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
  if (!(backend instanceof tf.KernelBackend) || batchDims !== 0 || x.dtype === 'string' || x.dtype === 'complex64') {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const values = backend.readSync(x.dataId);
  const indices = backend.readSync(indicesInfo.dataId);
  if (!(values instanceof Float32Array || values instanceof Int32Array || values instanceof Uint8Array) || !(indices instanceof Int32Array || indices instanceof Float32Array)) {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const realAxis = axis < 0 ? axis + x.shape.length : axis;
  const shape = [...x.shape.slice(0, realAxis), ...indicesInfo.shape, ...x.shape.slice(realAxis + 1)];
  return { dataId: backend.write(gatherValues(values, x.shape, realAxis, indices), shape, x.dtype), shape, dtype: x.dtype };
}

const swap = wasmKernelSwap(KERNEL_NAME, fastGather);

/** Replaces wasm's GatherV2; false when the wasm backend is not registered. Safe to repeat. */
export function installFastWasmGather(): boolean {
  return swap.install();
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallFastWasmGather(): void {
  swap.uninstall();
}

import * as tf from '@tensorflow/tfjs';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';
import { isWasmHeapBackend } from './wasmModule';

/**
 * Identity on the tfjs `wasm` backend that shares the input's data, as the cpu backend's does.
 *
 * tfjs records every tensor a gradient needs by cloning it (Engine.saveTensorsForBackwardMode ->
 * clone -> Identity), and tfjs-backend-wasm 4.22's Identity copies the whole buffer: in the Hinton
 * teacher 1.3 ms of a 34 ms step went to copying weights and activations that never change (wasm
 * kernels write only their outputs; wasm's Reshape already shares data the same way). Sharing is
 * reference counted by the backend: the data lives until the last tensor on it is disposed.
 * Strings keep tfjs's own kernel.
 */

const swap = wasmKernelSwap('Identity', (args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo => {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string' || !(args.backend instanceof tf.KernelBackend)) return original.kernelFunc(args) as tf.TensorInfo;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
});

/** The parts of tfjs's Engine that cloning a tensor for the tape touches. */
interface CloningEngine {
  clone(x: tf.Tensor): tf.Tensor;
  makeTensorFromDataId(dataId: object, shape: number[], dtype: tf.DataType, backend: tf.KernelBackend): tf.Tensor;
  state: { gradientDepth: number; tensorInfo: { get(dataId: object): { backend: tf.KernelBackend } | undefined } };
}

let sharing = false;

/**
 * Engine.clone, which tfjs calls only to save a tensor for a gradient (saveTensorsForBackwardMode
 * and customGrad's save), runs Identity through runKernel and records a tape node for the copy:
 * ~120 times per CNN-teacher step, ~0.35 ms of a 10.6 ms step in Node (3 % faster without). On the
 * wasm backend with the sharing Identity the same tensor is made directly: the data gains a
 * reference, as the kernel would give it. The tape node matters only when the backward pass itself
 * is recorded (a gradient of a gradient: an outer tape, gradientDepth above 1, where it carries the
 * second derivative from the saved copy to its original); there tfjs's own clone runs.
 */
function patchEngineClone(): void {
  const engine = tf.engine() as unknown as CloningEngine;
  const tfjsClone = Object.getPrototypeOf(engine).clone as CloningEngine['clone'];
  engine.clone = (x) => {
    const backend = engine.state.tensorInfo.get(x.dataId)?.backend;
    if (!sharing || engine.state.gradientDepth > 1 || x.dtype === 'string' || !isWasmHeapBackend(backend)) {
      return tfjsClone.call(engine, x);
    }
    backend.incRef(x.dataId);
    return engine.makeTensorFromDataId(x.dataId, [...x.shape], x.dtype, backend);
  };
}

/** Replaces wasm's Identity (and tfjs's clone of a tensor a gradient saves); false when the wasm backend is not registered. Safe to repeat. */
export function installSharingWasmIdentity(): boolean {
  sharing = swap.install();
  if (sharing && !Object.hasOwn(tf.engine(), 'clone')) patchEngineClone();
  return sharing;
}

/** Restores tfjs's own kernel and clone (the tests compare both). */
export function uninstallSharingWasmIdentity(): void {
  swap.uninstall();
  sharing = false;
}

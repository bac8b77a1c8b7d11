import * as tf from '@tensorflow/tfjs';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';

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

/** Replaces wasm's Identity; false when the wasm backend is not registered. Safe to repeat. */
export function installSharingWasmIdentity(): boolean {
  return swap.install();
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallSharingWasmIdentity(): void {
  swap.uninstall();
}

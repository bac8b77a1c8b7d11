import * as tf from '@tensorflow/tfjs';

/**
 * Replaces one kernel of the tfjs `wasm` backend with a faster one that can fall back to tfjs's
 * own. The original's setupFunc already ran when the backend started, so the replacement keeps its
 * config and swaps only kernelFunc; uninstall restores the original (the tests compare both).
 */

export type KernelArgs = Parameters<tf.KernelFunc>[0];

export interface WasmKernelSwap {
  /** False when the wasm backend or the kernel is not registered. Safe to repeat. */
  install(): boolean;
  uninstall(): void;
}

export function wasmKernelSwap(kernelName: string, replacement: (args: KernelArgs, original: tf.KernelConfig) => tf.TensorInfo): WasmKernelSwap {
  let original: tf.KernelConfig | null = null;
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    if (!original) throw new Error(`${kernelName}: the wasm kernel was not installed.`);
    return replacement(args, original);
  };
  return {
    install() {
      if (original) return true;
      if (!tf.findBackendFactory('wasm')) return false;
      const existing = tf.getKernel(kernelName, 'wasm');
      if (!existing) return false;
      tf.unregisterKernel(kernelName, 'wasm');
      original = existing;
      tf.registerKernel({ ...existing, kernelFunc });
      return true;
    },
    uninstall() {
      if (!original) return;
      tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel(original);
      original = null;
    },
  };
}

import * as tf from '@tensorflow/tfjs';
import { studioWasmModule, type WasmHeapBackend } from './wasmModule';
import { RELU_GRAD_SHARED_WASM, RELU_GRAD_WASM } from './wasm-relu-grad-bytes';

/**
 * ReLU's gradient on the tfjs `wasm` backend as one kernel (wasm-relu-grad-wat.ts). tfjs computes
 * it as dy * cast(step(x)), three kernels and three passes over the activation; the CNN presets'
 * ReLUs after batch norm spend ~0.5 ms of a step there. The studio replaces Relu's gradient with
 * one that runs the fused kernel for float32 on wasm and tfjs's own gradient everywhere else, so
 * other backends compute exactly what they did. Same bits as tfjs (its tests compare).
 */

export const RELU_GRAD_KERNEL = 'StudioReluGrad';

type ReluGradFn = (dy: number, x: number, out: number, count: number) => void;

const reluGradFor = studioWasmModule({ plain: RELU_GRAD_WASM, shared: RELU_GRAD_SHARED_WASM }, (exports) => exports.reluGrad as ReluGradFn);

function reluGradKernel({ inputs, backend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const wasm = backend as unknown as WasmHeapBackend;
  const reluGrad = reluGradFor(backend);
  if (!reluGrad) throw new Error(`${RELU_GRAD_KERNEL}: the module cannot use this backend's memory.`);
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  // Allocate first: an allocation can grow the wasm memory (heap offsets stay valid, views do not).
  const out = wasm.makeOutput([...x.shape], 'float32');
  const size = tf.util.sizeFromShape(x.shape);
  if (size > 0) reluGrad(wasm.typedArrayFromHeap(dy).byteOffset, wasm.typedArrayFromHeap(x).byteOffset, wasm.typedArrayFromHeap(out).byteOffset, size);
  return out;
}

/** Whether the fused kernel computes this gradient: float32 of one shape, on wasm with the module. */
function fusedApplies(dy: tf.Tensor, x: tf.Tensor): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(RELU_GRAD_KERNEL, 'wasm') !== undefined && dy.dtype === 'float32' && x.dtype === 'float32'
    && tf.util.arraysEqual(dy.shape, x.shape) && reluGradFor(tf.backend()) !== null;
}

let tfjsReluGradient: tf.GradConfig | null = null;

function reluGradient(config: tf.GradConfig): tf.GradConfig {
  return {
    ...config,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const single = Array.isArray(dy) ? dy[0] : dy;
      if (!fusedApplies(single, x)) return config.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: single, x }) as tf.Tensor };
    },
  };
}

/** Registers the kernel and routes Relu's gradient through it on wasm; false without the wasm backend. Safe to repeat. */
export function installWasmReluGrad(): boolean {
  if (!tf.findBackendFactory('wasm')) return false;
  if (!tf.getKernel(RELU_GRAD_KERNEL, 'wasm')) {
    tf.registerKernel({ kernelName: RELU_GRAD_KERNEL, backendName: 'wasm', kernelFunc: reluGradKernel });
    // Its own gradient, for a gradient of a gradient: d/d(dy) = ddx * step(x) (the kernel again); nothing flows to x.
    tf.registerGradient({
      kernelName: RELU_GRAD_KERNEL,
      inputsToSave: ['x'],
      gradFunc: (ddx, [x]) => ({
        dy: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: Array.isArray(ddx) ? ddx[0] : ddx, x }) as tf.Tensor,
        x: () => tf.zerosLike(x),
      }),
    });
  }
  if (!tfjsReluGradient) {
    tfjsReluGradient = tf.getGradient('Relu');
    tf.registerGradient(reluGradient(tfjsReluGradient));
  }
  return true;
}

/** Restores tfjs's own gradient and removes the kernel (the tests compare both). */
export function uninstallWasmReluGrad(): void {
  if (tfjsReluGradient) {
    tf.registerGradient(tfjsReluGradient);
    tfjsReluGradient = null;
  }
  if (tf.getKernel(RELU_GRAD_KERNEL, 'wasm')) {
    tf.unregisterKernel(RELU_GRAD_KERNEL, 'wasm');
    tf.unregisterGradient(RELU_GRAD_KERNEL);
  }
}

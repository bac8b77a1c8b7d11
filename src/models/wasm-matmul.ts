import * as tf from '@tensorflow/tfjs';

/**
 * A faster BatchMatMul for the tfjs `wasm` backend when an operand is transposed.
 *
 * tfjs-backend-wasm 4.22 hands only untransposed products to XNNPACK; with transposeA or
 * transposeB it falls back to a plain loop. Every dense layer's backward pass needs exactly those
 * products (dW = x^T dy, dx = dy W^T), so they dominated training: measured here on one core,
 * [1200x64]x[64x1200] took 165 ms transposed against 15 ms as "transpose, then multiply" (the
 * transpose of 1200x1200 costs 5 ms). This kernel materialises the transposed operand with the
 * wasm Transpose kernel and calls the original BatchMatMul without transposes: the same sums, in
 * XNNPACK. Install once after the wasm backend is ready.
 */

const KERNEL_NAME = 'BatchMatMul';
let originalKernel: tf.KernelConfig | null = null;

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, axis) => axis);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function transposedMatMul(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const original = originalKernel;
  if (!original) throw new Error(`${KERNEL_NAME}: the wasm kernel was not installed.`);
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as MatMulAttrs;
  if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args) as tf.TensorInfo;
  if (!(backend instanceof tf.KernelBackend)) throw new Error(`${KERNEL_NAME}: not a tfjs kernel backend.`);
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return original.kernelFunc(args) as tf.TensorInfo;

  const materialise = (x: tf.TensorInfo): tf.TensorInfo =>
    transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as tf.TensorInfo;
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;
  const plainA = attrs.transposeA ? materialise(a) : a;
  const plainB = attrs.transposeB ? materialise(b) : b;
  try {
    return original.kernelFunc({
      inputs: { a: plainA, b: plainB }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
  } finally {
    if (plainA !== a) backend.disposeData(plainA.dataId);
    if (plainB !== b) backend.disposeData(plainB.dataId);
  }
}

/** Replaces wasm's BatchMatMul; false when the wasm backend is not registered. Safe to repeat. */
export function installFastWasmMatMul(): boolean {
  if (originalKernel) return true;
  if (!tf.findBackendFactory('wasm')) return false;
  const existing = tf.getKernel(KERNEL_NAME, 'wasm');
  if (!existing) return false;
  tf.unregisterKernel(KERNEL_NAME, 'wasm');
  originalKernel = existing;
  // The original's setupFunc already ran when the backend started; keep it for a later re-init.
  tf.registerKernel({ ...existing, kernelFunc: transposedMatMul });
  return true;
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallFastWasmMatMul(): void {
  if (!originalKernel) return;
  tf.unregisterKernel(KERNEL_NAME, 'wasm');
  tf.registerKernel(originalKernel);
  originalKernel = null;
}

import * as tf from '@tensorflow/tfjs';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';
import { wasmGemmMatMul } from './wasm-gemm';

/**
 * The studio's BatchMatMul for the tfjs `wasm` backend: its own wasm SIMD GEMM (wasm-gemm.ts) for
 * every product it handles, and for the rest (or with the GEMM off) the path below.
 *
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

/** Rows and columns of a matrix, or of a batch of one matrix; null for a real batch. */
function matrixShape(x: tf.TensorInfo): [number, number] | null {
  const rank = x.shape.length;
  if (rank < 2 || x.shape.slice(0, -2).some((size) => size !== 1)) return null;
  return [x.shape[rank - 2], x.shape[rank - 1]];
}

function transposedMatMul(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const viaGemm = wasmGemmMatMul(args);
  if (viaGemm) return viaGemm;
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as MatMulAttrs;
  if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args) as tf.TensorInfo;
  if (!(backend instanceof tf.KernelBackend)) throw new Error(`${KERNEL_NAME}: not a tfjs kernel backend.`);
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return original.kernelFunc(args) as tf.TensorInfo;

  const materialise = (x: tf.TensorInfo): tf.TensorInfo =>
    transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as tf.TensorInfo;
  const product = (a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo =>
    original.kernelFunc({ inputs: { a, b }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;

  // A dense layer's input gradient dy W^T ([batch, out] x [in, out]^T): transposing W and XNNPACK
  // packing it (it packs b as weights on every call) cost more than the product at batch 64, so
  // compute (W dy^T)^T and transpose two small matrices instead.
  const aMatrix = matrixShape(a);
  const bMatrix = matrixShape(b);
  if (!attrs.transposeA && aMatrix && bMatrix && a.shape.length === b.shape.length && aMatrix[0] < bMatrix[0]) {
    const aT = materialise(a);
    const outT = product(b, aT);
    backend.disposeData(aT.dataId);
    try {
      return materialise(outT);
    } finally {
      backend.disposeData(outT.dataId);
    }
  }

  const plainA = attrs.transposeA ? materialise(a) : a;
  const plainB = attrs.transposeB ? materialise(b) : b;
  try {
    return product(plainA, plainB);
  } finally {
    if (plainA !== a) backend.disposeData(plainA.dataId);
    if (plainB !== b) backend.disposeData(plainB.dataId);
  }
}

const swap = wasmKernelSwap(KERNEL_NAME, transposedMatMul);

/** Replaces wasm's BatchMatMul; false when the wasm backend is not registered. Safe to repeat. */
export function installFastWasmMatMul(): boolean {
  return swap.install();
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallFastWasmMatMul(): void {
  swap.uninstall();
}

import * as tf from '@tensorflow/tfjs';
import { filterGradientByConvolution, filterGradientByMatMul, filterGradientByShiftedProducts, isWasmHeapBackend } from './wasm-conv-gradients';

/**
 * A Conv2DBackpropFilter kernel for the tfjs `cpu` backend (faster than tfjs's own) and for the
 * `wasm` backend (which has none in 4.22, so it could not train convolutions at all).
 *
 * tfjs 4.22's cpu kernel reads every element through TensorBuffer.get(...) inside a 7-deep loop:
 * measured here, the filter gradient of a 3x3, 8->8 conv on a [32, 28, 28, 8] batch took 8.4 s
 * against 0.17 s for the forward pass, so it dominated CNN training in Node and in cpu fallbacks.
 * This kernel computes the same sums with flat indexing (float64 accumulation, as the original's
 * scalar accumulator) and skips zero inputs (post-relu maps are sparse). It only uses the generic
 * KernelBackend read/write. On wasm the same sums run in XNNPACK instead, as a forward convolution
 * (stride 1) or an im2col matmul (wasm-conv-gradients.ts; cpu's matmul is no faster than this loop, so cpu keeps the loop).
 * Install once after the backend is registered.
 */

const KERNEL_NAME = 'Conv2DBackpropFilter';
export type FilterGradientBackend = 'cpu' | 'wasm';
/** The kernels replaced per backend (null: the backend had none). */
const originalKernels = new Map<FilterGradientBackend, tf.KernelConfig | null>();

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function readFloats(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array {
  const values = backend.readSync(info.dataId);
  if (!(values instanceof Float32Array)) {
    throw new Error(`${KERNEL_NAME}: expected float32 data, got ${info.dtype}.`);
  }
  return values;
}

function fastFilterGradient(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputs, backend } = args;
  if (!(backend instanceof tf.KernelBackend)) throw new Error(`${KERNEL_NAME}: not a tfjs kernel backend.`);
  const attrs = args.attrs as unknown as FilterGradAttrs;
  if (attrs.dataFormat === 'NCHW') {
    const original = originalKernels.get(tf.getBackend() as FilterGradientBackend);
    if (original) return original.kernelFunc(args) as tf.TensorInfo;
    throw new Error(`${KERNEL_NAME}: NCHW is not supported here; the studio's models are NHWC.`);
  }
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, 'channelsLast',
  );
  if (isWasmHeapBackend(backend) && x.dtype === 'float32' && dy.dtype === 'float32') {
    return filterGradientByShiftedProducts(backend, x, dy, info) ?? filterGradientByConvolution(backend, x, dy, info) ?? filterGradientByMatMul(backend, x, dy, info);
  }
  const xValues = readFloats(backend, x);
  const dyValues = readFloats(backend, dy);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const sums = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);

  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyOffset = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = yR * strideHeight + wR - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xOffset = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wOffset = (wR * filterWidth + wC) * inChannels * outChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xValue = xValues[xOffset + d1];
              if (xValue === 0) continue;
              const row = wOffset + d1 * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) {
                sums[row + d2] += xValue * dyValues[dyOffset + d2];
              }
            }
          }
        }
      }
    }
  }
  const dataId = backend.write(Float32Array.from(sums), attrs.filterShape, 'float32');
  return { dataId, shape: [...attrs.filterShape], dtype: 'float32' };
}

/**
 * Registers the kernel for `backend` (replacing tfjs's own on cpu, filling the gap on wasm).
 * Returns false when the backend is not registered at all. Safe to call more than once.
 */
export function installFastConvFilterGradient(backend: FilterGradientBackend): boolean {
  if (originalKernels.has(backend)) return true;
  if (!tf.findBackendFactory(backend)) return false;
  const existing = tf.getKernel(KERNEL_NAME, backend) ?? null;
  if (existing) tf.unregisterKernel(KERNEL_NAME, backend);
  originalKernels.set(backend, existing);
  tf.registerKernel({ kernelName: KERNEL_NAME, backendName: backend, kernelFunc: fastFilterGradient });
  return true;
}

/** Restores tfjs's own kernel, or none on wasm (used by the tests that compare both). */
export function uninstallFastConvFilterGradient(backend: FilterGradientBackend): void {
  if (!originalKernels.has(backend)) return;
  tf.unregisterKernel(KERNEL_NAME, backend);
  const original = originalKernels.get(backend);
  if (original) tf.registerKernel(original);
  originalKernels.delete(backend);
}

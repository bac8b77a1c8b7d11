import * as tf from '@tensorflow/tfjs';
import { MAXPOOL_GRAD_WASM, MAXPOOL_GRAD_SHARED_WASM } from './wasm-maxpool-grad-bytes';
import { isWasmHeapBackend, studioWasmModule, type WasmHeapBackend } from './wasmModule';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';
import { wasmCopyFor } from './wasm-copy';

/**
 * A faster MaxPoolGrad for the tfjs `wasm` backend.
 *
 * tfjs-backend-wasm 4.22's MaxPoolGrad took 12 ms of CPU for one [64, 28, 28, 8] input (about
 * 30 ns per element, a tenth of the CNN teacher's training step). The gradient of a max pool is a
 * scatter: each output's dy goes to the input element that won its window. This kernel finds each
 * window's winner once and adds dy there, reading and writing the wasm heap directly. The winner
 * is the first maximum in row-major window order (tfjs's cpu rule); a window of NaNs only has no
 * winner and passes no gradient. Overlapping windows and 'same' padding are handled: windows are
 * clipped at the borders and overlapping winners accumulate. Where C is a multiple of 4 the scan
 * runs in wasm SIMD (wasm-maxpool-grad-wat.ts, the same rule and the same bits, 4 channels at a time).
 */

const KERNEL_NAME = 'MaxPoolGrad';

interface PoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** dx (zeroed, NHWC like x) += dy at each window's first maximum of x. */
export function scatterMaxPoolGradient(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: filterHeight, effectiveFilterWidth: filterWidth } = info;
  const { top: padTop, left: padLeft } = info.padInfo;
  const rowStride = inWidth * channels;
  let out = 0;
  for (let b = 0; b < batchSize; b++) {
    const imageBase = b * inHeight * rowStride;
    for (let outRow = 0; outRow < outHeight; outRow++) {
      const rowCorner = outRow * strideHeight - padTop;
      const rowStart = Math.max(0, rowCorner);
      const rowEnd = Math.min(inHeight, rowCorner + filterHeight);
      for (let outCol = 0; outCol < outWidth; outCol++) {
        const colCorner = outCol * strideWidth - padLeft;
        const colStart = Math.max(0, colCorner);
        const colEnd = Math.min(inWidth, colCorner + filterWidth);
        for (let channel = 0; channel < channels; channel++, out++) {
          let best = -Infinity;
          let winner = -1;
          for (let row = rowStart; row < rowEnd; row++) {
            let index = imageBase + row * rowStride + colStart * channels + channel;
            for (let col = colStart; col < colEnd; col++, index += channels) {
              if (x[index] > best) {
                best = x[index];
                winner = index;
              }
            }
          }
          if (winner >= 0) dx[winner] += dy[out];
        }
      }
    }
  }
}

type SimdScatter = (x: number, dy: number, dx: number, batch: number, inH: number, inW: number, c: number,
  outH: number, outW: number, strideH: number, strideW: number, filterH: number, filterW: number, padTop: number, padLeft: number) => void;

let simdEnabled = true;
const loadScatter = studioWasmModule({ plain: MAXPOOL_GRAD_WASM, shared: MAXPOOL_GRAD_SHARED_WASM }, (exports) => exports.maxPoolGrad as SimdScatter);

/** Whether the kernel uses the SIMD scan where it can (the tests compare both). */
export function setMaxPoolGradSimd(enabled: boolean): void {
  simdEnabled = enabled;
}

/** The SIMD scan over tfjs's own memory, or null (disabled, C not a multiple of 4, not the wasm backend). */
function simdScatter(backend: WasmHeapBackend, channels: number): SimdScatter | null {
  return simdEnabled && channels % 4 === 0 ? loadScatter(backend) : null;
}

/** Which loop the kernel runs for C channels on the current backend. */
export function maxPoolGradPath(channels: number): 'simd' | 'javascript' {
  const backend = tf.backend();
  return isWasmHeapBackend(backend) && simdScatter(backend, channels) ? 'simd' : 'javascript';
}

function fastMaxPoolGrad(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const { backend } = args;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as PoolGradAttrs;
  if (!isWasmHeapBackend(backend) || input.dtype !== 'float32' || dy.dtype !== 'float32') {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  // Allocate first: an allocation can grow the wasm memory, which detaches earlier heap views.
  const output = backend.makeOutput([...input.shape], 'float32');
  const dx = backend.typedArrayFromHeap(output);
  // In wasm where it loads: TypedArray.fill over the threaded build's shared memory is ~5x slower.
  const zeroBytes = wasmCopyFor(backend)?.zeroBytes;
  if (zeroBytes) zeroBytes(dx.byteOffset, dx.byteLength);
  else dx.fill(0);
  const xs = backend.typedArrayFromHeap(input);
  const dys = backend.typedArrayFromHeap(dy);
  const simd = simdScatter(backend, info.inChannels);
  if (simd) {
    simd(xs.byteOffset, dys.byteOffset, dx.byteOffset, info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight,
      info.outWidth, info.strideHeight, info.strideWidth, info.effectiveFilterHeight, info.effectiveFilterWidth, info.padInfo.top, info.padInfo.left);
  } else {
    scatterMaxPoolGradient(xs, dys, dx, info);
  }
  return output;
}

const swap = wasmKernelSwap(KERNEL_NAME, fastMaxPoolGrad);

/** Replaces wasm's MaxPoolGrad; false when the wasm backend is not registered. Safe to repeat. */
export function installFastWasmMaxPoolGrad(): boolean {
  return swap.install();
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallFastWasmMaxPoolGrad(): void {
  swap.uninstall();
}

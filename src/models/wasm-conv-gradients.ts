import * as tf from '@tensorflow/tfjs';
import { currentWasmGemm } from './wasm-gemm';
import { wasmCopyFor, type WasmCopy } from './wasm-copy';
import { wasmKernelSwap, type KernelArgs } from './wasmKernelSwap';
import { isWasmHeapBackend as isWasmHeap, type WasmHeapBackend as WasmHeap } from './wasmModule';

/**
 * Convolution gradients for the tfjs `wasm` backend as im2col + XNNPACK matmuls.
 *
 * A scalar loop over every (position, tap, in-channel, out-channel) costs B*OH*OW*K*CO
 * multiply-adds one at a time; on the CNN presets the filter gradient (a JS loop) and wasm's own
 * input gradient (a C++ loop) took about a third of a training step. Laying the taps out as a
 * matrix costs only B*OH*OW*K copies, and the product then runs in XNNPACK's SIMD kernels:
 *   filter gradient: dW[K, CO]   = colsT[K, M] x dY[M, CO]
 *   input gradient:  dCols[M, K] = dY[M, CO] x W^T[CO, K], then scattered back (col2im)
 * with K = KH*KW*CI and M = B*OH*OW (stride-1 gradients run as forward convolutions instead:
 * inputGradientByConvolution, filterGradientByConvolution). Both are built untransposed, because tfjs-backend-wasm 4.22
 * only hands untransposed products to XNNPACK. The column matrices are built a few images at a
 * time so the temporary stays under a bound (see setConvGradientChunkLimit).
 */

/** 4M floats (16 MB) per im2col temporary: two 28x28x16 3x3 batches of 64 need two chunks. */
export const DEFAULT_CHUNK_FLOATS = 1 << 22;
let chunkFloats = DEFAULT_CHUNK_FLOATS;

/** Sets the bound on the im2col temporary (in floats); returns the previous bound (tests lower it). */
export function setConvGradientChunkLimit(floats: number): number {
  if (!Number.isInteger(floats) || floats < 1) {
    throw new Error(`setConvGradientChunkLimit: expected a positive integer, got ${floats}.`);
  }
  const previous = chunkFloats;
  chunkFloats = floats;
  return previous;
}

/** The wasm backend as a kernel backend too (its tensors are read and its kernels called here). */
type WasmHeapBackend = tf.KernelBackend & WasmHeap;

export function isWasmHeapBackend(backend: unknown): backend is WasmHeapBackend {
  return backend instanceof tf.KernelBackend && isWasmHeap(backend);
}

function readFloats(backend: tf.KernelBackend, info: tf.TensorInfo, kernel: string): Float32Array {
  const values = backend.readSync(info.dataId);
  if (!(values instanceof Float32Array)) throw new Error(`${kernel}: expected float32 data, got ${info.dtype}.`);
  return values;
}

/** Plain [M, K] x [K, N] through wasm's BatchMatMul kernel (XNNPACK when untransposed). */
function matMul(backend: WasmHeapBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const kernel = tf.getKernel('BatchMatMul', 'wasm');
  if (!kernel) throw new Error('wasm convolution gradients: the wasm BatchMatMul kernel is missing.');
  return kernel.kernelFunc({
    inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
}

/**
 * Rows [firstImage, firstImage + images) of dY as an [images*OH*OW, CO] matrix. The whole of dY is
 * passed as it is (BatchMatMul takes its own reference), so `owned` says whether to dispose it.
 */
function dyRows(backend: WasmHeapBackend, dy: tf.TensorInfo, dyValues: () => Float32Array,
  firstImage: number, images: number): { rows: tf.TensorInfo; owned: boolean } {
  const [batch, outHeight, outWidth, outChannels] = dy.shape;
  const shape = [images * outHeight * outWidth, outChannels];
  if (images === batch) return { rows: { dataId: dy.dataId, shape, dtype: 'float32' }, owned: false };
  const perImage = outHeight * outWidth * outChannels;
  const values = dyValues().subarray(firstImage * perImage, (firstImage + images) * perImage);
  return { rows: { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' }, owned: true };
}

/** Images per chunk so that a [images*OH*OW, K] temporary stays under the bound (at least one). */
function imagesPerChunk(info: tf.backend_util.Conv2DInfo): number {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.min(info.batchSize, Math.floor(chunkFloats / perImage)));
}

/** Fills colsT[K, images*OH*OW] (rows: kh, kw, ci; columns: b, oy, ox) with zero padding. */
function fillTransposedColumns(cols: Float32Array, x: Float32Array, info: tf.backend_util.Conv2DInfo,
  firstImage: number, images: number): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  let o = 0;
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        for (let b = firstImage; b < firstImage + images; b++) {
          const imageBase = b * inHeight * inWidth * inChannels + ci;
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * strideHeight - top + kh;
            if (iy < 0 || iy >= inHeight) {
              cols.fill(0, o, o + outWidth);
              o += outWidth;
              continue;
            }
            const rowBase = imageBase + iy * inWidth * inChannels;
            for (let ox = 0; ox < outWidth; ox++) {
              const ix = ox * strideWidth - left + kw;
              cols[o++] = ix >= 0 && ix < inWidth ? x[rowBase + ix * inChannels] : 0;
            }
          }
        }
      }
    }
  }
}

/** dW (shape info.filterShape) of the NHWC convolution described by `info`. */
export function filterGradientByMatMul(backend: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const kernel = 'Conv2DBackpropFilter';
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const xValues = readFloats(backend, x, kernel);
  let dyValues: Float32Array | null = null;
  const readDy = () => (dyValues ??= readFloats(backend, dy, kernel));
  const step = imagesPerChunk(info);
  let sums: Float32Array | null = null;
  for (let first = 0; first < info.batchSize; first += step) {
    const images = Math.min(step, info.batchSize - first);
    const cols = backend.makeOutput([taps, images * info.outHeight * info.outWidth], 'float32');
    // Filled straight into the heap, before any other allocation can move it.
    fillTransposedColumns(backend.typedArrayFromHeap(cols), xValues, info, first, images);
    const { rows, owned } = dyRows(backend, dy, readDy, first, images);
    let product: tf.TensorInfo;
    try {
      product = matMul(backend, cols, rows);
    } finally {
      backend.disposeData(cols.dataId);
      if (owned) backend.disposeData(rows.dataId);
    }
    // One chunk (the usual case): the product already is the gradient.
    if (images === info.batchSize) return { dataId: product.dataId, shape: filterShape, dtype: 'float32' };
    const partial = readFloats(backend, product, kernel);
    backend.disposeData(product.dataId);
    if (sums) for (let i = 0; i < sums.length; i++) sums[i] += partial[i];
    else sums = partial;
  }
  if (!sums) throw new Error(`${kernel}: empty batch.`);
  return { dataId: backend.write(sums, filterShape, 'float32'), shape: filterShape, dtype: 'float32' };
}

/** Adds dCols[images*OH*OW, K] into dx at the input positions each tap read (col2im). */
function scatterColumns(dx: Float32Array, dCols: Float32Array, info: tf.backend_util.Conv2DInfo,
  firstImage: number, images: number): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterWidth } = info;
  const { top, left } = info.padInfo;
  const taps = info.filterHeight * filterWidth * inChannels;
  let row = 0;
  for (let b = firstImage; b < firstImage + images; b++) {
    const imageBase = b * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row += taps) {
        for (let kh = 0; kh < info.filterHeight; kh++) {
          const iy = oy * strideHeight - top + kh;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = ox * strideWidth - left + kw;
            if (ix < 0 || ix >= inWidth) continue;
            const target = imageBase + (iy * inWidth + ix) * inChannels;
            const source = row + (kh * filterWidth + kw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) dx[target + ci] += dCols[source + ci];
          }
        }
      }
    }
  }
}

/** dX (shape info.inShape) of the NHWC convolution described by `info`, for filter W. */
export function inputGradientByMatMul(backend: WasmHeapBackend, dy: tf.TensorInfo, filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const kernel = 'Conv2DBackpropInput';
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const outChannels = info.outChannels;
  // W is [K, CO] row-major; its transpose is small (K*CO), so it is built here rather than in wasm.
  const weights = readFloats(backend, filter, kernel);
  const transposed = new Float32Array(taps * outChannels);
  for (let k = 0; k < taps; k++) {
    for (let co = 0; co < outChannels; co++) transposed[co * taps + k] = weights[k * outChannels + co];
  }
  const weightsT: tf.TensorInfo = {
    dataId: backend.write(transposed, [outChannels, taps], 'float32'), shape: [outChannels, taps], dtype: 'float32',
  };
  let dyValues: Float32Array | null = null;
  const readDy = () => (dyValues ??= readFloats(backend, dy, kernel));
  const dx = new Float32Array(info.inShape.reduce((a, b) => a * b, 1));
  const step = imagesPerChunk(info);
  try {
    for (let first = 0; first < info.batchSize; first += step) {
      const images = Math.min(step, info.batchSize - first);
      const { rows, owned } = dyRows(backend, dy, readDy, first, images);
      let dCols: tf.TensorInfo;
      try {
        dCols = matMul(backend, rows, weightsT);
      } finally {
        if (owned) backend.disposeData(rows.dataId);
      }
      // Read in place: nothing allocates on the heap until dCols is disposed.
      scatterColumns(dx, backend.typedArrayFromHeap(dCols), info, first, images);
      backend.disposeData(dCols.dataId);
    }
  } finally {
    backend.disposeData(weightsT.dataId);
  }
  const shape = [...info.inShape];
  return { dataId: backend.write(dx, shape, 'float32'), shape, dtype: 'float32' };
}

let strideOneRoutes = true;
/** Whether stride-1 gradients take the routes below instead of im2col (the tests compare both). */
export function setStrideOneConvGradients(enabled: boolean): void {
  strideOneRoutes = enabled;
}

/** Whether a route for stride 1 (and no dilation) applies to this convolution. */
function strideOneRoute(info: tf.backend_util.Conv2DInfo): boolean {
  return strideOneRoutes && info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/**
 * dX of a stride-1 convolution as a forward convolution, which runs in XNNPACK's conv kernels
 * (4-5x faster here than im2col + product + col2im for the CNN presets' 8-16 channels):
 *   dX = conv(dY, W'), W'[a, b, co, ci] = W[KH-1-a, KW-1-b, ci, co] (rotated 180 degrees, channels
 *   swapped), padded KH-1-top above and what brings the output back to the input's height below
 *   (widths alike). Null where that does not apply: strides other than 1, or a padding that would
 *   need cropping (negative).
 */
export function inputGradientByConvolution(backend: WasmHeapBackend, dy: tf.TensorInfo, filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const conv = tf.getKernel('Conv2D', 'wasm');
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  if (!conv || !strideOneRoute(info)) return null;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = info.inHeight - info.outHeight - top + kh - 1;
  const right = info.inWidth - info.outWidth - left + kw - 1;
  if (Math.min(top, left, bottom, right) < 0) return null;
  const weights = readFloats(backend, filter, 'Conv2DBackpropInput');
  const rotated = new Float32Array(weights.length);
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const from = ((kh - 1 - a) * kw + (kw - 1 - b)) * inChannels * outChannels;
      const to = (a * kw + b) * outChannels * inChannels;
      for (let ci = 0; ci < inChannels; ci++) {
        for (let co = 0; co < outChannels; co++) rotated[to + co * inChannels + ci] = weights[from + ci * outChannels + co];
      }
    }
  }
  const rotatedShape = [kh, kw, outChannels, inChannels];
  const rotatedFilter: tf.TensorInfo = { dataId: backend.write(rotated, rotatedShape, 'float32'), shape: rotatedShape, dtype: 'float32' };
  try {
    return conv.kernelFunc({
      inputs: { x: dy, filter: rotatedFilter }, backend,
      attrs: { strides: 1, dilations: 1, pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC' },
    }) as tf.TensorInfo;
  } finally {
    // Disposing the filter also frees the XNNPACK operator wasm cached for it.
    backend.disposeData(rotatedFilter.dataId);
  }
}

/** A wasm Transpose of `x` by `perm` (a new tensor the caller disposes). */
function transposed(backend: WasmHeapBackend, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('wasm convolution gradients: the wasm Transpose kernel is missing.');
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

/** Below this many in-channels filterGradientByConvolution declines (see there). */
export const FILTER_GRADIENT_MIN_CHANNELS = 4;

/**
 * dW of a stride-1 convolution as one forward convolution in XNNPACK, with the batch as channels:
 *   dW[a, b, ci, co] = sum over n, y, x of X[n, y + a - top, x + b - left, ci] dY[n, y, x, co]
 * is conv(X', dY') with X' = X as [CI, H, W, N] (in-channels as the batch) and dY' = dY as
 * [OH, OW, N, CO] (the filter), padded like the original convolution above and left and to a
 * KH x KW output below and right; the [CI, KH, KW, CO] result is transposed to the filter layout.
 * The three transposes move B*H*W*CI + B*OH*OW*CO floats, where im2col wrote KH*KW times more.
 * Null where that does not apply (strides other than 1, a padding that would need cropping) or
 * does not pay (fewer than FILTER_GRADIENT_MIN_CHANNELS in-channels).
 */
export function filterGradientByConvolution(backend: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const conv = tf.getKernel('Conv2D', 'wasm');
  const { filterHeight: kh, filterWidth: kw } = info;
  if (!conv || !strideOneRoute(info)) return null;
  // The in-channels become the convolution's batch: below 4 it has too few rows for XNNPACK (the
  // CNN teacher's first layer, 1 channel: 2.1 ms against 1.6 ms for im2col).
  if (info.inChannels < FILTER_GRADIENT_MIN_CHANNELS) return null;
  const { top, left } = info.padInfo;
  const bottom = kh - 1 - info.inHeight + info.outHeight - top;
  const right = kw - 1 - info.inWidth + info.outWidth - left;
  if (Math.min(top, left, bottom, right) < 0) return null;
  const temporaries: tf.TensorInfo[] = [];
  try {
    const images = transposed(backend, x, [3, 1, 2, 0]);
    temporaries.push(images);
    const filter = transposed(backend, dy, [1, 2, 0, 3]);
    temporaries.push(filter);
    const byInChannel = conv.kernelFunc({
      inputs: { x: images, filter }, backend,
      attrs: { strides: 1, dilations: 1, pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC' },
    }) as tf.TensorInfo;
    temporaries.push(byInChannel);
    return transposed(backend, byInChannel, [1, 2, 0, 3]);
  } finally {
    // Disposing dY' also frees the XNNPACK operator wasm cached for it as a filter.
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/**
 * The frame's geometry (layInputFrame): its height and width per image, its positions over the
 * batch, and the tail of zero positions after them that the last taps of the last position reach.
 */
function inputFrameOf(info: tf.backend_util.Conv2DInfo): { frameHeight: number; frameWidth: number; positions: number; tail: number } {
  const frameHeight = info.outHeight + info.filterHeight - 1;
  const frameWidth = info.outWidth + info.filterWidth - 1;
  return { frameHeight, frameWidth, positions: info.batchSize * frameHeight * frameWidth, tail: (info.filterHeight - 1) * frameWidth + info.filterWidth - 1 };
}

/**
 * Fills `frame` with the zero-padded input frame of a stride-1 convolution: per image
 * (OH + KH - 1) x (OW + KW - 1) positions of CI floats, frame row y and column x' holding input
 * row y - top and column x' - left where they exist, zeros elsewhere (also in any tail after the
 * last image). Output position (n, y, x) under tap (a, b) then reads frame position (n, y + a, x + b).
 */
function layInputFrame({ copyRows, zeroBytes }: WasmCopy, input: Float32Array, frame: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: ci } = info;
  const { top, left } = info.padInfo;
  const { frameHeight, frameWidth } = inputFrameOf(info);
  zeroBytes(frame.byteOffset, frame.byteLength);
  const [firstColumn, lastColumn] = [Math.max(0, left), Math.min(frameWidth, inWidth + left)];
  const [firstRow, lastRow] = [Math.max(0, -top), Math.min(inHeight, frameHeight - top)];
  if (lastColumn <= firstColumn || lastRow <= firstRow) return;
  copyRows(input.byteOffset + (firstRow * inWidth + firstColumn - left) * ci * 4, frame.byteOffset + ((firstRow + top) * frameWidth + firstColumn) * ci * 4,
    batchSize, lastRow - firstRow, (lastColumn - firstColumn) * ci * 4,
    inWidth * ci * 4, frameWidth * ci * 4, inHeight * inWidth * ci * 4, frameHeight * frameWidth * ci * 4);
}

/**
 * dW of a stride-1 convolution as kh products in the studio's GEMM over zero-padded copies, with
 * no im2col: X is copied into a frame of (OH + KH - 1) x (OW + KW - 1) positions per image (its
 * padding included, plus a zero tail), dY into the same frame (zeros outside OH x OW). Numbering
 * frame positions m = (n, y, x) row-major, the input under tap (a, b) of output position m is at
 * m + a FW + b, so for one tap row a the rows (b, ci) of the transposed column matrix are the
 * frame itself, read at offset a FW ci with row stride 1 and k stride CI (the GEMM's strided A):
 *   dW[a, b, ci, co] = sum over m of Xf[(m + a FW + b) CI + ci] dYf[m, co].
 * A tap reaching past the right or bottom edge wraps into the next row or image, where dY's frame
 * is zero, so those products add nothing. Null where the GEMM is not available or strides are not 1.
 */
export function filterGradientByShiftedProducts(backend: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const gemm = strideOneRoute(info) ? currentWasmGemm() : null;
  const copy = wasmCopyFor(backend);
  if (!gemm || !copy) return null;
  const { filterHeight: kh, filterWidth: kw } = info;
  const { batchSize, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { frameHeight, frameWidth, positions, tail } = inputFrameOf(info);
  // Allocate first: an allocation can grow the wasm memory, which detaches earlier heap views.
  const xFrame = backend.makeOutput([(positions + tail) * ci], 'float32');
  const dyFrame = backend.makeOutput([positions * co], 'float32');
  const dw = backend.makeOutput([...info.filterShape], 'float32');
  try {
    const [xf, dyf, xs, dys] = [xFrame, dyFrame, x, dy].map((t) => backend.typedArrayFromHeap(t));
    layInputFrame(copy, xs, xf, info);
    copy.zeroBytes(dyf.byteOffset, dyf.byteLength);
    copy.copyRows(dys.byteOffset, dyf.byteOffset, batchSize, oh, ow * co * 4,
      ow * co * 4, frameWidth * co * 4, oh * ow * co * 4, frameHeight * frameWidth * co * 4);
    const tapRow = kw * ci;
    for (let a = 0; a < kh; a++) {
      gemm(xf.byteOffset + a * frameWidth * ci * 4, dyf.byteOffset, backend.typedArrayFromHeap(dw).byteOffset + a * tapRow * co * 4,
        tapRow, co, positions, 1, ci);
    }
    return dw;
  } finally {
    backend.disposeData(xFrame.dataId);
    backend.disposeData(dyFrame.dataId);
  }
}


interface InputGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

const INPUT_GRADIENT = 'Conv2DBackpropInput';

function wasmInputGradient(args: KernelArgs, original: tf.KernelConfig): tf.TensorInfo {
  const attrs = args.attrs as unknown as InputGradAttrs;
  const { backend } = args;
  const dy = args.inputs.dy as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  // NCHW and non-float data keep tfjs's own kernel; the studio's models are NHWC float32.
  if (attrs.dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32' || !isWasmHeapBackend(backend)) {
    return original.kernelFunc(args) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  return inputGradientByConvolution(backend, dy, filter, info) ?? inputGradientByMatMul(backend, dy, filter, info);
}

const swap = wasmKernelSwap(INPUT_GRADIENT, wasmInputGradient);

/** Replaces wasm's Conv2DBackpropInput; false when the wasm backend is not registered. Safe to repeat. */
export function installWasmConvInputGradient(): boolean {
  return swap.install();
}

/** Restores tfjs's own kernel (the tests compare both). */
export function uninstallWasmConvInputGradient(): void {
  swap.uninstall();
}

import * as tf from '@tensorflow/tfjs';

/**
 * The two depthwise-convolution gradients the tfjs `wasm` backend lacks (4.22 registers only the
 * forward DepthwiseConv2dNative), so MobileNet-style models can train on wasm. A depthwise conv
 * costs only K*K multiply-adds per output element, so a direct loop with the channel innermost
 * (contiguous in NHWC) is as cheap as the forward pass; no im2col is needed. Depth multiplier 1
 * and 2 alike: filter [KH, KW, C, M], output channel c*M + m reads input channel c.
 */

interface DepthwiseGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type Info = tf.backend_util.Conv2DInfo;

function kernelBackend(args: Parameters<tf.KernelFunc>[0], kernel: string): tf.KernelBackend {
  if (!(args.backend instanceof tf.KernelBackend)) throw new Error(`${kernel}: not a tfjs kernel backend.`);
  return args.backend;
}

function floats(backend: tf.KernelBackend, info: tf.TensorInfo, kernel: string): Float32Array {
  const values = backend.readSync(info.dataId);
  if (!(values instanceof Float32Array)) throw new Error(`${kernel}: expected float32 data, got ${info.dtype}.`);
  return values;
}

function checkDilations(info: Info, kernel: string): void {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error(`${kernel} on wasm: dilations other than 1 are not supported by the studio's kernel.`);
  }
}

/**
 * Calls `visit(xOffset, dyOffset, wOffset)` for every (image, output pixel, filter tap) whose input
 * pixel lies inside the image, with offsets to channel 0 of each.
 */
function forEachTap(info: Info, visit: (xOffset: number, dyOffset: number, wOffset: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyOffset = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = oy * info.strideHeight + ky - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ox * info.strideWidth + kx - left;
            if (ix < 0 || ix >= inWidth) continue;
            visit(((b * inHeight + iy) * inWidth + ix) * inChannels, dyOffset, (ky * filterWidth + kx) * outChannels);
          }
        }
      }
    }
  }
}

const FILTER_GRADIENT = 'DepthwiseConv2dNativeBackpropFilter';
const INPUT_GRADIENT = 'DepthwiseConv2dNativeBackpropInput';

/** dW[ky, kx, c, m] = sum over images and output pixels of x[.., c] * dy[.., c*M + m]. */
function filterGradient(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = kernelBackend(args, FILTER_GRADIENT);
  const attrs = args.attrs as unknown as DepthwiseGradAttrs & { filterShape: [number, number, number, number] };
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape,
    attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  checkDilations(info, FILTER_GRADIENT);
  const xValues = floats(backend, x, FILTER_GRADIENT);
  const dyValues = floats(backend, dy, FILTER_GRADIENT);
  const multiplier = info.outChannels / info.inChannels;
  // Float64 sums: a gradient sums batch * pixels products, and float32 would drift from cpu's values.
  const sums = new Float64Array(attrs.filterShape.reduce((a, b) => a * b, 1));
  forEachTap(info, (xOffset, dyOffset, wOffset) => {
    for (let out = 0; out < info.outChannels; out++) {
      sums[wOffset + out] += xValues[xOffset + Math.floor(out / multiplier)] * dyValues[dyOffset + out];
    }
  });
  const shape = [...attrs.filterShape];
  return { dataId: backend.write(Float32Array.from(sums), shape, 'float32'), shape, dtype: 'float32' };
}

/** dx[.., c] = sum over the output pixels and taps that read it of w[ky, kx, c, m] * dy[.., c*M + m]. */
function inputGradient(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = kernelBackend(args, INPUT_GRADIENT);
  const attrs = args.attrs as unknown as DepthwiseGradAttrs & { inputShape: [number, number, number, number] };
  const dy = args.inputs.dy as tf.TensorInfo;
  const filter = args.inputs.filter as tf.TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number],
    attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  checkDilations(info, INPUT_GRADIENT);
  const wValues = floats(backend, filter, INPUT_GRADIENT);
  const dyValues = floats(backend, dy, INPUT_GRADIENT);
  const multiplier = info.outChannels / info.inChannels;
  const dx = new Float64Array(attrs.inputShape.reduce((a, b) => a * b, 1));
  forEachTap(info, (xOffset, dyOffset, wOffset) => {
    for (let out = 0; out < info.outChannels; out++) {
      dx[xOffset + Math.floor(out / multiplier)] += wValues[wOffset + out] * dyValues[dyOffset + out];
    }
  });
  const shape = [...attrs.inputShape];
  return { dataId: backend.write(Float32Array.from(dx), shape, 'float32'), shape, dtype: 'float32' };
}

/** Registers both kernels on wasm where it has none; false when wasm is not registered. Safe to repeat. */
export function installWasmDepthwiseGradients(): boolean {
  if (!tf.findBackendFactory('wasm')) return false;
  for (const [kernelName, kernelFunc] of [[FILTER_GRADIENT, filterGradient], [INPUT_GRADIENT, inputGradient]] as const) {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  return true;
}

import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_WASM, BATCH_NORM_SHARED_WASM } from './wasm-batch-norm-bytes';
import { isWasmHeapBackend, studioWasmModule, type WasmHeapBackend } from './wasmModule';

/**
 * Batch normalisation in training mode as two kernels on the tfjs `wasm` backend: one pass set for
 * the forward (batch mean, variance, output) and one for the gradient (dx, dgamma, dbeta).
 *
 * tfjs builds training-mode batch norm from moments and elementwise ops, and differentiates each:
 * in the CNN teacher about a third of a training step was the multiplies, sums and means of its
 * four batch-norm layers. These kernels read and write the wasm heap directly, per channel of the
 * last axis (NHWC): where C is a multiple of 4 through the SIMD passes of wasm-batch-norm-wat.ts
 * (float64 sums, float32 y and dx, the arithmetic of the JavaScript loops below, which give the
 * same bits and serve other C). FastBatchNorm (below) uses them in training on wasm, and keeps
 * tfjs's own path for inference and on other backends.
 */

export const BATCH_NORM_FORWARD_KERNEL = 'StudioBatchNormTrain';
export const BATCH_NORM_GRAD_KERNEL = 'StudioBatchNormTrainGrad';
export const MOVING_AVERAGES_KERNEL = 'StudioBatchNormMovingAverages';
const KERNELS = [BATCH_NORM_FORWARD_KERNEL, BATCH_NORM_GRAD_KERNEL, MOVING_AVERAGES_KERNEL];

function heapBackend(backend: unknown, kernel: string): WasmHeapBackend {
  if (!isWasmHeapBackend(backend)) throw new Error(`${kernel}: not the wasm backend.`);
  return backend;
}

/** The SIMD passes of wasm-batch-norm-wat.ts; every argument a byte offset or a count. */
interface SimdPasses {
  sums(x: number, rows: number, c: number, sum: number): void;
  squaredDeviations(x: number, rows: number, c: number, mean: number, sum: number): void;
  normalise(x: number, y: number, rows: number, c: number, mean: number, scale: number, beta: number): void;
  gradientSums(dy: number, x: number, rows: number, c: number, mean: number, inv: number, sumDy: number, sumDyXhat: number): void;
  inputGradient(dy: number, x: number, dx: number, rows: number, c: number, mean: number, a: number, k: number, cc: number): void;
}

let simdEnabled = true;
const loadPasses = studioWasmModule({ plain: BATCH_NORM_WASM, shared: BATCH_NORM_SHARED_WASM }, (exports) => exports as unknown as SimdPasses);

/** Whether the kernels use the SIMD passes where they can (the tests compare both paths). */
export function setBatchNormSimd(enabled: boolean): void {
  simdEnabled = enabled;
}

/** The passes over tfjs's own memory, or null (disabled, C not a positive multiple of 4, not the wasm backend). */
function simdPasses(heap: WasmHeapBackend, channels: number): SimdPasses | null {
  return simdEnabled && channels > 0 && channels % 4 === 0 ? loadPasses(heap) : null;
}

/** y = ((x - mean) scale) + beta in float32 operations, scale = 1/std gamma rounded once (the normalise pass's). */
function normalisedValue(x: number, mean: number, scale: number, beta: number): number {
  return Math.fround(Math.fround(Math.fround(x - mean) * scale) + beta);
}

/**
 * dx = gamma/std (dy - sumDy/M - xhat sumDyXhat/M), xhat = (x - mean)/std, as ((a dy) - (k (x - mean))) - c
 * with per-channel a = gamma/std, k = a/std sumDyXhat/M and c = a sumDy/M (float64, rounded once
 * into the float32 arrays given) and float32 operations per value (the inputGradient pass's).
 */
function gradientOperands(g: Float32Array, inv: Float32Array, sumDy: Float64Array, sumDyXhat: Float64Array, count: number, a: Float32Array, k: Float32Array, cc: Float32Array): void {
  for (let c = 0; c < g.length; c++) {
    const scale = g[c] * inv[c];
    a[c] = scale;
    k[c] = scale * inv[c] * sumDyXhat[c] / count;
    cc[c] = scale * sumDy[c] / count;
  }
}

function inputGradientValue(dy: number, x: number, mean: number, a: number, k: number, cc: number): number {
  return Math.fround(Math.fround(Math.fround(a * dy) - Math.fround(k * Math.fround(x - mean))) - cc);
}

/** Which loops the kernels run for C channels on the current backend: the SIMD passes or JavaScript. */
export function batchNormPath(channels: number): 'simd' | 'javascript' {
  return simdPasses(heapBackend(tf.backend(), BATCH_NORM_FORWARD_KERNEL), channels) ? 'simd' : 'javascript';
}

/** A float64 array of C values on the heap: its byte offset and a view. */
interface ChannelArray { at: number; values: Float64Array }

/**
 * `arrays` float64 channel arrays of C values in one temporary heap tensor (allocate it before
 * taking other views), or null where the heap gave an offset a Float64Array cannot start at.
 */
function channelArrays(heap: WasmHeapBackend, channels: number, arrays: number): { info: tf.TensorInfo; views: () => ChannelArray[] } | null {
  const info = heap.makeOutput([channels * 2 * arrays], 'float32');
  const base = heap.typedArrayFromHeap(info);
  if (base.byteOffset % 8 !== 0) {
    heap.disposeData(info.dataId);
    return null;
  }
  return {
    info,
    views: () => {
      const floats = heap.typedArrayFromHeap(info);
      return Array.from({ length: arrays }, (_, i) => {
        const at = floats.byteOffset + i * channels * 8;
        return { at, values: new Float64Array(floats.buffer, at, channels) };
      });
    },
  };
}

/** The forward's per-channel statistics and operands (float32 heap views) and x, gamma, beta. */
interface ForwardViews {
  xs: Float32Array; g: Float32Array; b: Float32Array;
  y: Float32Array; mean: Float32Array; variance: Float32Array; invStd: Float32Array; scale: Float32Array;
}

/** variance and 1/std from the sums of squared deviations, and the normalise pass's scale. */
function finishStatistics(v: ForwardViews, squaredDeviations: Float64Array, count: number, epsilon: number): void {
  for (let c = 0; c < v.mean.length; c++) {
    v.variance[c] = squaredDeviations[c] / count;
    v.invStd[c] = 1 / Math.sqrt(v.variance[c] + epsilon);
    v.scale[c] = v.invStd[c] * v.g[c];
  }
}

function forwardBySimd(passes: SimdPasses, sums: ChannelArray, mean64: ChannelArray, v: ForwardViews, epsilon: number): void {
  const channels = v.mean.length;
  const rows = v.xs.length / channels;
  sums.values.fill(0);
  passes.sums(v.xs.byteOffset, rows, channels, sums.at);
  for (let c = 0; c < channels; c++) {
    v.mean[c] = sums.values[c] / rows;
    // The float32 mean, as the loops use it.
    mean64.values[c] = v.mean[c];
  }
  sums.values.fill(0);
  passes.squaredDeviations(v.xs.byteOffset, rows, channels, mean64.at, sums.at);
  finishStatistics(v, sums.values, rows, epsilon);
  passes.normalise(v.xs.byteOffset, v.y.byteOffset, rows, channels, v.mean.byteOffset, v.scale.byteOffset, v.b.byteOffset);
}

function forwardByLoops(v: ForwardViews, epsilon: number): void {
  const { xs, mean } = v;
  const channels = mean.length;
  const count = xs.length / channels;
  const sums = new Float64Array(channels);
  for (let i = 0; i < xs.length; i++) sums[i % channels] += xs[i];
  for (let c = 0; c < channels; c++) mean[c] = sums[c] / count;
  // Two passes, as tf.moments: the mean first, then the mean squared deviation from it.
  sums.fill(0);
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i] - mean[i % channels];
    sums[i % channels] += d * d;
  }
  finishStatistics(v, sums, count, epsilon);
  for (let i = 0; i < xs.length; i++) {
    const c = i % channels;
    v.y[i] = normalisedValue(xs[i], mean[c], v.scale[c], v.b[c]);
  }
}

/** x [..., C] -> y, and the batch mean, (biased) variance and 1 / sqrt(variance + epsilon) per channel. */
function forward({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const heap = heapBackend(backend, BATCH_NORM_FORWARD_KERNEL);
  const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon } = attrs as unknown as { epsilon: number };
  const channels = x.shape[x.shape.length - 1];
  // Allocate first: an allocation can grow the wasm memory, which detaches earlier heap views.
  const outputs = [heap.makeOutput([...x.shape], 'float32'), ...[0, 1, 2].map(() => heap.makeOutput([channels], 'float32'))];
  const scale = heap.makeOutput([channels], 'float32');
  const passes = simdPasses(heap, channels);
  const scratch = passes ? channelArrays(heap, channels, 2) : null;
  try {
    const [y, mean, variance, invStd, scaleValues, xs, g, b] = [...outputs, scale, x, gamma, beta].map((info) => heap.typedArrayFromHeap(info));
    const views = { xs, g, b, y, mean, variance, invStd, scale: scaleValues };
    if (passes && scratch) {
      const [sums, mean64] = scratch.views();
      forwardBySimd(passes, sums, mean64, views, epsilon);
    } else {
      forwardByLoops(views, epsilon);
    }
  } finally {
    heap.disposeData(scale.dataId);
    if (scratch) heap.disposeData(scratch.info.dataId);
  }
  return outputs;
}

/** dy, x, gamma, mean, invStd -> dx, dgamma, dbeta (the batch statistics depend on x too). */
function gradient({ inputs, backend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const heap = heapBackend(backend, BATCH_NORM_GRAD_KERNEL);
  const { dy, x, gamma, mean, invStd } = inputs as Record<string, tf.TensorInfo>;
  const channels = x.shape[x.shape.length - 1];
  const outputs = [heap.makeOutput([...x.shape], 'float32'), heap.makeOutput([channels], 'float32'), heap.makeOutput([channels], 'float32')];
  // a, k and c of the input gradient, float32.
  const operands = heap.makeOutput([3 * channels], 'float32');
  const passes = simdPasses(heap, channels);
  const scratch = passes ? channelArrays(heap, channels, 4) : null;
  try {
    const [dx, dGamma, dBeta, operandValues, dys, xs, g, mu, inv] = [...outputs, operands, dy, x, gamma, mean, invStd].map((info) => heap.typedArrayFromHeap(info));
    const [a, k, cc] = [0, 1, 2].map((i) => operandValues.subarray(i * channels, (i + 1) * channels));
    const count = xs.length / channels;
    if (passes && scratch) {
      const [mean64, inv64, sumDy, sumDyXhat] = scratch.views();
      mean64.values.set(mu);
      inv64.values.set(inv);
      sumDy.values.fill(0);
      sumDyXhat.values.fill(0);
      passes.gradientSums(dys.byteOffset, xs.byteOffset, count, channels, mean64.at, inv64.at, sumDy.at, sumDyXhat.at);
      dBeta.set(sumDy.values);
      dGamma.set(sumDyXhat.values);
      gradientOperands(g, inv, sumDy.values, sumDyXhat.values, count, a, k, cc);
      passes.inputGradient(dys.byteOffset, xs.byteOffset, dx.byteOffset, count, channels, mu.byteOffset, a.byteOffset, k.byteOffset, cc.byteOffset);
    } else {
      const sumDy = new Float64Array(channels);
      const sumDyXhat = new Float64Array(channels);
      for (let i = 0; i < xs.length; i++) {
        const c = i % channels;
        sumDy[c] += dys[i];
        sumDyXhat[c] += dys[i] * (xs[i] - mu[c]) * inv[c];
      }
      dBeta.set(sumDy);
      dGamma.set(sumDyXhat);
      gradientOperands(g, inv, sumDy, sumDyXhat, count, a, k, cc);
      for (let i = 0; i < xs.length; i++) {
        const c = i % channels;
        dx[i] = inputGradientValue(dys[i], xs[i], mu[c], a[c], k[c], cc[c]);
      }
    }
  } finally {
    heap.disposeData(operands.dataId);
    if (scratch) heap.disposeData(scratch.info.dataId);
  }
  return outputs;
}

/**
 * Both moving statistics of a layer in one kernel: moving <- moving - (moving - batch) (1 - momentum)
 * for [movingMean, mean] and [movingVariance, variance], in float32 step by step as tfjs-layers'
 * update runs it as three ops each (the same bits); six kernel calls and a scalar upload per
 * layer were 0.25-0.4 ms of a CNN-teacher step in Chromium profiles (four layers of 8-16 channels).
 */
function movingAverages({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const heap = heapBackend(backend, MOVING_AVERAGES_KERNEL);
  const { movingMean, mean, movingVariance, variance } = inputs as Record<string, tf.TensorInfo>;
  const decay = Math.fround(1 - (attrs as unknown as { momentum: number }).momentum);
  const pairs = [[movingMean, mean], [movingVariance, variance]] as const;
  const outputs = pairs.map(([moving]) => heap.makeOutput([...moving.shape], 'float32'));
  pairs.forEach(([moving, batch], i) => {
    const [out, current, statistic] = [outputs[i], moving, batch].map((info) => heap.typedArrayFromHeap(info));
    for (let c = 0; c < out.length; c++) out[c] = current[c] - Math.fround(Math.fround(current[c] - statistic[c]) * decay);
  });
  return outputs;
}

export function installWasmBatchNorm(): boolean {
  if (!tf.findBackendFactory('wasm')) return false;
  const kernelFuncs = [forward, gradient, movingAverages];
  KERNELS.forEach((kernelName, i) => {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFuncs[i] });
  });
  return true;
}

/** Removes the kernels (FastBatchNorm then takes tfjs's path); the tests compare both. */
export function uninstallWasmBatchNorm(): void {
  for (const name of KERNELS) if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
}

export function wasmBatchNormAvailable(): boolean {
  return KERNELS.every((name) => tf.getKernel(name, tf.getBackend()) !== undefined);
}

/**
 * Training-mode batch norm over the last axis: [y, batch mean, batch variance]. Differentiable in
 * x, gamma and beta; the statistics are for the moving averages (no gradient) and the caller owns them.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  let statistics: [tf.Tensor, tf.Tensor] | null = null;
  const normalise = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [input, scale, offset] = args as tf.Tensor[];
    const save = args[3] as (tensors: tf.Tensor[]) => void;
    const [y, mean, variance, invStd] = tf.engine().runKernel(BATCH_NORM_FORWARD_KERNEL, { x: input, gamma: scale, beta: offset }, { epsilon }) as tf.Tensor[];
    save([input, scale, mean, invStd]);
    statistics = [tf.keep(mean.clone()), tf.keep(variance)];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [savedX, savedGamma, savedMean, savedInvStd] = saved;
        return tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, { dy: dy as tf.Tensor, x: savedX, gamma: savedGamma, mean: savedMean, invStd: savedInvStd }) as tf.Tensor[];
      },
    };
  });
  const y = normalise(x, gamma, beta);
  const [mean, variance] = statistics as unknown as [tf.Tensor, tf.Tensor];
  return [y, mean, variance];
}

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/** tfjs-layers' BatchNormalization class: exported by tfjs only through its factory. */
const BatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (args: BatchNormArgs) => tf.layers.Layer;

/**
 * tfjs's BatchNormalization layer whose training-mode call uses the kernels above where the
 * backend has them (wasm): same weights, moving averages, config and class name.
 */
export class FastBatchNorm extends BatchNormalization {
  private readonly normAxis: number;
  private readonly normEpsilon: number;
  private readonly normMomentum: number;

  constructor(args: BatchNormArgs) {
    super(args);
    this.normAxis = args.axis ?? -1;
    this.normEpsilon = args.epsilon ?? 1e-3;
    this.normMomentum = args.momentum ?? 0.99;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = this.normAxis === -1 || this.normAxis === input.rank - 1;
    // Weights are [gamma, beta, moving mean, moving variance] with center and scale (the builder's).
    if (kwargs.training !== true || !lastAxis || this.weights.length !== 4 || input.dtype !== 'float32' || !wasmBatchNormAvailable()) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const [gamma, beta, movingMean, movingVariance] = this.weights;
      const [y, mean, variance] = batchNormTraining(input, gamma.read(), beta.read(), this.normEpsilon);
      // tfjs-layers' update of the moving statistics, both in one kernel (see movingAverages).
      const updated = tf.engine().runKernel(MOVING_AVERAGES_KERNEL,
        { movingMean: movingMean.read(), mean, movingVariance: movingVariance.read(), variance }, { momentum: this.normMomentum }) as tf.Tensor[];
      movingMean.write(updated[0]);
      movingVariance.write(updated[1]);
      tf.dispose([mean, variance, ...updated]);
      return y;
    });
  }
}

export function fastBatchNorm(args: BatchNormArgs): tf.layers.Layer {
  return new FastBatchNorm(args);
}

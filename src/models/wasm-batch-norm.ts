import * as tf from '@tensorflow/tfjs';

/**
 * Batch normalisation in training mode as two kernels on the tfjs `wasm` backend: one pass set for
 * the forward (batch mean, variance, output) and one for the gradient (dx, dgamma, dbeta).
 *
 * tfjs builds training-mode batch norm from moments and elementwise ops, and differentiates each:
 * in the CNN teacher about a third of a training step was the multiplies, sums and means of its
 * four batch-norm layers. These kernels read and write the wasm heap directly, per channel of the
 * last axis (NHWC). FastBatchNorm (below) uses them in training on wasm, and keeps tfjs's own path
 * for inference and on other backends.
 */

export const BATCH_NORM_FORWARD_KERNEL = 'StudioBatchNormTrain';
export const BATCH_NORM_GRAD_KERNEL = 'StudioBatchNormTrainGrad';

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view on the wasm heap (float32 tensors give a Float32Array). */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function heapBackend(backend: unknown, kernel: string): WasmHeapBackend {
  if (typeof backend !== 'object' || backend === null || !('typedArrayFromHeap' in backend) || !('makeOutput' in backend)) {
    throw new Error(`${kernel}: not the wasm backend.`);
  }
  return backend as WasmHeapBackend;
}

/** x [..., C] -> y, and the batch mean, (biased) variance and 1 / sqrt(variance + epsilon) per channel. */
function forward({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const heap = heapBackend(backend, BATCH_NORM_FORWARD_KERNEL);
  const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const { epsilon } = attrs as unknown as { epsilon: number };
  const channels = x.shape[x.shape.length - 1];
  // Allocate first: an allocation can grow the wasm memory, which detaches earlier heap views.
  const outputs = [heap.makeOutput([...x.shape], 'float32'), ...[0, 1, 2].map(() => heap.makeOutput([channels], 'float32'))];
  const [y, mean, variance, invStd] = outputs.map((info) => heap.typedArrayFromHeap(info));
  const xs = heap.typedArrayFromHeap(x);
  const g = heap.typedArrayFromHeap(gamma);
  const b = heap.typedArrayFromHeap(beta);
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
  for (let c = 0; c < channels; c++) {
    variance[c] = sums[c] / count;
    invStd[c] = 1 / Math.sqrt(variance[c] + epsilon);
  }
  for (let i = 0; i < xs.length; i++) {
    const c = i % channels;
    y[i] = (xs[i] - mean[c]) * invStd[c] * g[c] + b[c];
  }
  return outputs;
}

/** dy, x, gamma, mean, invStd -> dx, dgamma, dbeta (the batch statistics depend on x too). */
function gradient({ inputs, backend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const heap = heapBackend(backend, BATCH_NORM_GRAD_KERNEL);
  const { dy, x, gamma, mean, invStd } = inputs as Record<string, tf.TensorInfo>;
  const channels = x.shape[x.shape.length - 1];
  const outputs = [heap.makeOutput([...x.shape], 'float32'), heap.makeOutput([channels], 'float32'), heap.makeOutput([channels], 'float32')];
  const [dx, dGamma, dBeta] = outputs.map((info) => heap.typedArrayFromHeap(info));
  const [dys, xs, g, mu, inv] = [dy, x, gamma, mean, invStd].map((info) => heap.typedArrayFromHeap(info));
  const count = xs.length / channels;
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  for (let i = 0; i < xs.length; i++) {
    const c = i % channels;
    sumDy[c] += dys[i];
    sumDyXhat[c] += dys[i] * (xs[i] - mu[c]) * inv[c];
  }
  for (let c = 0; c < channels; c++) {
    dBeta[c] = sumDy[c];
    dGamma[c] = sumDyXhat[c];
  }
  // dx = gamma invStd / M (M dy - sum dy - xhat sum dy xhat)
  for (let i = 0; i < xs.length; i++) {
    const c = i % channels;
    const xhat = (xs[i] - mu[c]) * inv[c];
    dx[i] = (g[c] * inv[c] / count) * (count * dys[i] - sumDy[c] - xhat * sumDyXhat[c]);
  }
  return outputs;
}

export function installWasmBatchNorm(): boolean {
  if (!tf.findBackendFactory('wasm')) return false;
  if (!tf.getKernel(BATCH_NORM_FORWARD_KERNEL, 'wasm')) tf.registerKernel({ kernelName: BATCH_NORM_FORWARD_KERNEL, backendName: 'wasm', kernelFunc: forward });
  if (!tf.getKernel(BATCH_NORM_GRAD_KERNEL, 'wasm')) tf.registerKernel({ kernelName: BATCH_NORM_GRAD_KERNEL, backendName: 'wasm', kernelFunc: gradient });
  return true;
}

/** Removes the kernels (FastBatchNorm then takes tfjs's path); the tests compare both. */
export function uninstallWasmBatchNorm(): void {
  for (const name of [BATCH_NORM_FORWARD_KERNEL, BATCH_NORM_GRAD_KERNEL]) if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
}

export function wasmBatchNormAvailable(): boolean {
  return tf.getKernel(BATCH_NORM_FORWARD_KERNEL, tf.getBackend()) !== undefined && tf.getKernel(BATCH_NORM_GRAD_KERNEL, tf.getBackend()) !== undefined;
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
      // tfjs-layers' update, op for op: moving <- moving - (moving - batch) (1 - momentum).
      for (const [moving, batch] of [[movingMean, mean], [movingVariance, variance]] as const) {
        tf.tidy(() => {
          const current = moving.read();
          moving.write(tf.sub(current, tf.mul(tf.sub(current, batch), 1 - this.normMomentum)));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    });
  }
}

export function fastBatchNorm(args: BatchNormArgs): tf.layers.Layer {
  return new FastBatchNorm(args);
}

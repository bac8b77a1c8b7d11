import * as tf from '@tensorflow/tfjs';
import { requireAtLeastRank, requireRank, requireSameBatch, requireSameShape } from './inputs';

/**
 * Intermediate (feature) knowledge: FitNet hints, attention transfer, FSP matrices and neuron
 * selectivity transfer. Feature maps are NHWC [B, H, W, C]. Every loss is a batch mean.
 * `attentionMap` and `fspMatrix` double as the trainer's visualisation probes.
 */

/** Below this a norm counts as zero: the vector stays zero and gets no gradient. */
const NORM_EPSILON = 1e-12;

/** sqrt(sum x^2) along `axis`, floored at NORM_EPSILON so its gradient stays finite at zero. */
export function safeNorm(x: tf.Tensor, axis: number, keepDims = false): tf.Tensor {
  return tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, keepDims), NORM_EPSILON * NORM_EPSILON));
}

/**
 * x / ||x|| along `axis`; a vector of norm <= NORM_EPSILON maps to zero with zero gradient.
 * PyTorch's F.normalize (x / max(||x||, eps)) has the same values but a 1/eps = 1e12 gradient at
 * zero, which a dead ReLU channel or an all-zero sample would feed into training. The mask is
 * built with `step` (whose gradient is zero) because tfjs cannot differentiate through Greater.
 */
export function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => {
    const squared = tf.sum(tf.square(x), axis, true);
    const nonZero = tf.step(tf.sub(squared, NORM_EPSILON * NORM_EPSILON));
    const safeSquared = tf.add(tf.mul(squared, nonZero), tf.sub(1, nonZero));
    return tf.mul(tf.div(x, tf.sqrt(safeSquared)), nonZero);
  });
}

function requireMap(feature: tf.Tensor, what: string): asserts feature is tf.Tensor4D {
  requireRank(feature, 4, `${what} [B, H, W, C]`);
}

// ---- FitNet ----

export type HintForm = 'paper' | 'mse';

/**
 * Romero et al. 2015: 1/2 * ||u_t - r(v_s)||^2 per sample, batch mean ('paper'), or the mean of
 * squared differences over all elements ('mse', RepDistiller). The adapter r is applied upstream.
 */
export function hintLoss(guided: tf.Tensor, guide: tf.Tensor, { form }: { form: HintForm }): tf.Scalar {
  requireAtLeastRank(guided, 2, 'guided feature');
  requireSameShape(guided, guide, 'FitNet guided (after the adapter) and guide features');
  return tf.tidy(() => {
    const squared = tf.square(tf.sub(guide, guided));
    if (form === 'mse') return tf.mean(squared);
    const batch = guided.shape[0];
    return tf.mul(tf.mean(tf.sum(tf.reshape(squared, [batch, -1]), 1)), 0.5);
  });
}

// ---- Attention transfer ----

/** Q(F) = sum_k |F_k|^p over channels, kept as maps [B, H, W]. */
export function attentionSum(feature: tf.Tensor, p: number): tf.Tensor3D {
  requireMap(feature, 'feature map');
  if (!(p >= 1) || !Number.isFinite(p)) throw new Error(`Attention power p must be >= 1, got ${p}.`);
  return tf.tidy(() => {
    const powered = p === 2 ? tf.square(feature) : tf.pow(tf.abs(feature), p);
    return tf.sum(powered, 3);
  });
}

/** Zagoruyko & Komodakis 2017: Q(F) flattened to [B, H*W] and L2-normalised per sample. */
export function attentionMap(feature: tf.Tensor, p = 2): tf.Tensor2D {
  return tf.tidy(() => {
    const sums = attentionSum(feature, p);
    const [batch, height, width] = sums.shape;
    return l2Normalize(tf.reshape(sums, [batch, height * width]), 1) as tf.Tensor2D;
  });
}

export type AttentionForm = 'paper' | 'repdistiller';

export interface AttentionOptions {
  /** Power over channels (the paper's p = 2). */
  p: number;
  form: AttentionForm;
  /** Upsample the smaller attention map bilinearly (align corners) when H, W differ. */
  resize: boolean;
}

function resizeMap(map: tf.Tensor3D, size: [number, number]): tf.Tensor3D {
  if (map.shape[1] === size[0] && map.shape[2] === size[1]) return map;
  // alignCorners: tfjs's ResizeBilinearGrad ignores halfPixelCenters, so this is the mode whose
  // gradient matches its forward pass.
  return tf.squeeze(tf.image.resizeBilinear(tf.expandDims(map, 3) as tf.Tensor4D, size, true), [3]);
}

/**
 * 'paper': beta/2 * ||Q_s/|Q_s| - Q_t/|Q_t| ||_2 per sample, batch mean, with beta = w / (H*W) as the
 * paper sets it (w = 10^3 is the block weight). Returns 1 / (2*H*W) * mean_b ||.||_2.
 * 'repdistiller': mean over batch and positions of the squared difference of the normalised maps.
 */
export function attentionLoss(sFeature: tf.Tensor, tFeature: tf.Tensor, options: AttentionOptions): tf.Scalar {
  requireMap(sFeature, 'student (guided) feature');
  requireMap(tFeature, 'teacher (guide) feature');
  requireSameBatch(sFeature, tFeature, 'attention transfer');
  const [, hs, ws] = sFeature.shape;
  const [, ht, wt] = tFeature.shape;
  if ((hs !== ht || ws !== wt) && !options.resize) {
    throw new Error(`Attention transfer needs equal spatial sizes (student ${hs}x${ws}, teacher ${ht}x${wt}): pick layers with the same H, W or turn on 'resize'.`);
  }
  return tf.tidy(() => {
    const size: [number, number] = [Math.max(hs, ht), Math.max(ws, wt)];
    const positions = size[0] * size[1];
    const batch = sFeature.shape[0];
    const flat = (f: tf.Tensor4D): tf.Tensor =>
      l2Normalize(tf.reshape(resizeMap(attentionSum(f, options.p), size), [batch, positions]), 1);
    const difference = tf.sub(flat(sFeature), flat(tFeature));
    if (options.form === 'repdistiller') return tf.mean(tf.square(difference));
    return tf.div(tf.mean(safeNorm(difference, 1)), 2 * positions);
  });
}

// ---- FSP ----

/** Yim et al. 2017: G[i, j] = sum_{s,t} F1[s,t,i] * F2[s,t,j] / (h*w), per sample -> [B, m, n]. */
export function fspMatrix(first: tf.Tensor, second: tf.Tensor): tf.Tensor3D {
  requireMap(first, 'first FSP feature');
  requireMap(second, 'second FSP feature');
  const [batch, h, w, m] = first.shape;
  const [batch2, h2, w2, n] = second.shape;
  if (batch !== batch2 || h !== h2 || w !== w2) {
    throw new Error(`FSP needs two maps of one network with the same batch and spatial size, got [${first.shape.join(', ')}] and [${second.shape.join(', ')}]: pick two layers with equal H, W.`);
  }
  return tf.tidy(() => {
    const a = tf.reshape(first, [batch, h * w, m]) as tf.Tensor3D;
    const b = tf.reshape(second, [batch, h * w, n]) as tf.Tensor3D;
    return tf.div(tf.matMul(a, b, true, false), h * w);
  });
}

export type FspForm = 'paper' | 'repdistiller';

/**
 * 'paper': 1/B * sum_x ||G_t(x) - G_s(x)||_2^2 (squared Frobenius norm, one pair, lambda = 1).
 * 'repdistiller': mean of the squared differences over batch and matrix entries.
 */
export function fspLoss(
  teacher: [tf.Tensor, tf.Tensor],
  student: [tf.Tensor, tf.Tensor],
  { form }: { form: FspForm },
): tf.Scalar {
  return tf.tidy(() => {
    const gt = fspMatrix(teacher[0], teacher[1]);
    const gs = fspMatrix(student[0], student[1]);
    if (gt.shape[1] !== gs.shape[1] || gt.shape[2] !== gs.shape[2] || gt.shape[0] !== gs.shape[0]) {
      throw new Error(`FSP matrices differ: teacher ${gt.shape[1]}x${gt.shape[2]}, student ${gs.shape[1]}x${gs.shape[2]}. Pick student layers with the teacher's channel counts or add adapters.`);
    }
    const squared = tf.square(tf.sub(gt, gs));
    if (form === 'repdistiller') return tf.mean(squared);
    return tf.mean(tf.sum(squared, [1, 2]));
  });
}

// ---- NST ----

export type NstKernel = 'linear' | 'polynomial' | 'gaussian';

export interface NstOptions {
  kernel: NstKernel;
  /** Polynomial kernel (x.y + c)^d. */
  degree: number;
  c: number;
  /** Gaussian kernel exp(-||x - y||^2 / (2 sigma^2)). */
  sigma: number;
}

/** Each channel as one sample: [B, C, H*W], L2-normalised over positions. */
export function channelVectors(feature: tf.Tensor): tf.Tensor3D {
  requireMap(feature, 'NST feature');
  return tf.tidy(() => {
    const [batch, h, w, channels] = feature.shape;
    const columns = tf.reshape(feature, [batch, h * w, channels]);
    return l2Normalize(tf.transpose(columns, [0, 2, 1]), 2) as tf.Tensor3D;
  });
}

/** mean_{i,j} k(x_i, y_j) per sample -> [B]. */
function meanKernel(x: tf.Tensor3D, y: tf.Tensor3D, options: NstOptions): tf.Tensor {
  const dots = tf.matMul(x, y, false, true);
  let values: tf.Tensor;
  if (options.kernel === 'linear') {
    values = dots;
  } else if (options.kernel === 'polynomial') {
    values = tf.pow(tf.add(dots, options.c), options.degree);
  } else {
    const xx = tf.sum(tf.square(x), 2, true);
    const yy = tf.transpose(tf.sum(tf.square(y), 2, true), [0, 2, 1]);
    const squaredDistance = tf.relu(tf.sub(tf.add(xx, yy), tf.mul(dots, 2)));
    values = tf.exp(tf.div(squaredDistance, -2 * options.sigma * options.sigma));
  }
  return tf.mean(values, [1, 2]);
}

/**
 * Huang & Wang 2017: squared MMD between the teacher's and the student's normalised channel
 * vectors, MMD^2 = mean k(t, t') + mean k(s, s') - 2 mean k(t, s), per sample, batch mean.
 */
export function nstLoss(sFeature: tf.Tensor, tFeature: tf.Tensor, options: NstOptions): tf.Scalar {
  requireMap(sFeature, 'student (guided) feature');
  requireMap(tFeature, 'teacher (guide) feature');
  requireSameBatch(sFeature, tFeature, 'NST');
  const positions = (f: tf.Tensor4D): number => f.shape[1] * f.shape[2];
  if (positions(sFeature) !== positions(tFeature)) {
    throw new Error(`NST needs equal H*W (student ${positions(sFeature)}, teacher ${positions(tFeature)}): pick layers with the same spatial size.`);
  }
  if (options.kernel === 'polynomial' && !(Number.isInteger(options.degree) && options.degree >= 1)) {
    throw new Error(`NST polynomial degree must be a positive integer, got ${options.degree}.`);
  }
  if (options.kernel === 'gaussian' && !(options.sigma > 0)) {
    throw new Error(`NST Gaussian sigma must be positive, got ${options.sigma}.`);
  }
  return tf.tidy(() => {
    const s = channelVectors(sFeature);
    const t = channelVectors(tFeature);
    const mmd = tf.sub(
      tf.add(meanKernel(t, t, options), meanKernel(s, s, options)),
      tf.mul(meanKernel(t, s, options), 2),
    );
    return tf.mean(mmd);
  });
}

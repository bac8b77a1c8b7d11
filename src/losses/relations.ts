import * as tf from '@tensorflow/tfjs';
import { requireAtLeastRank, requireSameBatch } from './inputs';
import { l2Normalize } from './features';

/**
 * Relational knowledge: losses on how the samples of a batch relate to each other, so teacher and
 * student features may have any (different) sizes. Inputs are flattened to [B, D].
 */

const SQUARED_DISTANCE_FLOOR = 1e-12;

function flattenBatch(feature: tf.Tensor, what: string): tf.Tensor2D {
  requireAtLeastRank(feature, 2, what);
  return tf.reshape(feature, [feature.shape[0], -1]);
}

function checkPair(sFeature: tf.Tensor, tFeature: tf.Tensor, what: string): void {
  requireAtLeastRank(sFeature, 2, `${what} student feature`);
  requireAtLeastRank(tFeature, 2, `${what} teacher feature`);
  requireSameBatch(sFeature, tFeature, what);
}

// ---- SP ----

/** Tung & Mori 2019: G = Q Q^T (B x B), each row L2-normalised. */
export function similarityMatrix(feature: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const q = flattenBatch(feature, 'SP feature');
    return l2Normalize(tf.matMul(q, q, false, true), 1) as tf.Tensor2D;
  });
}

/** L_SP = 1/B^2 * ||G_t - G_s||_F^2. */
export function spLoss(sFeature: tf.Tensor, tFeature: tf.Tensor): tf.Scalar {
  checkPair(sFeature, tFeature, 'SP');
  return tf.tidy(() => {
    const batch = sFeature.shape[0];
    const difference = tf.sub(similarityMatrix(tFeature), similarityMatrix(sFeature));
    return tf.div(tf.sum(tf.square(difference)), batch * batch);
  });
}

// ---- RKD ----

/**
 * Smooth L1 / Huber with delta 1, elementwise: 0.5 m^2 + (|d| - m) with m = min(|d|, 1). Written
 * without tf.where so it also differentiates w.r.t. both arguments (tfjs has no gradient for Less).
 */
export function huber(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const absolute = tf.abs(tf.sub(x, y));
    const clipped = tf.minimum(absolute, 1);
    return tf.add(tf.mul(tf.square(clipped), 0.5), tf.sub(absolute, clipped));
  });
}

interface PairGeometry {
  /** Gram matrix of the batch-centred embeddings (distances and angles are translation-free). */
  gram: tf.Tensor2D;
  /** Euclidean distances, exactly 0 on the diagonal. */
  distance: tf.Tensor2D;
  offDiagonal: tf.Tensor2D;
  /** 1 for pairs of distinct samples that are not coincident (see COINCIDENT_FRACTION). */
  separated: tf.Tensor2D;
}

/**
 * A pair whose squared distance is below this fraction of the batch's mean squared distance
 * (i.e. closer than 1 % of the RMS distance) counts as coincident: the direction between the two
 * points is undefined, and in float32 the Gram-based dot products are rounding noise at that
 * scale. Angles at such pairs are 0 with zero gradient, as F.normalize of a zero difference gives
 * in the authors' code, instead of a cosine of noise with a 1/distance gradient.
 */
const COINCIDENT_FRACTION = 1e-4;

/** Call inside a tidy. Distances come from the Gram matrix so no [B, B, D] tensor is built. */
function pairGeometry(feature: tf.Tensor): PairGeometry {
  const x = flattenBatch(feature, 'RKD feature');
  const centred = tf.sub(x, tf.mean(x, 0, true));
  const gram = tf.matMul(centred, centred, false, true) as tf.Tensor2D;
  const squaredNorms = tf.sum(tf.square(centred), 1);
  const squared = tf.sub(tf.add(tf.expandDims(squaredNorms, 1), tf.expandDims(squaredNorms, 0)), tf.mul(gram, 2));
  const batch = x.shape[0];
  const offDiagonal = tf.sub(1, tf.eye(batch)) as tf.Tensor2D;
  // The diagonal goes through sqrt(1) and is then zeroed, so its gradient is exactly 0, never NaN.
  const safeSquared = tf.where(tf.cast(offDiagonal, 'bool'), tf.maximum(squared, SQUARED_DISTANCE_FLOOR), tf.onesLike(squared));
  const distance = tf.mul(tf.sqrt(safeSquared), offDiagonal) as tf.Tensor2D;
  const meanSquared = tf.div(tf.sum(tf.mul(squared, offDiagonal)), batch * (batch - 1));
  const tolerance = tf.maximum(tf.mul(meanSquared, COINCIDENT_FRACTION), SQUARED_DISTANCE_FLOOR);
  // `step` has a zero gradient, so the mask never feeds the tape (tfjs cannot differentiate Greater).
  const separated = tf.mul(tf.step(tf.sub(squared, tolerance)), offDiagonal) as tf.Tensor2D;
  return { gram, distance, offDiagonal, separated };
}

/**
 * psi_D = ||a - b|| / mu with mu the mean distance over the B(B-1) ordered pairs; Huber between
 * teacher and student, averaged over those pairs. The paper writes a sum; the authors' code
 * averages over all B^2 entries, zero diagonal included, i.e. (B-1)/B times this. Needs B >= 2.
 */
export function rkdDistanceLoss(sFeature: tf.Tensor, tFeature: tf.Tensor): tf.Scalar {
  checkPair(sFeature, tFeature, 'RKD distance');
  const batch = sFeature.shape[0];
  if (batch < 2) throw new Error(`RKD distance needs a batch of at least 2 samples, got ${batch}.`);
  return tf.tidy(() => {
    // Diagonal entries are 0 on both sides, so their Huber terms are 0.
    return tf.div(tf.sum(huber(rkdDistanceMatrix(sFeature), rkdDistanceMatrix(tFeature))), batch * (batch - 1));
  });
}

/** psi_D for every pair: distances over their mean across the B(B-1) ordered pairs, [B, B] with a zero diagonal. */
export function rkdDistanceMatrix(feature: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const { distance } = pairGeometry(feature);
    const batch = distance.shape[0];
    return tf.div(distance, tf.maximum(tf.div(tf.sum(distance), batch * (batch - 1)), SQUARED_DISTANCE_FLOOR)) as tf.Tensor2D;
  });
}

/**
 * cos of the angle at anchor b between a and c, indexed [b, a, c], and the mask of triples of
 * distinct samples. The cosine is 0 where b coincides with a or c (undefined direction).
 */
function angles(feature: tf.Tensor): { cosine: tf.Tensor3D; distinct: tf.Tensor3D } {
  const { gram, distance, offDiagonal, separated } = pairGeometry(feature);
  const batch = gram.shape[0];
  const diagonal = tf.reshape(tf.sum(tf.mul(gram, tf.eye(batch)), 1), [batch, 1, 1]);
  // (a - b).(c - b) = G[a,c] - G[a,b] - G[b,c] + G[b,b]
  const dot = tf.add(tf.sub(tf.sub(tf.expandDims(gram, 0), tf.expandDims(gram, 2)), tf.expandDims(gram, 1)), diagonal);
  const distinct = tf.mul(
    tf.mul(tf.expandDims(offDiagonal, 2), tf.expandDims(offDiagonal, 1)),
    tf.expandDims(offDiagonal, 0),
  ) as tf.Tensor3D;
  const defined = tf.mul(tf.mul(tf.expandDims(separated, 2), tf.expandDims(separated, 1)), tf.expandDims(offDiagonal, 0));
  const lengths = tf.mul(tf.expandDims(distance, 2), tf.expandDims(distance, 1));
  const safeLengths = tf.where(tf.cast(defined, 'bool'), lengths, tf.onesLike(lengths));
  return { cosine: tf.mul(tf.div(dot, safeLengths), defined) as tf.Tensor3D, distinct };
}

/**
 * psi_A(a, b, c) = <(a-b)/||a-b||, (c-b)/||c-b||>; Huber between teacher and student averaged
 * over the B(B-1)(B-2) ordered triples of distinct samples (the authors' code: over all B^3
 * entries, whose degenerate ones are 0). Needs B >= 3.
 */
export function rkdAngleLoss(sFeature: tf.Tensor, tFeature: tf.Tensor): tf.Scalar {
  checkPair(sFeature, tFeature, 'RKD angle');
  const batch = sFeature.shape[0];
  if (batch < 3) throw new Error(`RKD angle needs a batch of at least 3 samples, got ${batch}.`);
  return tf.tidy(() => {
    const triples = batch * (batch - 1) * (batch - 2);
    const student = angles(sFeature);
    const teacher = angles(tFeature);
    return tf.div(tf.sum(tf.mul(huber(student.cosine, teacher.cosine), student.distinct)), triples);
  });
}

export interface RkdOptions {
  distanceWeight: number;
  angleWeight: number;
}

/** Park et al. 2019: distanceWeight * L_D + angleWeight * L_A (RepDistiller 25 and 50). */
export function rkdLoss(sFeature: tf.Tensor, tFeature: tf.Tensor, { distanceWeight, angleWeight }: RkdOptions): tf.Scalar {
  return tf.tidy(() => {
    const distance = distanceWeight === 0 ? tf.scalar(0) : tf.mul(rkdDistanceLoss(sFeature, tFeature), distanceWeight);
    const angle = angleWeight === 0 ? tf.scalar(0) : tf.mul(rkdAngleLoss(sFeature, tFeature), angleWeight);
    return tf.add(distance, angle);
  });
}

// ---- PKT ----

/**
 * p_{i|j} = K(i, j) / sum_k K(k, j) with the cosine kernel K = (cos + 1) / 2; [B, B], column j is
 * the distribution conditioned on sample j. `excludeSelf` drops i = j and k = j, as the paper
 * defines it (following SNE); the authors' code and RepDistiller keep the self-pair.
 */
export function pktConditionals(feature: tf.Tensor, excludeSelf: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    const x = flattenBatch(feature, 'PKT feature');
    const unit = l2Normalize(x, 1);
    let kernel = tf.div(tf.add(tf.matMul(unit, unit, false, true), 1), 2);
    if (excludeSelf) kernel = tf.mul(kernel, tf.sub(1, tf.eye(x.shape[0])));
    // The floor only matters when every other sample is exactly opposite (all kernels 0).
    return tf.div(kernel, tf.maximum(tf.sum(kernel, 0, true), 1e-30)) as tf.Tensor2D;
  });
}

export type PktForm = 'paper' | 'repdistiller';

/**
 * Passalis & Tefas 2018: KL(p_t || p_s) of each conditional distribution p_{.|j} over the other
 * samples, averaged over the B conditioning samples ('paper'); or the authors' code as RepDistiller
 * runs it: self-pairs kept, eps = 1e-7 inside the logarithm, mean over all B^2 entries
 * ('repdistiller', about the paper value / B).
 */
export function pktLoss(sFeature: tf.Tensor, tFeature: tf.Tensor, { form }: { form: PktForm }): tf.Scalar {
  checkPair(sFeature, tFeature, 'PKT');
  const batch = sFeature.shape[0];
  if (form === 'paper' && batch < 2) throw new Error(`PKT needs a batch of at least 2 samples, got ${batch}.`);
  return tf.tidy(() => {
    if (form === 'repdistiller') {
      const eps = 1e-7;
      const student = pktConditionals(sFeature, false);
      const teacher = pktConditionals(tFeature, false);
      return tf.mean(tf.mul(teacher, tf.log(tf.div(tf.add(teacher, eps), tf.add(student, eps)))));
    }
    const student = pktConditionals(sFeature, true);
    const teacher = pktConditionals(tFeature, true);
    // The floors only matter for exact zeros (the self-pairs, opposite embeddings): 0 log 0 = 0.
    const logRatio = tf.sub(tf.log(tf.maximum(teacher, 1e-30)), tf.log(tf.maximum(student, 1e-30)));
    return tf.div(tf.sum(tf.mul(teacher, logRatio)), batch);
  });
}

import * as tf from '@tensorflow/tfjs';
import { requireRank, requireSameBatch, requireSameShape } from './inputs';

/**
 * Output (logit) knowledge: cross-entropy, Hinton's soft targets, and the teacher-free virtual
 * teacher. All losses are batch means and return a scalar; callers weight them.
 */

export interface TemperatureOptions {
  /** Softening temperature T > 0. */
  T: number;
}

export interface VirtualTeacherOptions extends TemperatureOptions {
  /** Probability the virtual teacher puts on the true class, in (0, 1). */
  a: number;
}

function requireTemperature(T: number): void {
  if (!(T > 0) || !Number.isFinite(T)) throw new Error(`Temperature T must be a positive number, got ${T}.`);
}

function requireLogits(logits: tf.Tensor, what: string): asserts logits is tf.Tensor2D {
  requireRank(logits, 2, `${what} [B, classes]`);
}

function requireLabels(labels: tf.Tensor, logits: tf.Tensor2D): void {
  requireRank(labels, 1, 'labels [B] (class indices)');
  requireSameBatch(labels, logits, 'labels and logits');
}

/** Call inside a tidy: float labels (e.g. from a Uint8 buffer) become int32 indices. */
function asIndices(labels: tf.Tensor): tf.Tensor1D {
  return (labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32')) as tf.Tensor1D;
}

/** softmax(z / T) per row: the soft targets shown in the probes and used by KD. */
export function softTargets(logits: tf.Tensor, T: number): tf.Tensor2D {
  requireTemperature(T);
  requireLogits(logits, 'logits');
  return tf.tidy(() => tf.softmax(tf.div(logits, T)) as tf.Tensor2D);
}

/** Mean over the batch of -log softmax(z)[y]. */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  requireLogits(logits, 'logits');
  requireLabels(labels, logits);
  return tf.tidy(() => {
    const oneHot = tf.oneHot(asIndices(labels), logits.shape[1]);
    const logProbs = tf.logSoftmax(logits);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbs), 1))) as tf.Scalar;
  });
}

/**
 * Hinton et al. 2015: T^2 * KL(softmax(z_t / T) || softmax(z_s / T)), batch mean.
 * d/dz_s = T * (p_s^T - p_t^T) / B, so the soft-target gradient keeps the scale of the hard one.
 */
export function kdLoss(sLogits: tf.Tensor, tLogits: tf.Tensor, { T }: TemperatureOptions): tf.Scalar {
  requireTemperature(T);
  requireLogits(sLogits, 'student logits');
  requireLogits(tLogits, 'teacher logits');
  requireSameShape(sLogits, tLogits, 'student and teacher logits (the two networks must have the same classes)');
  return tf.tidy(() => {
    const logTeacher = tf.logSoftmax(tf.div(tLogits, T));
    const logStudent = tf.logSoftmax(tf.div(sLogits, T));
    const kl = tf.mean(tf.sum(tf.mul(tf.exp(logTeacher), tf.sub(logTeacher, logStudent)), 1));
    return tf.mul(kl, T * T);
  });
}

/** Yuan et al. 2020's manually designed teacher: p(true class) = a, the rest (1 - a) / (C - 1). */
export function virtualTeacher(labels: tf.Tensor, classes: number, a: number): tf.Tensor2D {
  if (!(a > 0 && a < 1)) throw new Error(`The virtual teacher's true-class probability a must be in (0, 1), got ${a}.`);
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`A virtual teacher needs at least 2 classes, got ${classes}.`);
  requireRank(labels, 1, 'labels [B] (class indices)');
  return tf.tidy(() => {
    const rest = (1 - a) / (classes - 1);
    return tf.add(tf.mul(tf.oneHot(asIndices(labels), classes), a - rest), rest) as tf.Tensor2D;
  });
}

/**
 * Tf-KD_reg (Yuan et al. 2020): KD against the virtual teacher,
 * T^2 * KL(softmax(p^d / T) || softmax(z_s / T)), batch mean. The virtual distribution is softened
 * as the authors' code softens it (softmax of p^d / T, i.e. p^d used as teacher logits); the student is
 * softened as in the paper's D_KL(p^d_T, p_T), and T^2 keeps the gradient scale of `kdLoss`.
 */
export function tfkdLoss(sLogits: tf.Tensor, labels: tf.Tensor, { a, T }: VirtualTeacherOptions): tf.Scalar {
  requireLogits(sLogits, 'student logits');
  requireLabels(labels, sLogits);
  return tf.tidy(() => kdLoss(sLogits, virtualTeacher(labels, sLogits.shape[1], a), { T }));
}

export interface DecoupledOptions extends TemperatureOptions {
  /** Weight of the target-class term (TCKD). */
  alpha: number;
  /** Weight of the non-target-class term (NCKD). */
  beta: number;
}

/** Pushes the true class out of a softmax: exp(-1000) is 0 in float32, as in the authors' code. */
const MASKED_LOGIT_SHIFT = 1000;

/**
 * Decoupled KD (Zhao et al. 2022). With p = softmax(z / T) and y the true class:
 * TCKD = KL([p_y^t, 1 - p_y^t] || [p_y^s, 1 - p_y^s]) (how sure of the true class);
 * NCKD = KL(p̂^t || p̂^s), p̂ the distribution over the other classes renormalised (the "dark
 * knowledge"); L = T^2 (alpha TCKD + beta NCKD), batch mean. Classical KD is TCKD + (1 - p_y^t) NCKD
 * per sample, so beta decouples the part KD suppresses when the teacher is confident.
 * Log-probabilities are computed from log-softmax throughout, so confident networks stay finite.
 */
export function dkdLoss(sLogits: tf.Tensor, tLogits: tf.Tensor, labels: tf.Tensor, { T, alpha, beta }: DecoupledOptions): tf.Scalar {
  requireTemperature(T);
  requireLogits(sLogits, 'student logits');
  requireLogits(tLogits, 'teacher logits');
  requireSameShape(sLogits, tLogits, 'student and teacher logits (the two networks must have the same classes)');
  requireLabels(labels, sLogits);
  return tf.tidy(() => {
    const mask = tf.oneHot(asIndices(labels), sLogits.shape[1]).cast('float32');
    const parts = (logits: tf.Tensor) => {
      const logP = tf.logSoftmax(tf.div(logits, T));
      const logTarget = tf.sum(tf.mul(logP, mask), 1);
      const logOthers = tf.logSumExp(tf.sub(logP, tf.mul(mask, MASKED_LOGIT_SHIFT)), 1);
      const logNonTarget = tf.logSoftmax(tf.sub(tf.div(logits, T), tf.mul(mask, MASKED_LOGIT_SHIFT)));
      return { logTarget, logOthers, logNonTarget };
    };
    const teacher = parts(tLogits);
    const student = parts(sLogits);
    const klTerm = (logQ: tf.Tensor, logR: tf.Tensor): tf.Tensor => tf.mul(tf.exp(logQ), tf.sub(logQ, logR));
    const tckd = tf.add(klTerm(teacher.logTarget, student.logTarget), klTerm(teacher.logOthers, student.logOthers));
    const nckd = tf.sum(klTerm(teacher.logNonTarget, student.logNonTarget), 1);
    return tf.mul(tf.mean(tf.add(tf.mul(tckd, alpha), tf.mul(nckd, beta))), T * T) as tf.Scalar;
  });
}

/**
 * A 0/1 mask of each row's k largest scores. tfjs has no gradient for TopK, so the selection runs
 * inside a custom gradient that treats it as a constant (zero gradient).
 */
function topKMask(scores: tf.Tensor2D, k: number): tf.Tensor2D {
  const select = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => {
    const rows = x as tf.Tensor2D;
    return {
      value: tf.tidy(() => tf.sum(tf.oneHot(tf.topk(rows, k).indices, rows.shape[1]), 1)),
      gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
    };
  });
  return select(scores) as tf.Tensor2D;
}

export interface TopScoreOptions {
  /** Classes considered: the true class and the K - 1 most confident others, 2 <= K <= classes. */
  K: number;
}

/**
 * Top score difference (Yang et al. 2019), a regulariser on the network being trained, so that a few
 * secondary classes keep some confidence (a "tolerant" teacher): on softmax confidences p, the gap
 * between the true (primary) class and the mean of the K - 1 most confident other classes, batch mean.
 * When the network ranks the true class first, this is the top score minus the mean of the next K - 1.
 */
export function tsdLoss(logits: tf.Tensor, labels: tf.Tensor, { K }: TopScoreOptions): tf.Scalar {
  requireLogits(logits, 'logits');
  requireLabels(labels, logits);
  const classes = logits.shape[1];
  if (!Number.isInteger(K) || K < 2 || K > classes) {
    throw new Error(`TSD's K must be an integer from 2 to the number of classes (${classes}), got ${K}.`);
  }
  return tf.tidy(() => {
    const p = tf.softmax(logits);
    const truth = tf.oneHot(asIndices(labels), classes).cast('float32');
    const primary = tf.sum(tf.mul(p, truth), 1);
    // p <= 1, so p - 2 puts the true class below every other class.
    const secondary = tf.mul(p, topKMask(tf.sub(p, tf.mul(truth, 2)), K - 1));
    return tf.mean(tf.sub(primary, tf.div(tf.sum(secondary, 1), K - 1))) as tf.Scalar;
  });
}

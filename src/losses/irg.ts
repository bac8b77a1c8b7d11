import * as tf from '@tensorflow/tfjs';
import { requireAtLeastRank, requireRank, requireSameBatch, requireSameShape } from './inputs';

/**
 * Instance relationship graph (Liu et al. 2019). A layer's IRG has the batch's instances as
 * vertices and their squared Euclidean distances as edges; the IRG transformation between two
 * layers of one network is each instance's squared distance between its two features. Edges and
 * transformations are divided by their batch maximum, as the authors' Caffe layers
 * (BatchEuclideanMap, BatchEuclideanVector) do, so teacher and student are compared on one scale.
 */

/** Below this a maximum counts as zero (all instances coincide): the normalised values stay 0. */
const MAX_FLOOR = 1e-12;

/** x / max(of), floored. `of` lists each value once: tfjs sends the full gradient to every tied maximum. */
function overMax(x: tf.Tensor, of: tf.Tensor = x): tf.Tensor {
  return tf.div(x, tf.maximum(tf.max(of), MAX_FLOOR));
}

/** A_ij = ||x_i - x_j||^2 / max_kl ||x_k - x_l||^2 over the batch, [B, B], features flattened. */
export function irgEdges(feature: tf.Tensor): tf.Tensor2D {
  requireAtLeastRank(feature, 2, 'IRG feature');
  return tf.tidy(() => {
    const x = tf.reshape(feature, [feature.shape[0], -1]);
    const norms = tf.sum(tf.square(x), 1);
    const gram = tf.matMul(x, x, false, true);
    // |x_i|^2 + |x_j|^2 - 2 x_i.x_j, rounding below 0 clipped; the diagonal is masked to exactly 0.
    const squared = tf.relu(tf.sub(tf.add(tf.expandDims(norms, 1), tf.expandDims(norms, 0)), tf.mul(gram, 2)));
    const batch = x.shape[0];
    const offDiagonal = tf.sub(1, tf.eye(batch));
    // Each pair once (i < j) for the maximum: A_ij and A_ji would otherwise double its gradient.
    const upper = tf.linalg.bandPart(tf.ones([batch, batch]), 0, -1).sub(tf.eye(batch));
    return overMax(tf.mul(squared, offDiagonal), tf.mul(squared, upper)) as tf.Tensor2D;
  });
}

/** Global average over positions: [B, ..., C] -> [B, C] (vectors stay as they are). */
function pooled(feature: tf.Tensor): tf.Tensor2D {
  const channels = feature.shape[feature.rank - 1];
  return tf.mean(tf.reshape(feature, [feature.shape[0], -1, channels]), 1) as tf.Tensor2D;
}

/**
 * Lambda_i = ||f1_i - f2_i||^2 / max_k ||f1_k - f2_k||^2, [B]: the two layers are first averaged over
 * positions (the authors pool both to vectors of the stage's channel count), so they need equal channels.
 */
export function irgTransformation(first: tf.Tensor, second: tf.Tensor): tf.Tensor1D {
  requireAtLeastRank(first, 2, 'IRG transformation first feature');
  requireAtLeastRank(second, 2, 'IRG transformation second feature');
  requireSameBatch(first, second, 'IRG transformation');
  const [c1, c2] = [first.shape[first.rank - 1], second.shape[second.rank - 1]];
  if (c1 !== c2) throw new Error(`IRG transformation compares two layers of one network with equal channels, got ${c1} and ${c2}.`);
  return tf.tidy(() => overMax(tf.sum(tf.square(tf.sub(pooled(first), pooled(second))), 1)) as tf.Tensor1D);
}

export interface IrgOptions {
  vertexWeight: number;
  edgeWeight: number;
  transformWeight: number;
}

export interface IrgInputs {
  teacherLogits: tf.Tensor;
  studentLogits: tf.Tensor;
  /** Two layers of each network, earlier first. */
  teacher: [tf.Tensor, tf.Tensor];
  student: [tf.Tensor, tf.Tensor];
}

const mse = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.mean(tf.square(tf.sub(a, b)));

/**
 * vertexWeight * MSE(z_t, z_s) + edgeWeight * mean over the two layers of MSE(A_t, A_s)
 * + transformWeight * MSE(Lambda_t, Lambda_s). A term whose weight is 0 is not computed.
 */
export function irgLoss({ teacherLogits, studentLogits, teacher, student }: IrgInputs, options: IrgOptions): tf.Scalar {
  requireRank(studentLogits, 2, 'student logits [B, classes]');
  requireSameShape(studentLogits, teacherLogits, 'IRG teacher and student logits');
  [...teacher, ...student].forEach((f) => requireSameBatch(f, studentLogits, 'IRG features and logits'));
  const batch = studentLogits.shape[0];
  if (options.edgeWeight !== 0 && batch < 2) throw new Error(`IRG edges need a batch of at least 2 samples, got ${batch}.`);
  return tf.tidy(() => {
    const terms: tf.Tensor[] = [];
    if (options.vertexWeight !== 0) terms.push(tf.mul(mse(teacherLogits, studentLogits), options.vertexWeight));
    if (options.edgeWeight !== 0) {
      const edges = [0, 1].map((l) => mse(irgEdges(teacher[l]), irgEdges(student[l])));
      terms.push(tf.mul(tf.addN(edges), options.edgeWeight / 2));
    }
    if (options.transformWeight !== 0) {
      const transformation = mse(irgTransformation(...teacher), irgTransformation(...student));
      terms.push(tf.mul(transformation, options.transformWeight));
    }
    return (terms.length === 0 ? tf.scalar(0) : tf.addN(terms)) as tf.Scalar;
  });
}

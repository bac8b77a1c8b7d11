import * as tf from '@tensorflow/tfjs';
import { layerSeed } from '../models/seedHash';
import { variableFrom } from './moduleVariables';
import { l2Normalize } from './features';
import { requireAtLeastRank, requireSameBatch } from './inputs';
import type { LossModule } from './types';

/**
 * Correlation congruence (Peng et al. 2019). Each network's feature is flattened and mapped by a
 * learned linear embedding to a common dimension, then L2-normalised; the batch's correlation
 * matrix uses a Gaussian RBF kernel approximated by its P-order Taylor series, and the student's
 * matrix is made to match the teacher's.
 */

export interface CorrelationOptions {
  /** RBF width gamma in exp(-gamma ||x - y||^2). */
  gamma: number;
  /** Taylor order P. */
  P: number;
}

/**
 * For unit vectors exp(-gamma ||x - y||^2) = exp(-2 gamma) exp(2 gamma x.y), so
 * k(x, y) ~= sum_{p=0..P} exp(-2 gamma) (2 gamma)^p / p! (x.y)^p; [B, B] from unit rows [B, d].
 */
export function correlationMatrix(unit: tf.Tensor2D, { gamma, P }: CorrelationOptions): tf.Tensor2D {
  if (!Number.isInteger(P) || P < 0) throw new Error(`CC's Taylor order P must be a whole number >= 0, got ${P}.`);
  return tf.tidy(() => {
    const dot = tf.matMul(unit, unit, false, true);
    let power: tf.Tensor = tf.onesLike(dot);
    let coefficient = Math.exp(-2 * gamma);
    let sum = tf.mul(power, coefficient);
    for (let p = 1; p <= P; p += 1) {
      power = tf.mul(power, dot);
      coefficient *= (2 * gamma) / p;
      sum = tf.add(sum, tf.mul(power, coefficient));
    }
    return sum as tf.Tensor2D;
  });
}

interface Linear { kernel: tf.Variable; bias: tf.Variable }

function linear(inputs: number, outputs: number, seed: number): Linear {
  return {
    kernel: variableFrom(tf.initializers.glorotUniform({ seed }).apply([inputs, outputs]) as tf.Tensor),
    bias: variableFrom(tf.zeros([outputs])),
  };
}

/** The two embeddings (teacher and student), trained by the CC loss only and never exported. */
export class CcModule implements LossModule {
  readonly teacher: Linear;
  readonly student: Linear;
  /** Teacher kernel and bias, then student kernel and bias (the golden file's order). */
  readonly variables: tf.Variable[];

  constructor(teacherSize: number, studentSize: number, dim: number, seed: number) {
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`CC's embedding dimension must be a whole number >= 1, got ${dim}.`);
    this.teacher = linear(teacherSize, dim, layerSeed(seed, 0));
    this.student = linear(studentSize, dim, layerSeed(seed, 1));
    this.variables = [this.teacher.kernel, this.teacher.bias, this.student.kernel, this.student.bias];
  }

  /** Flattened feature -> linear -> L2-normalised rows, [B, dim]. */
  embed(feature: tf.Tensor, side: 'teacher' | 'student'): tf.Tensor2D {
    const { kernel, bias } = this[side];
    const size = feature.shape.slice(1).reduce((a, b) => a * b, 1);
    if (size !== kernel.shape[0]) {
      throw new Error(`CC's ${side} embedding takes ${kernel.shape[0]} values per sample, got ${size}: the module was made for other layers.`);
    }
    return tf.tidy(() => l2Normalize(tf.add(tf.matMul(tf.reshape(feature, [feature.shape[0], size]), kernel), bias), 1) as tf.Tensor2D);
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** L_CC = 1/B^2 ||C_t - C_s||_F^2 on the embedded features. */
export function ccLoss(sFeature: tf.Tensor, tFeature: tf.Tensor, module: CcModule, options: CorrelationOptions): tf.Scalar {
  requireAtLeastRank(sFeature, 2, 'CC student feature');
  requireAtLeastRank(tFeature, 2, 'CC teacher feature');
  requireSameBatch(sFeature, tFeature, 'CC');
  return tf.tidy(() => {
    const batch = sFeature.shape[0];
    const teacher = correlationMatrix(module.embed(tFeature, 'teacher'), options);
    const student = correlationMatrix(module.embed(sFeature, 'student'), options);
    return tf.div(tf.sum(tf.square(tf.sub(teacher, student))), batch * batch) as tf.Scalar;
  });
}

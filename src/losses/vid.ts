import * as tf from '@tensorflow/tfjs';
import { layerSeed } from '../models/seedHash';
import { variableFrom } from './moduleVariables';
import type { Shape } from '../models/spec';
import { requireSameBatch } from './inputs';
import type { LossModule } from './types';

/**
 * Variational information distillation (Ahn et al. 2019). The teacher feature t is modelled as a
 * Gaussian with mean mu(s), a small regressor on the student feature (three 1x1 convolutions with
 * ReLUs between, as in the paper and RepDistiller; on vectors the same as dense layers), and a
 * learned per-channel variance sigma_c^2 = softplus(alpha_c) + eps. Minimising the negative log
 * likelihood maximises a variational lower bound of the mutual information I(t; s).
 */

/** RepDistiller's initial predicted variance (init_pred_var) and floor. */
export const VID_INITIAL_VARIANCE = 5;
export const VID_EPSILON = 1e-5;

export type VidForm = 'paper' | 'repdistiller';

/**
 * The negative log-likelihood, up to its constant: per element 1/2 log sigma_c^2 + (t - mu)^2 / (2 sigma_c^2)
 * (that is, log sigma_c + ...). paper: summed over channels, averaged over positions and the batch
 * (methods.md); repdistiller: averaged over every element.
 */
export function vidNegativeLogLikelihood(mean: tf.Tensor, target: tf.Tensor, variance: tf.Tensor1D, form: VidForm): tf.Scalar {
  requireSameBatch(mean, target, 'VID predicted mean and teacher feature');
  if (mean.shape.join() !== target.shape.join()) {
    throw new Error(`VID: the regressor's output [${mean.shape.join(', ')}] must match the teacher feature [${target.shape.join(', ')}].`);
  }
  return tf.tidy(() => {
    const perElement = tf.mul(0.5, tf.add(tf.div(tf.square(tf.sub(mean, target)), variance), tf.log(variance)));
    if (form === 'repdistiller') return tf.mean(perElement);
    const channels = target.shape[target.rank - 1];
    return tf.mul(tf.mean(perElement), channels) as tf.Scalar;
  });
}

/** alpha such that softplus(alpha) + eps = the initial variance. */
export function inverseSoftplusVariance(variance: number): number {
  return Math.log(Math.expm1(variance - VID_EPSILON));
}

export class VidModule implements LossModule {
  readonly variables: tf.Variable[];
  /** [in, out] weights and biases of the regressor's three layers (a 1x1 convolution is a dense layer on the channel axis). */
  readonly layers: { kernel: tf.Variable; bias: tf.Variable }[];
  readonly alpha: tf.Variable;

  constructor(studentChannels: number, teacherChannels: number, seed: number, hiddenChannels = teacherChannels) {
    const sizes = [studentChannels, hiddenChannels, hiddenChannels, teacherChannels];
    this.layers = [0, 1, 2].map((i) => {
      const initializer = tf.initializers.glorotUniform({ seed: layerSeed(seed, i) });
      return {
        kernel: variableFrom(initializer.apply([sizes[i], sizes[i + 1]]) as tf.Tensor),
        bias: variableFrom(tf.zeros([sizes[i + 1]])),
      };
    });
    this.alpha = variableFrom(tf.fill([teacherChannels], inverseSoftplusVariance(VID_INITIAL_VARIANCE)));
    this.variables = [...this.layers.flatMap((layer) => [layer.kernel, layer.bias]), this.alpha];
  }

  /** mu(s): the regressor on the channel axis, keeping the positions. */
  mean(student: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const channels = student.shape[student.rank - 1];
      let x = tf.reshape(student, [-1, channels]);
      this.layers.forEach((layer, i) => {
        x = tf.add(tf.matMul(x, layer.kernel), layer.bias);
        if (i < this.layers.length - 1) x = tf.relu(x);
      });
      return tf.reshape(x, [...student.shape.slice(0, -1), this.layers[2].bias.shape[0]]);
    });
  }

  variance(): tf.Tensor1D {
    return tf.tidy(() => tf.add(tf.softplus(this.alpha), VID_EPSILON) as tf.Tensor1D);
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** Reason the two feature shapes cannot be compared by VID, or null. */
export function vidShapeProblem(guide: Shape, guided: Shape): string | null {
  const positions = (shape: Shape): string => shape.slice(0, -1).join('x');
  if (guide.length !== guided.length || positions(guide) !== positions(guided)) {
    return `VID compares features position by position: guide [${guide.join(', ')}] and guided [${guided.join(', ')}] ` +
      'must both be vectors, or maps with the same H x W (channels may differ).';
  }
  return null;
}

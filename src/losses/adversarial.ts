import * as tf from '@tensorflow/tfjs';
import { layerSeed } from '../models/seedHash';
import { variableFrom } from './moduleVariables';
import { requireSameShape } from './inputs';
import type { LossInputs, LossModule, OwnObjective } from './types';

/**
 * Adversarial KD (Xu et al. 2018). A discriminator D, a small residual MLP on logits, learns to tell
 * the teacher's logits (real) from the student's (fake); the student, as the generator, learns to
 * fool it. Unconditional: D gives one score, with the binary cross-entropy objective or LSGAN's least
 * squares. Conditional: D gives C + 2 values, C class logits and two real/fake logits, and both
 * sides also answer for the class; an L1 term can align student and teacher logits directly.
 * The networks and D are updated alternately: the student's step with D fixed, then D's own step on
 * that batch's logits held fixed (OwnObjective).
 */

export type AdversarialObjective = 'bce' | 'lsgan';

export interface AdversarialOptions {
  objective: AdversarialObjective;
  conditional: boolean;
  /** Weight of mean |z_s - z_t| in the student's loss; 0 = off. */
  l1: number;
}

interface Dense { kernel: tf.Variable; bias: tf.Variable }

export class Discriminator {
  readonly layers: Dense[];
  readonly variables: tf.Variable[];

  /** classes -> hidden -> residual block (hidden -> hidden -> hidden) -> outputs. */
  constructor(readonly classes: number, readonly hidden: number, readonly outputs: number, seed: number) {
    const sizes: [number, number][] = [[classes, hidden], [hidden, hidden], [hidden, hidden], [hidden, outputs]];
    this.layers = sizes.map(([from, to], i) => ({
      kernel: variableFrom(tf.initializers.heNormal({ seed: layerSeed(seed, i) }).apply([from, to]) as tf.Tensor),
      bias: variableFrom(tf.zeros([to])),
    }));
    this.variables = this.layers.flatMap((layer) => [layer.kernel, layer.bias]);
  }

  /** [B, classes] logits -> [B, outputs] scores. */
  apply(logits: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const dense = (x: tf.Tensor, { kernel, bias }: Dense): tf.Tensor => tf.add(tf.matMul(x, kernel), bias);
      const [input, inner, outer, head] = this.layers;
      const h = tf.relu(dense(logits, input));
      const residual = tf.relu(tf.add(h, dense(tf.relu(dense(h, inner)), outer)));
      return dense(residual, head) as tf.Tensor2D;
    });
  }
}

/** Softmax cross-entropy of [B, K] scores against one class index for every row. */
function crossEntropyTo(scores: tf.Tensor2D, target: tf.Tensor1D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(target, scores.shape[1]), tf.logSoftmax(scores)), 1))) as tf.Scalar;
}

const REAL = 0;
const FAKE = 1;

/** The pieces of D's output: a realness score (unconditional) or real/fake logits and class logits (conditional). */
function heads(scores: tf.Tensor2D, classes: number, conditional: boolean): { realness: tf.Tensor2D; classLogits: tf.Tensor2D | null } {
  if (!conditional) return { realness: scores, classLogits: null };
  return { classLogits: tf.slice(scores, [0, 0], [-1, classes]), realness: tf.slice(scores, [0, classes], [-1, 2]) };
}

/** How wrong D is about `realness` being real (`isReal`) for the given objective. */
function realnessLoss(realness: tf.Tensor2D, isReal: boolean, objective: AdversarialObjective, conditional: boolean): tf.Scalar {
  if (conditional) return crossEntropyTo(realness, tf.fill([realness.shape[0]], isReal ? REAL : FAKE, 'int32') as tf.Tensor1D);
  const target = isReal ? 1 : 0;
  if (objective === 'lsgan') return tf.mean(tf.square(tf.sub(realness, target))) as tf.Scalar;
  // Binary cross-entropy on the logit x, stably: max(x, 0) - x z + log(1 + e^-|x|).
  const x = realness;
  return tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))))) as tf.Scalar;
}

/** Fraction of D's real/fake calls that are right for `realness` (all real or all fake). */
function callsRight(realness: tf.Tensor2D, isReal: boolean, options: AdversarialOptions): tf.Tensor {
  const saysReal = options.conditional
    ? tf.cast(tf.equal(tf.argMax(realness, 1), REAL), 'float32')
    // A positive logit (sigmoid above 1/2), or an LSGAN score nearer 1 than 0.
    : tf.step(tf.sub(tf.squeeze(realness, [1]), options.objective === 'lsgan' ? 0.5 : 0));
  return isReal ? saysReal : tf.sub(1, saysReal);
}

function readInputs(inputs: LossInputs): { student: tf.Tensor2D; teacher: tf.Tensor2D; labels: tf.Tensor1D } {
  const { studentLogits, teacherLogits, labels } = inputs;
  if (!studentLogits || !teacherLogits || !labels) throw new Error("Adversarial KD needs 'teacherLogits', 'studentLogits' and 'labels': connect all three.");
  requireSameShape(studentLogits, teacherLogits, 'student and teacher logits (the two networks must have the same classes)');
  return { student: studentLogits as tf.Tensor2D, teacher: teacherLogits as tf.Tensor2D, labels: tf.cast(labels, 'int32') as tf.Tensor1D };
}

/** The student's (generator's) loss with D fixed: fool D (and, conditional, be classed right), plus the L1 term. */
export function generatorLoss(discriminator: Discriminator, inputs: LossInputs, options: AdversarialOptions): tf.Scalar {
  return tf.tidy(() => {
    const { student, teacher, labels } = readInputs(inputs);
    const { realness, classLogits } = heads(discriminator.apply(student), discriminator.classes, options.conditional);
    let loss = realnessLoss(realness, true, options.objective, options.conditional);
    if (classLogits) loss = tf.add(loss, crossEntropyTo(classLogits, labels));
    if (options.l1 > 0) loss = tf.add(loss, tf.mul(tf.mean(tf.abs(tf.sub(student, teacher))), options.l1));
    return loss as tf.Scalar;
  });
}

/** D's loss: teacher logits real, student logits fake (BCE, or LSGAN's ((D(t) - 1)^2 + D(s)^2) / 2), and the class heads. */
export function discriminatorLoss(discriminator: Discriminator, inputs: LossInputs, options: AdversarialOptions): { loss: tf.Scalar; metrics: Record<string, tf.Scalar> } {
  return tf.tidy(() => {
    const { student, teacher, labels } = readInputs(inputs);
    const real = heads(discriminator.apply(teacher), discriminator.classes, options.conditional);
    const fake = heads(discriminator.apply(student), discriminator.classes, options.conditional);
    let loss = tf.div(tf.add(realnessLoss(real.realness, true, options.objective, options.conditional),
      realnessLoss(fake.realness, false, options.objective, options.conditional)), 2);
    if (real.classLogits && fake.classLogits) {
      loss = tf.add(loss, tf.add(crossEntropyTo(real.classLogits, labels), crossEntropyTo(fake.classLogits, labels)));
    }
    const accuracy = tf.mean(tf.concat([callsRight(real.realness, true, options), callsRight(fake.realness, false, options)]));
    return { loss: loss as tf.Scalar, metrics: { discriminatorAccuracy: accuracy as tf.Scalar } };
  });
}

export class AdversarialModule implements LossModule {
  /** Nothing trains with the student: D has its own objective. */
  readonly variables: tf.Variable[] = [];
  readonly own: OwnObjective;
  readonly discriminator: Discriminator;

  constructor(classes: number, options: AdversarialOptions, hidden: number, learningRate: number, seed: number) {
    const discriminator = new Discriminator(classes, hidden, options.conditional ? classes + 2 : 1, seed);
    this.discriminator = discriminator;
    this.own = {
      variables: discriminator.variables,
      learningRate,
      loss: (inputs) => discriminatorLoss(discriminator, inputs, options),
    };
  }

  dispose(): void {
    tf.dispose(this.discriminator.variables);
  }
}

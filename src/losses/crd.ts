import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../data/rng';
import type { Shape } from '../models/spec';
import { layerSeed } from '../models/seedHash';
import { variableFrom } from './moduleVariables';
import { product, requireSameBatch } from './inputs';
import type { LossModule, StepSamples } from './types';

/**
 * Contrastive representation distillation (Tian, Krishnan, Isola 2020), as RepDistiller's CRDLoss
 * computes it. Each side's feature is flattened, embedded by a linear layer and L2-normalised. A
 * memory bank per side holds one embedding per training image. For image i the positive is the
 * other side's memory entry i, the negatives are K entries of images of other classes, drawn without
 * replacement (RepDistiller's training samples them so, its 'exact' mode), or of any image; with
 * h(v, m) = exp(v . m / tau) / Z, the NCE loss per anchor is
 *   -log(h_pos / (h_pos + K/N)) - sum_k log((K/N) / (h_k + K/N)),
 * Z fixed at the first step as mean(exp(v . m / tau)) * N. Both directions are summed: the student
 * embedding against the teacher's memory and the teacher embedding against the student's. After
 * the update, the memories move toward this step's embeddings (momentum, then L2-normalised).
 */

export interface CrdSettings {
  /** Common embedding dimension (feat_dim 128). */
  dimension: number;
  /** Negatives per anchor (nce_k 16384). */
  negatives: number;
  /** Temperature tau (nce_t 0.07). */
  temperature: number;
  /** Memory momentum (nce_m 0.5). */
  momentum: number;
  /** Where negatives come from: images of other classes (RepDistiller's training) or any image (its fallback). */
  negativesFrom: 'otherClasses' | 'anyImage';
}

/** RepDistiller's ContrastLoss eps. */
const NCE_EPSILON = 1e-7;

/** x / ||x||_2 along the last axis. */
function l2Normalise(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.sum(tf.square(x), 1, true))) as tf.Tensor2D;
}

/**
 * The NCE loss of RepDistiller's ContrastLoss: `scores` [B, K + 1] are h(anchor, memory) with the
 * positive in column 0, `trainCount` N sets the noise probability 1/N.
 */
export function nceLoss(scores: tf.Tensor2D, trainCount: number): tf.Scalar {
  return tf.tidy(() => {
    const [batch, columns] = scores.shape;
    const noise = (columns - 1) / trainCount;
    const positive = tf.slice(scores, [0, 0], [batch, 1]);
    const negative = tf.slice(scores, [0, 1], [batch, columns - 1]);
    const logPositive = tf.log(tf.div(positive, tf.add(positive, noise + NCE_EPSILON)));
    const logNegative = tf.log(tf.div(noise, tf.add(negative, noise + NCE_EPSILON)));
    return tf.div(tf.neg(tf.add(tf.sum(logPositive), tf.sum(logNegative))), batch) as tf.Scalar;
  });
}

/** exp(anchor . memory[contrast] / tau): [B, D] anchors, [N, D] memory, [B, K + 1] indices -> [B, K + 1]. */
export function contrastScores(anchors: tf.Tensor2D, memory: tf.Tensor2D, contrast: tf.Tensor2D, temperature: number): tf.Tensor2D {
  return tf.tidy(() => {
    const rows = tf.gather(memory, contrast) as tf.Tensor as tf.Tensor3D;
    const dots = tf.matMul(rows, tf.expandDims(anchors, 2) as tf.Tensor3D);
    return tf.exp(tf.div(tf.squeeze(dots, [2]), temperature)) as tf.Tensor2D;
  });
}

interface Embedding {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** nn.Linear's default initialisation: weights and bias uniform in +-1/sqrt(fan_in). */
function linear(inputs: number, outputs: number, seed: number): Embedding {
  const bound = 1 / Math.sqrt(inputs);
  return {
    kernel: variableFrom(tf.randomUniform([inputs, outputs], -bound, bound, 'float32', layerSeed(seed, 0))),
    bias: variableFrom(tf.randomUniform([outputs], -bound, bound, 'float32', layerSeed(seed, 1))),
  };
}

/** ContrastMemory's initial bank: uniform in +-1/sqrt(D / 3), not normalised. */
function memoryBank(count: number, dimension: number, seed: number): tf.Variable {
  const bound = 1 / Math.sqrt(dimension / 3);
  const initial = tf.randomUniform([count, dimension], -bound, bound, 'float32', seed);
  const bank = tf.variable(initial, false);
  initial.dispose();
  return bank;
}

export class CrdModule implements LossModule {
  readonly variables: tf.Variable[];
  readonly studentEmbedding: Embedding;
  readonly teacherEmbedding: Embedding;
  /** Banks of student and teacher embeddings, one row per training image; updated, not trained. */
  readonly studentMemory: tf.Variable;
  readonly teacherMemory: tf.Variable;
  /** RepDistiller's Z_v1 (student anchors) and Z_v2 (teacher anchors), fixed at the first step. */
  normalisers: { student: number; teacher: number } | null = null;
  private readonly rng: Rng;
  /** Per class, the images of every other class (a permutation, partly reshuffled by each draw); null = any image. */
  private readonly negativePools: Int32Array[] | null;
  private readonly labels: ArrayLike<number> | null;
  /** This step's images and their contrast indices [B, K + 1] (column 0 the image itself). */
  private batch: { indices: Int32Array; contrast: tf.Tensor2D } | null = null;
  /** This step's embeddings (no gradient), written into the memories once the update is applied. */
  private embedded: { student: tf.Tensor2D; teacher: tf.Tensor2D } | null = null;

  constructor(studentShape: Shape, teacherShape: Shape, readonly trainCount: number, readonly settings: CrdSettings, seed: number, labels?: ArrayLike<number>) {
    const { dimension } = settings;
    this.studentEmbedding = linear(product(studentShape), dimension, layerSeed(seed, 0));
    this.teacherEmbedding = linear(product(teacherShape), dimension, layerSeed(seed, 1));
    this.studentMemory = memoryBank(trainCount, dimension, layerSeed(seed, 2));
    this.teacherMemory = memoryBank(trainCount, dimension, layerSeed(seed, 3));
    this.variables = [this.studentEmbedding.kernel, this.studentEmbedding.bias, this.teacherEmbedding.kernel, this.teacherEmbedding.bias];
    this.rng = createRng(layerSeed(seed, 4));
    if (settings.negativesFrom === 'otherClasses') {
      if (!labels || labels.length !== trainCount) throw new Error('CRD draws its negatives from other classes, so it needs the training labels.');
      this.labels = labels;
      this.negativePools = otherClassPools(labels);
    } else {
      this.labels = null;
      this.negativePools = null;
    }
  }

  /** Draws the contrast indices: the image itself first, then K negatives. */
  beginStep({ indices }: StepSamples): void {
    this.dropBatch();
    const columns = this.settings.negatives + 1;
    const contrast = new Int32Array(indices.length * columns);
    indices.forEach((index, row) => {
      if (index < 0 || index >= this.trainCount) throw new RangeError(`CRD: image index ${index} is outside the memory of ${this.trainCount} images.`);
      contrast[row * columns] = index;
      this.drawNegatives(index, contrast.subarray(row * columns + 1, (row + 1) * columns));
    });
    this.batch = { indices, contrast: tf.tensor2d(contrast, [indices.length, columns], 'int32') };
  }

  /** The contrast indices of the current step, for inspection. */
  get contrast(): tf.Tensor2D | null {
    return this.batch?.contrast ?? null;
  }

  /** The loss on this step's features; called inside the gradient tape. */
  loss(student: tf.Tensor, teacher: tf.Tensor): tf.Scalar {
    if (!this.batch) throw new Error('CRD needs the indices of the batch\'s images: the trainer calls beginStep before the loss.');
    requireSameBatch(student, teacher, 'CRD student and teacher features');
    const { contrast } = this.batch;
    return tf.tidy(() => {
      const studentEmbedded = this.embed(student, this.studentEmbedding);
      const teacherEmbedded = this.embed(teacher, this.teacherEmbedding);
      this.keepEmbeddings(studentEmbedded, teacherEmbedded);
      const { temperature } = this.settings;
      const studentScores = contrastScores(studentEmbedded, this.teacherMemory as tf.Tensor2D, contrast, temperature);
      const teacherScores = contrastScores(teacherEmbedded, this.studentMemory as tf.Tensor2D, contrast, temperature);
      const normalisers = this.normalisers ?? this.fixNormalisers(studentScores, teacherScores);
      return tf.add(
        nceLoss(tf.div(studentScores, normalisers.student) as tf.Tensor2D, this.trainCount),
        nceLoss(tf.div(teacherScores, normalisers.teacher) as tf.Tensor2D, this.trainCount),
      ) as tf.Scalar;
    });
  }

  /** Moves the memories of this batch's images toward this step's embeddings (only once the update was applied). */
  endStep(applied: boolean): void {
    if (applied && this.batch && this.embedded) {
      const { indices } = this.batch;
      const { momentum } = this.settings;
      tf.tidy(() => {
        const rows = tf.tensor2d(indices, [indices.length, 1], 'int32');
        for (const [memory, embedded] of [[this.studentMemory, this.embedded!.student], [this.teacherMemory, this.embedded!.teacher]] as const) {
          const moved = tf.add(tf.mul(tf.gather(memory, indices), momentum), tf.mul(embedded, 1 - momentum)) as tf.Tensor2D;
          memory.assign(tf.tensorScatterUpdate(memory, rows, l2Normalise(moved)));
        }
      });
    }
    this.dropBatch();
  }

  dispose(): void {
    this.dropBatch();
    tf.dispose([...this.variables, this.studentMemory, this.teacherMemory]);
  }

  /**
   * Other-class images without replacement (a partial Fisher-Yates shuffle of the pool; with
   * replacement when K exceeds the pool, as np.random.choice), or uniform draws over every image.
   */
  private drawNegatives(index: number, into: Int32Array): void {
    if (!this.negativePools || !this.labels) {
      for (let k = 0; k < into.length; k++) into[k] = this.rng.nextInt(this.trainCount);
      return;
    }
    const pool = this.negativePools[this.labels[index]];
    if (into.length > pool.length) {
      for (let k = 0; k < into.length; k++) into[k] = pool[this.rng.nextInt(pool.length)];
      return;
    }
    for (let k = 0; k < into.length; k++) {
      const pick = k + this.rng.nextInt(pool.length - k);
      [pool[k], pool[pick]] = [pool[pick], pool[k]];
      into[k] = pool[k];
    }
  }

  private embed(feature: tf.Tensor, embedding: Embedding): tf.Tensor2D {
    const flat = tf.reshape(feature, [feature.shape[0], -1]);
    return l2Normalise(tf.add(tf.matMul(flat, embedding.kernel), embedding.bias) as tf.Tensor2D);
  }

  private keepEmbeddings(student: tf.Tensor2D, teacher: tf.Tensor2D): void {
    if (this.embedded) tf.dispose([this.embedded.student, this.embedded.teacher]);
    this.embedded = { student: tf.keep(tf.clone(student)), teacher: tf.keep(tf.clone(teacher)) };
  }

  /** Z = mean(scores) * N on the first batch, then constant (RepDistiller reads it once). */
  private fixNormalisers(student: tf.Tensor2D, teacher: tf.Tensor2D): { student: number; teacher: number } {
    const [studentMean, teacherMean] = [tf.mean(student).dataSync()[0], tf.mean(teacher).dataSync()[0]];
    this.normalisers = { student: studentMean * this.trainCount, teacher: teacherMean * this.trainCount };
    return this.normalisers;
  }

  private dropBatch(): void {
    if (this.batch) this.batch.contrast.dispose();
    if (this.embedded) tf.dispose([this.embedded.student, this.embedded.teacher]);
    this.batch = null;
    this.embedded = null;
  }
}

/** For each class present, the indices of the images of every other class. */
function otherClassPools(labels: ArrayLike<number>): Int32Array[] {
  const classes = Math.max(...Array.from(labels)) + 1;
  const sizes = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]] += 1;
  return sizes.map((size, label) => {
    if (size === labels.length) throw new Error('CRD draws negatives from other classes, but every training image has the same label.');
    const pool = new Int32Array(labels.length - size);
    let at = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i] !== label) pool[at++] = i;
    return pool;
  });
}

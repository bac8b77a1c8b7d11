import * as tf from '@tensorflow/tfjs';
import type { Shape } from '../models/spec';
import { layerSeed } from '../models/seedHash';
import { formatShape, requireSameBatch } from './inputs';
import type { LossModule, ModulePretraining } from './types';

/**
 * Factor transfer (Kim, Park, Kwak 2018), as the authors' code builds it. A paraphraser (three 3x3
 * convolutions down to the factor's k * C_t channels, three transposed ones back, batch norm and
 * LeakyReLU 0.1 after each) is first trained alone to reconstruct the teacher feature (mean squared
 * error); its encoder's output is the teacher factor. A translator (the same three-convolution
 * encoder) on the student feature gives the student factor, and it trains with the student on
 * || F_t / ||F_t||_2 - F_s / ||F_s||_2 ||_1 (or RepDistiller's reduced form, below). The paraphraser
 * is frozen (inference mode) meanwhile.
 */

export type FtForm = 'paper' | 'repdistiller';

const LEAKY_SLOPE = 0.1;

export interface FtSettings {
  /** Factor channels = round(rate * teacher channels), at least 1 (k = 0.5). */
  rate: number;
  paraphraserEpochs: number;
  paraphraserRate: number;
}

/** Three 3x3 convolutions (stride 1, same padding), each followed by batch norm and LeakyReLU. */
function convBlocks(input: tf.SymbolicTensor, channels: number[], seed: number, transposed: boolean): tf.SymbolicTensor {
  let x = input;
  channels.forEach((filters, i) => {
    const options = { filters, kernelSize: 3, strides: 1, padding: 'same' as const, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, i) }) };
    x = (transposed ? tf.layers.conv2dTranspose(options) : tf.layers.conv2d(options)).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE }).apply(x) as tf.SymbolicTensor;
  });
  return x;
}

function weightsOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => {
    const value = weight.read();
    if (!(value instanceof tf.Variable)) throw new Error(`FT weight '${weight.name}' is not a tf.Variable.`);
    return value;
  });
}

/** Each sample's feature flattened and L2-normalised: [B, N]. */
export function normalisedFactor(factor: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const flat = tf.reshape(factor, [factor.shape[0], -1]);
    return tf.div(flat, tf.maximum(tf.norm(flat, 2, 1, true), 1e-12)) as tf.Tensor2D;
  });
}

/** RepDistiller's factor(): the channel mean of F^2 per position, flattened and L2-normalised: [B, H * W]. */
export function channelEnergyFactor(factor: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => normalisedFactor(tf.mean(tf.square(factor), -1)));
}

/**
 * paper: || F_t / ||F_t|| - F_s / ||F_s|| ||_1 per sample (the factors flattened), averaged over the
 * batch. repdistiller: RepDistiller's FactorTransfer loss, which first reduces each factor to its
 * channel mean of squares (an attention-like map, as its factor() does), then takes the mean absolute
 * difference of the normalised maps; its weight 200 goes with this form.
 */
export function factorTransferLoss(studentFactor: tf.Tensor, teacherFactor: tf.Tensor, form: FtForm): tf.Scalar {
  requireSameBatch(studentFactor, teacherFactor, 'FT student and teacher factors');
  if (studentFactor.shape.join() !== teacherFactor.shape.join()) {
    throw new Error(`FT: the student factor [${studentFactor.shape.join(', ')}] must match the teacher factor [${teacherFactor.shape.join(', ')}].`);
  }
  return tf.tidy(() => {
    if (form === 'repdistiller') return tf.mean(tf.abs(tf.sub(channelEnergyFactor(teacherFactor), channelEnergyFactor(studentFactor)))) as tf.Scalar;
    return tf.mean(tf.sum(tf.abs(tf.sub(normalisedFactor(teacherFactor), normalisedFactor(studentFactor))), 1)) as tf.Scalar;
  });
}

export function factorChannels(teacherChannels: number, rate: number): number {
  return Math.max(1, Math.round(teacherChannels * rate));
}

export class FtModule implements LossModule {
  readonly variables: tf.Variable[];
  readonly pretraining: ModulePretraining;
  readonly paraphraser: tf.LayersModel;
  readonly encoder: tf.LayersModel;
  readonly translator: tf.LayersModel;

  constructor(studentShape: Shape, teacherShape: Shape, settings: FtSettings, seed: number) {
    const teacherChannels = teacherShape[2];
    const factor = factorChannels(teacherChannels, settings.rate);
    const teacherInput = tf.input({ shape: [...teacherShape] });
    const code = convBlocks(teacherInput, [teacherChannels, factor, factor], layerSeed(seed, 0), false);
    const reconstruction = convBlocks(code, [factor, teacherChannels, teacherChannels], layerSeed(seed, 1), true);
    this.paraphraser = tf.model({ inputs: teacherInput, outputs: reconstruction });
    this.encoder = tf.model({ inputs: teacherInput, outputs: code });
    const studentInput = tf.input({ shape: [...studentShape] });
    this.translator = tf.model({ inputs: studentInput, outputs: convBlocks(studentInput, [studentShape[2], factor, factor], layerSeed(seed, 2), false) });
    this.variables = weightsOf(this.translator);
    const paraphraser = this.paraphraser;
    this.pretraining = {
      label: 'FT paraphraser (reconstructs the teacher feature)',
      epochs: settings.paraphraserEpochs,
      learningRate: settings.paraphraserRate,
      variables: weightsOf(paraphraser),
      loss: (inputs) => tf.tidy(() => {
        const guide = inputs.guide;
        if (!guide) throw new Error('FT pre-training needs the guide (teacher) feature.');
        return tf.losses.meanSquaredError(guide, paraphraser.apply(guide, { training: true }) as tf.Tensor) as tf.Scalar;
      }),
    };
  }

  /** The loss of one step: the paraphraser's encoder frozen on the teacher feature, the translator training on the student's. */
  loss(student: tf.Tensor, teacher: tf.Tensor, form: FtForm): tf.Scalar {
    return tf.tidy(() => {
      const teacherFactor = this.encoder.apply(teacher, { training: false }) as tf.Tensor;
      const studentFactor = this.translator.apply(student, { training: true }) as tf.Tensor;
      return factorTransferLoss(studentFactor, teacherFactor, form);
    });
  }

  dispose(): void {
    this.paraphraser.dispose();
    this.translator.dispose();
  }
}

/** Reason FT cannot compare the two features, or null: both maps with the same H x W. */
export function ftShapeProblem(guide: Shape, guided: Shape): string | null {
  if (guide.length !== 3 || guided.length !== 3) {
    return `FT paraphrases feature maps with convolutions: guide ${formatShape(guide)} and guided ${formatShape(guided)} must both be [H, W, C] maps.`;
  }
  if (guide[0] !== guided[0] || guide[1] !== guided[1]) {
    return `FT's translator keeps positions: guide ${formatShape(guide)} and guided ${formatShape(guided)} need the same H x W (channels may differ).`;
  }
  return null;
}

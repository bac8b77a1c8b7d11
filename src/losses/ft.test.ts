import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { factorChannels, factorTransferLoss, FtModule, normalisedFactor } from './ft';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('FT loss', () => {
  it('paper: the L1 distance of the L2-normalised factors per sample, averaged over the batch', async () => {
    // Sample 1: t = [3, 4] -> [0.6, 0.8]; s = [1, 0] -> [1, 0]; |diff| = [0.4, 0.8], sum 1.2.
    // Sample 2: t = [0, 2] -> [0, 1];     s = [0, 5] -> [0, 1]; |diff| = 0.
    const teacher = tf.tensor2d([[3, 4], [0, 2]]);
    const student = tf.tensor2d([[1, 0], [0, 5]]);
    const paper = factorTransferLoss(student, teacher, 'paper');
    expect((await paper.data())[0]).toBeCloseTo(0.6, 6);
    tf.dispose([teacher, student, paper]);
  });

  it('repdistiller: channel mean of squares per position, normalised, mean absolute difference', async () => {
    // One sample, 1 x 2 positions, 2 channels. Teacher channels per position: [1, 1] and [1, 3] -> means of
    // squares [1, 5] -> normalised [1, 5] / sqrt 26. Student: [2, 0] and [0, 2] -> [2, 2] -> [1, 1] / sqrt 2.
    const teacher = tf.tensor4d([1, 1, 1, 3], [1, 1, 2, 2]);
    const student = tf.tensor4d([2, 0, 0, 2], [1, 1, 2, 2]);
    const loss = factorTransferLoss(student, teacher, 'repdistiller');
    const expected = (Math.abs(1 / Math.sqrt(26) - Math.SQRT1_2) + Math.abs(5 / Math.sqrt(26) - Math.SQRT1_2)) / 2;
    expect((await loss.data())[0]).toBeCloseTo(expected, 6);
    tf.dispose([teacher, student, loss]);
  });

  it('normalises each sample over all of its positions and channels', async () => {
    const map = tf.tensor4d([1, 2, 2, 4], [1, 2, 1, 2]);
    const factor = normalisedFactor(map);
    expect(Array.from(await factor.data()).map((v) => Number(v.toFixed(6)))).toEqual([0.2, 0.4, 0.4, 0.8]);
    tf.dispose([map, factor]);
  });

  it('refuses factors of different shapes', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2, 4]);
    expect(() => factorTransferLoss(a, b, 'paper')).toThrow(/must match the teacher factor/);
    tf.dispose([a, b]);
  });
});

describe('FT module', () => {
  const teacherShape = [4, 4, 6];
  const studentShape = [4, 4, 3];

  it('has a paraphraser of k x C_t factor channels; the translator trains in distillation, the paraphraser only in pre-training', async () => {
    const start = tf.memory().numTensors;
    const module = new FtModule(studentShape, teacherShape, { rate: 0.5, paraphraserEpochs: 1, paraphraserRate: 0.01 }, 3);
    expect(factorChannels(6, 0.5)).toBe(3);
    expect(module.encoder.outputs[0].shape).toEqual([null, 4, 4, 3]);
    expect(module.translator.outputs[0].shape).toEqual([null, 4, 4, 3]);
    const teacher = tf.randomNormal([5, ...teacherShape], 0, 1, 'float32', 1);
    const student = tf.randomNormal([5, ...studentShape], 0, 1, 'float32', 2);

    const { value, grads } = tf.variableGrads(() => module.loss(student, teacher, 'paper'), module.variables);
    for (const variable of module.variables) expect(Array.from(await grads[variable.name].data()).some((g) => g !== 0)).toBe(true);
    const paraphraserNames = new Set(module.pretraining.variables.map((v) => v.name));
    expect(module.variables.some((v) => paraphraserNames.has(v.name))).toBe(false);
    tf.dispose([value, ...Object.values(grads)]);

    // Reconstruction falls when the paraphraser trains on it alone.
    const optimizer = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const cost = optimizer.minimize(() => module.pretraining.loss({ guide: teacher }), true, module.pretraining.variables) as tf.Scalar;
      losses.push((await cost.data())[0]);
      cost.dispose();
    }
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
    optimizer.dispose();
    tf.dispose([teacher, student]);
    module.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

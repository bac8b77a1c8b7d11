import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../data/types';
import { splitToTensors } from '../data/batches';
import { evaluateAccuracy } from '../train/evaluate';
import { calibrate, evaluateInt8Accuracy, int8ModelBytes } from './ptq';
import { activationPoints, quantizedForward } from './quantForward';
import { loadMnist, STUDENT, trainStudent } from './quant.testkit';

/** PTQ of a cnn-student trained for 200 real steps on 3,000 MNIST images; accuracy on 1,000 test images. */

let data: LoadedDataset;
let model: tf.LayersModel;

beforeAll(async () => {
  data = await loadMnist(1000, 3000);
  model = await trainStudent(data, 200);
}, 240_000);

afterAll(() => model?.dispose());

describe('post-training quantisation on real MNIST', () => {
  it('the float forward over the layer list reproduces the model (training off)', async () => {
    const batch = splitToTensors(data.test, data.info, 0, 50);
    const diff = tf.tidy(() => {
      const mine = quantizedForward(model, STUDENT, batch.xs, { quantizeWeights: false, activations: { kind: 'float' }, training: false })[0];
      return tf.max(tf.abs(mine.sub(model.predict(batch.xs) as tf.Tensor)));
    });
    expect((await diff.data())[0]).toBeLessThan(1e-4);
    tf.dispose([diff, batch.xs, batch.ys]);
  });

  it('calibrates every point on 500 training images and keeps INT8 accuracy within 2 points of FP32', async () => {
    const before = tf.memory().numTensors;
    const params = await calibrate(model, STUDENT, data.train, data.info, 500);
    expect([...params.keys()]).toEqual(activationPoints(STUDENT));
    // Normalised images span negative and positive values; a relu's output starts at 0 (zero point -128).
    expect(params.get('input')?.zeroPoint).toBeGreaterThan(-128);
    expect(params.get('relu1')?.zeroPoint).toBe(-128);
    const fp32 = await evaluateAccuracy(model, data.test, data.info);
    const int8 = await evaluateInt8Accuracy(model, STUDENT, params, data.test, data.info);
    console.log(`PTQ cnn-student (200 steps): FP32 test ${fp32.toFixed(4)}, INT8 test ${int8.toFixed(4)} on ${data.test.count} images`);
    expect(fp32).toBeGreaterThan(0.85);
    expect(int8).toBeGreaterThan(fp32 - 0.02);
    // Fake quantisation changes the logits (it is not the float model) but not by much.
    const batch = splitToTensors(data.test, data.info, 0, 100);
    const gap = tf.tidy(() => {
      const q = quantizedForward(model, STUDENT, batch.xs, { quantizeWeights: true, activations: { kind: 'fixed', params }, training: false })[0];
      return tf.max(tf.abs(q.sub(model.predict(batch.xs) as tf.Tensor)));
    });
    const maxGap = (await gap.data())[0];
    expect(maxGap).toBeGreaterThan(0);
    expect(maxGap).toBeLessThan(2);
    tf.dispose([gap, batch.xs, batch.ys]);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('counts INT8 bytes: one per kernel weight plus float scales, biases and batch-norm parameters', () => {
    // cnn-student: 4,930 parameters; kernels 36 + 288 + 576 + 3,920 = 4,820 weights, the rest is float.
    const floats = 4930 - 4820;
    const scales = 4 + 8 + 8 + 10;
    expect(int8ModelBytes(STUDENT, model)).toBe(4820 + (floats + scales) * 4);
  });

  it('refuses to calibrate on no images', async () => {
    await expect(calibrate(model, STUDENT, data.train, data.info, 0)).rejects.toThrow(/at least one image/);
  });
});

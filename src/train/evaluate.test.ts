import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { splitToTensors } from '../data/batches';
import { loadDataset } from '../data/loader';
import type { LoadedDataset } from '../data/types';
import { buildModel } from '../models/builder';
import { evaluateAccuracy } from './evaluate';
import { datasetOptions, tinyStudent } from './testSupport';

let data: LoadedDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadDataset(datasetOptions({ trainSubset: 32, validationSize: 0, testSubset: 64 }), nodeAssetReader());
});

describe('evaluateAccuracy', () => {
  it('counts arg-max hits over the whole split, batch by batch, and leaks nothing', async () => {
    const model = buildModel(tinyStudent, { taps: [], seed: 4 });
    const before = tf.memory().numTensors;
    const accuracy = await evaluateAccuracy(model, data.test, data.info, { batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    const { xs, ys } = splitToTensors(data.test, data.info, 0, 64);
    const predicted = (model.predict(xs) as tf.Tensor).argMax(-1);
    const hits = await predicted.equal(ys).sum().data();
    expect(accuracy).toBe(hits[0] / 64);
    tf.dispose([xs, ys, predicted]);
    model.dispose();
  });

  it('is NaN when a stop request cuts it short, not the accuracy of the batches it saw', async () => {
    const model = buildModel(tinyStudent, { taps: [], seed: 4 });
    let checks = 0;
    const accuracy = await evaluateAccuracy(model, data.test, data.info, { batchSize: 16, shouldStop: () => ++checks > 2 });
    expect(checks).toBe(3);
    expect(accuracy).toBeNaN();
    model.dispose();
  });
});

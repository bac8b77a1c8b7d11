import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareMnistAssets } from '../../scripts/prepare-data';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { batchesPerEpoch, epochBatches, normalizePixels } from './batches';
import { loadDataset } from './loader';
import { createRng } from './rng';
import { classCounts, classUniformBatches, epochIndexBatches } from './samplers';
import type { BatchSampler, ImageSplit, LoadedDataset } from './types';

const uniform = (samplesPerClass: number): BatchSampler => ({ kind: 'classUniform', samplesPerClass });

let data: LoadedDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  prepareMnistAssets({ ifMissing: true });
  // The first 600 real MNIST training images: 10 classes of about 60, not exactly balanced.
  data = await loadDataset({ datasetId: 'mnist', trainSubset: 600, validationSize: 0, testSubset: 1, augmentShift: 0 }, nodeAssetReader());
});

function classUniformEpoch(seed: number, batchSize: number, k: number): Int32Array[] {
  return [...epochIndexBatches(data.train, 10, batchSize, createRng(seed), uniform(k))];
}

/** Images per class in a batch, largest first. */
function classSizes(indices: Int32Array, split: ImageSplit = data.train): number[] {
  const sizes = new Map<number, number>();
  for (const index of indices) sizes.set(split.labels[index], (sizes.get(split.labels[index]) ?? 0) + 1);
  return [...sizes.values()].sort((a, b) => b - a);
}

describe('classCounts', () => {
  it('takes k from each of ceil(B / k) classes, the last class the remainder', () => {
    expect(classCounts(64, 8, 10)).toEqual(new Array(8).fill(8));
    expect(classCounts(64, 7, 10)).toEqual([...new Array(9).fill(7), 1]);
    expect(classCounts(24, 8, 10)).toEqual([8, 8, 8]);
    expect(classCounts(5, 8, 10)).toEqual([5]);
  });

  it('uses every class, split as evenly as possible (at least k each), when B / k exceeds the classes', () => {
    expect(classCounts(64, 4, 10)).toEqual([7, 7, 7, 7, 6, 6, 6, 6, 6, 6]);
    expect(classCounts(41, 4, 10)).toEqual([5, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
  });
});

describe('class-uniform batches on real MNIST', () => {
  it('hold k images of each of B / k distinct classes, in as many batches of the same sizes as shuffled', () => {
    const batches = classUniformEpoch(3, 64, 8);
    expect(batches).toHaveLength(batchesPerEpoch(data.train, 64));
    expect(batches.map((batch) => batch.length)).toEqual([...new Array(9).fill(64), 24]);
    for (const batch of batches.slice(0, -1)) expect(classSizes(batch)).toEqual(new Array(8).fill(8));
    expect(classSizes(batches[9])).toEqual([8, 8, 8]);
    // Grouped by class: each run of k images shares one label.
    for (let i = 0; i < 64; i++) expect(data.train.labels[batches[0][i]]).toBe(data.train.labels[batches[0][i - (i % 8)]]);
  });

  it('spread a batch over all 10 classes when B / k asks for more (64 at k = 4: 6 or 7 each)', () => {
    for (const batch of classUniformEpoch(5, 64, 4).slice(0, -1)) expect(classSizes(batch)).toEqual([7, 7, 7, 7, 6, 6, 6, 6, 6, 6]);
  });

  it('repeat exactly for a seed and differ for another', () => {
    const first = classUniformEpoch(3, 64, 8);
    expect(classUniformEpoch(3, 64, 8)).toEqual(first);
    expect(classUniformEpoch(4, 64, 8)).not.toEqual(first);
  });

  it('cover the split about once per epoch: classes dealt evenly, no image repeated before its class is used up', () => {
    const drawn = classUniformEpoch(11, 64, 8).flatMap((batch) => Array.from(batch));
    expect(drawn).toHaveLength(600);
    let unique = 0;
    const dealt: number[] = [];
    for (let label = 0; label < 10; label++) {
      const ofClass = drawn.filter((index) => data.train.labels[index] === label);
      const size = Array.from(data.train.labels).filter((l) => l === label).length;
      // Without replacement: the first `size` draws of a class are distinct images.
      expect(new Set(ofClass.slice(0, size)).size).toBe(Math.min(size, ofClass.length));
      unique += new Set(ofClass).size;
      dealt.push(ofClass.length / 8);
    }
    // 75 class slots in shuffled rounds of 10: each class is dealt 7 or 8 times.
    expect(Math.max(...dealt) - Math.min(...dealt)).toBeLessThanOrEqual(1);
    expect(unique / 600).toBeGreaterThan(0.85);
  });

  it('give tensors whose labels and pixels are those of the returned indices, with or without shift', async () => {
    const before = tf.memory().numTensors;
    for (const augmentShift of [0, 2]) {
      for (const batch of epochBatches(data.train, data.info, { batchSize: 50, rng: createRng(1), augmentShift, sampler: uniform(5) })) {
        expect(Array.from(await batch.ys.data())).toEqual(Array.from(batch.indices, (index) => data.train.labels[index]));
        if (augmentShift === 0) {
          const expected = new Float32Array(batch.indices.length * 784);
          batch.indices.forEach((index, i) => expected.set(normalizePixels(data.train.images.subarray(index * 784, (index + 1) * 784), data.info), i * 784));
          expect(await batch.xs.data()).toEqual(expected);
        }
        tf.dispose(batch);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('class-uniform edge cases', () => {
  const split: ImageSplit = { images: new Uint8Array(8), labels: Uint8Array.from([3, 3, 3, 7, 7, 7, 7, 7]), count: 8 };

  it('draws only from the classes present in the split', () => {
    const batches = [...classUniformBatches(split, 10, 4, 2, createRng(2))];
    expect(batches.map((batch) => classSizes(batch, split))).toEqual([[2, 2], [2, 2]]);
  });

  it('never repeats an image within a batch when a class is reshuffled mid-batch, unless the class is smaller than its share', () => {
    // 10 images of each of 2 classes, k = 8: the second batch of each class runs out after 2 and reshuffles.
    const tenEach: ImageSplit = { count: 20, images: new Uint8Array(20 * 784), labels: Uint8Array.from({ length: 20 }, (_, i) => i % 2) };
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const batch of classUniformBatches(tenEach, 2, 16, 8, createRng(seed))) expect(new Set(batch).size).toBe(batch.length);
    }
    // 3 images per class, a batch of 6 at k = 4: one class gives 4 (one repeat is unavoidable, no more), the other 2.
    const small: ImageSplit = { count: 6, images: new Uint8Array(6 * 784), labels: Uint8Array.from([0, 0, 0, 1, 1, 1]) };
    const [batch] = [...classUniformBatches(small, 2, 6, 4, createRng(1))];
    expect(batch.length).toBe(6);
    expect(new Set(batch).size).toBe(5);
  });

  it('rejects a bad k and labels outside the classes', () => {
    expect(() => classUniformBatches(split, 10, 4, 0, createRng(1)).next()).toThrow('samples per class must be a positive whole number, got 0');
    expect(() => classUniformBatches(split, 5, 4, 2, createRng(1)).next()).toThrow('image 3 has label 7, outside the classes 0..4');
  });
});

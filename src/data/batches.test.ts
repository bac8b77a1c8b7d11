import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareMnistAssets } from '../../scripts/prepare-data';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { batchesPerEpoch, epochBatches, flipImageHorizontally, normalizePixels, probeBatch, shiftImage, splitToTensors } from './batches';
import { loadDataset } from './loader';
import { getDatasetInfo } from './registry';
import { createRng } from './rng';
import type { DatasetInfo, ImageSplit, LoadedDataset } from './types';

const mnist = getDatasetInfo('mnist');
const tinyInfo = (side: number, classes = 10): DatasetInfo => ({
  ...mnist, id: 'tiny', shape: [side, side, 1], classes, classNames: Array.from({ length: classes }, (_, i) => String(i)),
  // std 1/255 turns normalised values back into pixel values, which makes batches easy to read.
  normalization: { mean: [0], std: [1 / 255] },
});
/** Image i is filled with the value i, so a batch reveals which images it holds. */
function numberedSplit(count: number, side: number): ImageSplit {
  const images = new Uint8Array(count * side * side);
  for (let i = 0; i < count; i++) images.fill(i, i * side * side, (i + 1) * side * side);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

let real: LoadedDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  prepareMnistAssets({ ifMissing: true });
  real = await loadDataset({ datasetId: 'mnist', trainSubset: 64, validationSize: 1000, testSubset: 200, augmentShift: 0 }, nodeAssetReader());
});

describe('normalisation', () => {
  it('maps MNIST black and white to the hand-computed values', () => {
    const out = normalizePixels(Uint8Array.from([0, 255]), mnist);
    expect(out[0]).toBeCloseTo(-0.4242129, 5); // (0 - 0.1307) / 0.3081
    expect(out[1]).toBeCloseTo(2.8214865, 5); // (1 - 0.1307) / 0.3081
  });

  it('gives every pixel value of every channel the bits of the formula (float64, rounded once)', () => {
    const rgb: DatasetInfo = { ...mnist, shape: [1, 1, 3], normalization: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] } };
    for (const info of [mnist, rgb]) {
      const channels = info.shape[2];
      const pixels = Uint8Array.from({ length: 256 * channels * 2 }, (_, i) => (i >> 1) % 256 ^ (i & 1 ? 0xff : 0));
      const expected = Float32Array.from(pixels, (p, i) => (p / 255 - info.normalization.mean[i % channels]) / info.normalization.std[i % channels]);
      expect(normalizePixels(pixels, info)).toEqual(expected);
    }
  });

  it('uses each channel its own mean and std (NHWC)', () => {
    const rgb: DatasetInfo = { ...mnist, shape: [1, 1, 3], normalization: { mean: [0.5, 0.4, 0.3], std: [0.5, 0.2, 0.1] } };
    expect(Array.from(normalizePixels(Uint8Array.from([255, 0, 51, 0, 102, 255]), rgb)).map((v) => +v.toFixed(5))).toEqual([1, -2, -1, -1, 0, 7]);
  });
});

describe('shiftImage', () => {
  const image = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const shifted = (dx: number, dy: number, shape: [number, number, number] = [3, 3, 1], source = image) => {
    const target = new Uint8Array(source.length).fill(99);
    shiftImage(source, target, shape, dx, dy);
    return Array.from(target);
  };

  it('moves pixels right/down for positive shifts and fills with zeros', () => {
    expect(shifted(1, 0)).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]);
    expect(shifted(-1, 1)).toEqual([0, 0, 0, 2, 3, 0, 5, 6, 0]);
    expect(shifted(0, -2)).toEqual([7, 8, 9, 0, 0, 0, 0, 0, 0]);
    expect(shifted(0, 0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shifted(3, 0)).toEqual(new Array(9).fill(0));
  });

  it('moves all channels of a pixel together', () => {
    expect(shifted(1, 0, [1, 2, 2], Uint8Array.from([10, 11, 20, 21]))).toEqual([0, 0, 10, 11]);
  });
});

describe('flipImageHorizontally', () => {
  it('mirrors each row and keeps a pixel\'s channels together', () => {
    // 2 rows x 3 pixels x 2 channels.
    const image = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    flipImageHorizontally(image, [2, 3, 2]);
    expect([...image]).toEqual([5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8]);
  });
});

describe('horizontal flip in epochBatches', () => {
  // 1 x 2 images [i, 100 + i]: a flipped image reads [100 + i, i].
  const info: DatasetInfo = { ...tinyInfo(1), shape: [1, 2, 1] };
  const split: ImageSplit = {
    images: Uint8Array.from({ length: 200 }, (_, k) => (k % 2 === 0 ? k / 2 : 100 + (k - 1) / 2)),
    labels: Uint8Array.from({ length: 100 }, (_, i) => i % 10),
    count: 100,
  };
  async function firstPixels(seed: number, augmentFlip: boolean): Promise<number[]> {
    const out: number[] = [];
    for (const batch of epochBatches(split, info, { batchSize: 50, rng: createRng(seed), augmentShift: 0, augmentFlip })) {
      const pixels = await batch.xs.data();
      for (let i = 0; i < batch.indices.length; i++) {
        const index = batch.indices[i];
        const [a, b] = [Math.round(pixels[2 * i]), Math.round(pixels[2 * i + 1])];
        expect([[index, 100 + index], [100 + index, index]]).toContainEqual([a, b]); // the image itself, maybe mirrored
        out.push(a);
      }
      tf.dispose(batch);
    }
    return out;
  }

  it('mirrors about half the images, the same ones for the same seed, none when off', async () => {
    const flipped = (pixels: number[]) => pixels.filter((value) => value >= 100).length;
    const once = await firstPixels(5, true);
    expect(await firstPixels(5, true)).toEqual(once);
    expect(flipped(once)).toBeGreaterThan(30);
    expect(flipped(once)).toBeLessThan(70);
    expect(flipped(await firstPixels(5, false))).toBe(0);
  });
});

describe('splitToTensors', () => {
  it('gives NHWC float32 images and int32 labels of real MNIST', async () => {
    const { xs, ys } = splitToTensors(real.test, mnist, 0, 10);
    expect(xs.shape).toEqual([10, 28, 28, 1]);
    expect(xs.dtype).toBe('float32');
    expect(ys.dtype).toBe('int32');
    expect(Array.from(await ys.data())).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const later = splitToTensors(real.test, mnist, 3, 2);
    expect(Array.from(later.indices)).toEqual([3, 4]);
    tf.dispose(later);
    const values = await xs.data();
    const expected = normalizePixels(real.test.images.subarray(0, 10 * 784), mnist);
    expect(Array.from(values)).toEqual(Array.from(expected));
    tf.dispose([xs, ys]);
    expect(() => splitToTensors(real.test, mnist, 195, 10)).toThrow('images 195..204 are outside the split of 200 images');
  });
});

describe('epochBatches', () => {
  const info = tinyInfo(2);
  const split = numberedSplit(25, 2);
  async function epochOrder(seed: number): Promise<number[][]> {
    const order: number[][] = [];
    for (const batch of epochBatches(split, info, { batchSize: 8, rng: createRng(seed), augmentShift: 0 })) {
      const pixels = await batch.xs.data();
      order.push(Array.from({ length: batch.xs.shape[0] }, (_, i) => Math.round(pixels[i * 4])));
      tf.dispose(batch);
    }
    return order;
  }

  it('visits every image once per epoch in a seeded order, last batch smaller', async () => {
    const first = await epochOrder(3);
    expect(first.map((batch) => batch.length)).toEqual([8, 8, 8, 1]);
    expect(batchesPerEpoch(split, 8)).toBe(4);
    expect(first.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(await epochOrder(3)).toEqual(first);
    expect(await epochOrder(4)).not.toEqual(first);
  });

  it('pairs each image with its own label and split index after shuffling', async () => {
    for (const batch of epochBatches(split, info, { batchSize: 10, rng: createRng(9), augmentShift: 0 })) {
      const [pixels, labels] = await Promise.all([batch.xs.data(), batch.ys.data()]);
      expect(batch.indices).toBeInstanceOf(Int32Array);
      expect(Array.from(batch.indices)).toEqual(Array.from({ length: labels.length }, (_, i) => Math.round(pixels[i * 4])));
      for (let i = 0; i < labels.length; i++) expect(labels[i]).toBe(Math.round(pixels[i * 4]) % 10);
      tf.dispose(batch);
    }
  });

  it('shifts augmented images by at most s pixels, covering every offset', async () => {
    const side = 5;
    const dotInfo = tinyInfo(side);
    const images = new Uint8Array(200 * side * side);
    for (let i = 0; i < 200; i++) images[i * side * side + 2 * side + 2] = 255; // a dot in the centre
    const dots: ImageSplit = { images, labels: new Uint8Array(200), count: 200 };
    const offsets = new Set<string>();
    for (const batch of epochBatches(dots, dotInfo, { batchSize: 50, rng: createRng(11), augmentShift: 1 })) {
      const pixels = await batch.xs.data();
      for (let i = 0; i < batch.xs.shape[0]; i++) {
        const image = Array.from(pixels.subarray(i * side * side, (i + 1) * side * side));
        expect(image.filter((v) => v !== 0)).toHaveLength(1);
        const at = image.findIndex((v) => v !== 0);
        offsets.add(`${(at % side) - 2},${Math.floor(at / side) - 2}`);
      }
      tf.dispose(batch);
    }
    expect([...offsets].sort()).toEqual(['-1,-1', '-1,0', '-1,1', '0,-1', '0,0', '0,1', '1,-1', '1,0', '1,1']);
  });

  it('rejects a bad batch size', () => {
    expect(() => epochBatches(split, info, { batchSize: 0, rng: createRng(1), augmentShift: 0 }).next()).toThrow(
      'batch size must be a positive whole number, got 0',
    );
  });
});

describe('probeBatch', () => {
  it('picks the first test image of each class, then the second', async () => {
    const probe = probeBatch(real.test, mnist, 12);
    expect(probe.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    // From the known first test labels 7,2,1,0,4,1,4,9,5,9: class 0 at 3, 1 at 2, 2 at 1, 4 at 4, 5 at 8, 7 at 0, 9 at 7.
    expect([0, 1, 2, 4, 5, 7, 9].map((c) => probe.indices[c])).toEqual([3, 2, 1, 4, 8, 0, 7]);
    expect(probe.indices[11]).toBe(5); // the second 1
    expect(Array.from(await probe.ys.data())).toEqual(probe.labels);
    const again = probeBatch(real.test, mnist, 12);
    expect(again.indices).toEqual(probe.indices);
    tf.dispose([probe, again]);
  });

  it('falls back to the classes that remain when some run out', () => {
    const split: ImageSplit = { images: new Uint8Array(4 * 4), labels: Uint8Array.from([3, 3, 3, 1]), count: 4 };
    const probe = probeBatch(split, tinyInfo(2), 4);
    expect(Array.from(probe.indices)).toEqual([3, 0, 1, 2]);
    tf.dispose(probe);
  });
});

describe('tensor memory', () => {
  it('leaves no tensors behind once the caller disposes what it received', async () => {
    const before = tf.memory().numTensors;
    for (const batch of epochBatches(real.train, mnist, { batchSize: 16, rng: createRng(2), augmentShift: 2 })) {
      await batch.xs.data();
      tf.dispose(batch);
    }
    const probe = probeBatch(real.test, mnist, 10);
    const evalBatch = splitToTensors(real.validation, mnist, 0, 32);
    tf.dispose([probe, evalBatch]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

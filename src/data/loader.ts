/**
 * Entry point of the data layer for the trainer: turns the Dataset node's options into the image
 * ranges to read and asks the dataset's registered loader for exactly those.
 *
 * Validation is the last `validationSize` images of the training file, so it never overlaps the
 * training subset (the first `trainSubset` images) whatever subset size is chosen.
 */
import { getDatasetEntry, type SplitRanges } from './registry';
import type { AssetReader, DatasetInfo, DatasetOptions, LoadedDataset } from './types';

export class DatasetOptionsError extends Error {
  override readonly name = 'DatasetOptionsError';
}

function requireCount(value: number, what: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DatasetOptionsError(`${what} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** Checks the options against the dataset's sizes and derives the file ranges to read. */
export function resolveSplitRanges(options: DatasetOptions, info: DatasetInfo): SplitRanges {
  requireCount(options.validationSize, `validation size for ${info.id}`, 0, info.trainCount - 1);
  const available = info.trainCount - options.validationSize;
  const trainCount = options.trainSubset ?? available;
  if (options.trainSubset !== null) {
    requireCount(
      options.trainSubset,
      `training subset for ${info.id} (${info.trainCount} training images minus ${options.validationSize} held out for validation)`,
      1,
      available,
    );
  }
  const testCount = options.testSubset ?? info.testCount;
  if (options.testSubset !== null) requireCount(options.testSubset, `test subset for ${info.id}`, 1, info.testCount);
  requireCount(options.augmentShift, 'augmentation shift (pixels)', 0, Math.floor(Math.min(info.shape[0], info.shape[1]) / 2));
  if (options.sampler?.kind === 'classUniform') {
    requireCount(options.sampler.samplesPerClass, 'images per class of class-uniform batches', 1, trainCount);
  }
  return {
    train: { first: 0, count: trainCount },
    validation: { first: available, count: options.validationSize },
    test: { first: 0, count: testCount },
  };
}

export async function loadDataset(options: DatasetOptions, read: AssetReader): Promise<LoadedDataset> {
  const entry = getDatasetEntry(options.datasetId);
  const ranges = resolveSplitRanges(options, entry.info);
  const splits = await entry.load(entry.info, ranges, read);
  return { info: entry.info, ...splits };
}

/**
 * The first `subset` training images of loaded data (null = all that were loaded), without copying:
 * training subsets are prefixes, so one load of the widest subset serves every phase.
 */
export function withTrainSubset(data: LoadedDataset, subset: number | null): LoadedDataset {
  if (subset === null || subset === data.train.count) return data;
  if (!Number.isInteger(subset) || subset < 1 || subset > data.train.count) {
    throw new DatasetOptionsError(`training subset ${subset} is not within the ${data.train.count} loaded training images`);
  }
  const pixels = data.info.shape[0] * data.info.shape[1] * data.info.shape[2];
  const { images, labels } = data.train;
  return { ...data, train: { images: images.subarray(0, subset * pixels), labels: labels.subarray(0, subset), count: subset } };
}

/** The widest of several training subsets (null = all). */
export function widestTrainSubset(subsets: readonly (number | null)[]): number | null {
  return subsets.includes(null) ? null : Math.max(...(subsets as number[]));
}

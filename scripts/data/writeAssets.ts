/**
 * Writes a dataset in the sharded layout of src/data/assets.ts and checks an existing copy, for
 * every dataset the preparation script converts (each source only has to produce uint8 images and
 * labels per split).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ASSET_FORMAT_VERSION, META_FILE, labelsFileName, listAssetFiles, parseAssetMeta, shardFileName,
  type AssetFile, type AssetSplit, type AssetSplitName, type DatasetAssetMeta, type ImageShard,
} from '../../src/data/assets';

export interface SourceSplit {
  /** count * H * W * C bytes, row-major [H, W, C] per image. */
  images: Uint8Array;
  labels: Uint8Array;
}

export interface DatasetSource {
  datasetId: string;
  /** Where the bytes came from and how they were arranged, for people reading meta.json. */
  description: string;
  imageShape: [number, number, number];
  classes: number;
  splits: Record<AssetSplitName, SourceSplit>;
}

export class PrepareDataError extends Error {
  override readonly name = 'PrepareDataError';
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Why the assets in outDir cannot be reused, or null when meta.json and every file are in place. */
export function findAssetProblem(outDir: string, datasetId: string): string | null {
  const metaPath = path.join(outDir, META_FILE);
  if (!existsSync(metaPath)) return `${META_FILE} is missing`;
  let meta: DatasetAssetMeta;
  try {
    meta = parseAssetMeta(readFileSync(metaPath, 'utf8'), datasetId);
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

export function readAssetMeta(outDir: string, datasetId: string): DatasetAssetMeta {
  return parseAssetMeta(readFileSync(path.join(outDir, META_FILE), 'utf8'), datasetId);
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

function writeSplit(outDir: string, name: AssetSplitName, split: SourceSplit, imageBytes: number, imagesPerShard: number): AssetSplit {
  const count = split.labels.length;
  if (split.images.length !== count * imageBytes) {
    throw new PrepareDataError(`${name}: ${split.images.length} image bytes for ${count} labels of ${imageBytes} bytes each.`);
  }
  const imageShards: ImageShard[] = [];
  for (let first = 0, index = 0; first < count; first += imagesPerShard, index++) {
    const imageCount = Math.min(imagesPerShard, count - first);
    const bytes = split.images.subarray(first * imageBytes, (first + imageCount) * imageBytes);
    imageShards.push({ ...writeAsset(outDir, shardFileName(name, index), bytes), firstImage: first, imageCount });
  }
  return { count, imageShards, labels: writeAsset(outDir, labelsFileName(name), split.labels) };
}

/**
 * Every file is replaced atomically and meta.json last, so a test process or dev server reading
 * concurrently sees old or new files, never half-written ones; an interrupted run leaves a
 * mismatch that findAssetProblem catches.
 */
export function writeDatasetAssets(outDir: string, source: DatasetSource, imagesPerShard: number): DatasetAssetMeta {
  if (!Number.isInteger(imagesPerShard) || imagesPerShard <= 0) {
    throw new PrepareDataError(`imagesPerShard must be a positive integer, got ${imagesPerShard}`);
  }
  for (const [name, split] of Object.entries(source.splits)) {
    const bad = split.labels.findIndex((label) => label >= source.classes);
    if (bad >= 0) throw new PrepareDataError(`${source.datasetId} ${name}: label ${split.labels[bad]} at index ${bad} is not below ${source.classes}.`);
  }
  mkdirSync(outDir, { recursive: true });
  const imageBytes = source.imageShape[0] * source.imageShape[1] * source.imageShape[2];
  const meta: DatasetAssetMeta = {
    formatVersion: ASSET_FORMAT_VERSION,
    datasetId: source.datasetId,
    source: source.description,
    imageShape: source.imageShape,
    classes: source.classes,
    imagesPerShard,
    splits: {
      train: writeSplit(outDir, 'train', source.splits.train, imageBytes, imagesPerShard),
      test: writeSplit(outDir, 'test', source.splits.test, imageBytes, imagesPerShard),
    },
  };
  writeAtomically(path.join(outDir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

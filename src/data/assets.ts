/**
 * The layout of the generated dataset assets (public/data/<datasetId>/), shared by the
 * preparation script that writes them and the loader that reads them.
 *
 *   <id>/meta.json                  DatasetAssetMeta (counts, shapes, files, sizes, sha-256)
 *   <id>/train-images-NN.u8         imagesPerShard images each, H*W*C uint8 per image, row-major
 *   <id>/train-labels.u8            one uint8 class index per image
 *   <id>/test-images-NN.u8, <id>/test-labels.u8
 *
 * Shards keep a small training subset cheap: the loader fetches only the shards it needs.
 */

/** Bump when the layout or meta.json changes incompatibly; the script then regenerates. */
export const ASSET_FORMAT_VERSION = 1;
export const META_FILE = 'meta.json';
export const DEFAULT_IMAGES_PER_SHARD = 10_000;

export type AssetSplitName = 'train' | 'test';

export interface AssetFile {
  /** File name relative to the dataset's folder. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface ImageShard extends AssetFile {
  /** Index of the shard's first image in the split. */
  firstImage: number;
  imageCount: number;
}

export interface AssetSplit {
  count: number;
  imageShards: ImageShard[];
  labels: AssetFile;
}

export interface DatasetAssetMeta {
  formatVersion: number;
  datasetId: string;
  /** Where the bytes came from, for people reading the file. */
  source: string;
  /** [H, W, C] */
  imageShape: [number, number, number];
  classes: number;
  imagesPerShard: number;
  splits: Record<AssetSplitName, AssetSplit>;
}

export function shardFileName(split: AssetSplitName, shardIndex: number): string {
  return `${split}-images-${String(shardIndex).padStart(2, '0')}.u8`;
}

export function labelsFileName(split: AssetSplitName): string {
  return `${split}-labels.u8`;
}

/** Every file the meta lists, for size checks. */
export function listAssetFiles(meta: DatasetAssetMeta): AssetFile[] {
  const files: AssetFile[] = [];
  for (const split of Object.values(meta.splits)) files.push(...split.imageShards, split.labels);
  return files;
}

export class DatasetAssetError extends Error {
  override readonly name = 'DatasetAssetError';
}

const REGENERATE_HINT = 'run `npm run prepare-data` to regenerate the dataset assets';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFile(value: unknown): value is AssetFile {
  return isRecord(value) && typeof value.path === 'string' && typeof value.bytes === 'number' && typeof value.sha256 === 'string';
}

function isShard(value: unknown): value is ImageShard {
  return isFile(value) && isRecord(value) && typeof value.firstImage === 'number' && typeof value.imageCount === 'number';
}

function isSplit(value: unknown): value is AssetSplit {
  return isRecord(value) && typeof value.count === 'number' && Array.isArray(value.imageShards) &&
    value.imageShards.every(isShard) && isFile(value.labels);
}

/**
 * Parses and checks meta.json: its structure, its format version and that shard sizes agree with
 * the image counts, so a stale or hand-edited file fails here rather than as garbage pixels.
 */
export function parseAssetMeta(text: string, datasetId: string): DatasetAssetMeta {
  const where = `${datasetId}/${META_FILE}`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DatasetAssetError(`${where} is not valid JSON (${(error as Error).message}); ${REGENERATE_HINT}`);
  }
  if (!isRecord(raw)) throw new DatasetAssetError(`${where} is not a JSON object; ${REGENERATE_HINT}`);
  if (raw.formatVersion !== ASSET_FORMAT_VERSION) {
    throw new DatasetAssetError(
      `${where} has format version ${String(raw.formatVersion)}, this code reads version ${ASSET_FORMAT_VERSION}; ${REGENERATE_HINT}`,
    );
  }
  const shape = raw.imageShape;
  const splits = raw.splits;
  const wellFormed = raw.datasetId === datasetId && typeof raw.source === 'string' && typeof raw.classes === 'number' &&
    typeof raw.imagesPerShard === 'number' && Array.isArray(shape) && shape.length === 3 &&
    shape.every((d) => Number.isInteger(d) && d > 0) && isRecord(splits) && isSplit(splits.train) && isSplit(splits.test);
  if (!wellFormed) {
    throw new DatasetAssetError(`${where} is malformed or belongs to another dataset; ${REGENERATE_HINT}`);
  }
  const meta = raw as unknown as DatasetAssetMeta;
  const imageBytes = meta.imageShape[0] * meta.imageShape[1] * meta.imageShape[2];
  for (const [name, split] of Object.entries(meta.splits)) {
    let expectedFirst = 0;
    for (const shard of split.imageShards) {
      if (shard.firstImage !== expectedFirst || shard.bytes !== shard.imageCount * imageBytes) {
        throw new DatasetAssetError(`${where}: ${name} shard ${shard.path} is inconsistent with its image count; ${REGENERATE_HINT}`);
      }
      expectedFirst += shard.imageCount;
    }
    if (expectedFirst !== split.count || split.labels.bytes !== split.count) {
      throw new DatasetAssetError(`${where}: ${name} shards and labels do not add up to ${split.count} images; ${REGENERATE_HINT}`);
    }
  }
  return meta;
}

/**
 * Loader for datasets stored in the sharded uint8 layout of assets.ts (MNIST today; any dataset the
 * preparation script converts to the same layout can reuse it). Reads only the shards that overlap
 * the requested ranges and checks every file's size against meta.json.
 */
import { DatasetAssetError, META_FILE, parseAssetMeta, type AssetFile, type AssetSplit, type DatasetAssetMeta } from './assets';
import type { ImageRange, LoadedSplits, SplitRanges } from './registry';
import type { AssetReader, DatasetInfo, ImageSplit } from './types';

const REGENERATE_HINT = 'run `npm run prepare-data` to regenerate the dataset assets';

/** Reads each file at most once per load, since train and validation often share a shard. */
function cachedSizedReader(read: AssetReader, datasetId: string): (file: AssetFile) => Promise<Uint8Array> {
  const cache = new Map<string, Promise<Uint8Array>>();
  return (file) => {
    let pending = cache.get(file.path);
    if (!pending) {
      pending = read(`${datasetId}/${file.path}`).then((bytes) => {
        if (bytes.byteLength !== file.bytes) {
          throw new DatasetAssetError(
            `${datasetId}/${file.path} has ${bytes.byteLength} bytes, meta.json says ${file.bytes}; the file is corrupt or stale — ${REGENERATE_HINT}`,
          );
        }
        return bytes;
      });
      cache.set(file.path, pending);
    }
    return pending;
  };
}

function checkMetaMatchesInfo(meta: DatasetAssetMeta, info: DatasetInfo): void {
  const problems: string[] = [];
  if (meta.imageShape.join('x') !== info.shape.join('x')) problems.push(`image shape ${meta.imageShape.join('x')} instead of ${info.shape.join('x')}`);
  if (meta.classes !== info.classes) problems.push(`${meta.classes} classes instead of ${info.classes}`);
  if (meta.splits.train.count !== info.trainCount) problems.push(`${meta.splits.train.count} training images instead of ${info.trainCount}`);
  if (meta.splits.test.count !== info.testCount) problems.push(`${meta.splits.test.count} test images instead of ${info.testCount}`);
  if (problems.length > 0) {
    throw new DatasetAssetError(`${info.id}/${META_FILE} does not match the registry: ${problems.join(', ')}; ${REGENERATE_HINT}`);
  }
}

async function readSplitRange(
  split: AssetSplit,
  range: ImageRange,
  info: DatasetInfo,
  readFile: (file: AssetFile) => Promise<Uint8Array>,
): Promise<ImageSplit> {
  const imageBytes = info.shape[0] * info.shape[1] * info.shape[2];
  const end = range.first + range.count;
  const images = new Uint8Array(range.count * imageBytes);
  const needed = split.imageShards.filter((shard) => shard.firstImage < end && shard.firstImage + shard.imageCount > range.first);
  const [labelBytes, ...shardBytes] = await Promise.all([readFile(split.labels), ...needed.map(readFile)]);
  needed.forEach((shard, i) => {
    const from = Math.max(range.first, shard.firstImage);
    const to = Math.min(end, shard.firstImage + shard.imageCount);
    const source = shardBytes[i].subarray((from - shard.firstImage) * imageBytes, (to - shard.firstImage) * imageBytes);
    images.set(source, (from - range.first) * imageBytes);
  });
  const labels = labelBytes.slice(range.first, end);
  const badIndex = labels.findIndex((label) => label >= info.classes);
  if (badIndex >= 0) {
    throw new DatasetAssetError(
      `${info.id}/${split.labels.path}: label ${labels[badIndex]} at index ${range.first + badIndex} is outside 0..${info.classes - 1}; ${REGENERATE_HINT}`,
    );
  }
  return { images, labels, count: range.count };
}

export async function loadShardedDataset(info: DatasetInfo, ranges: SplitRanges, read: AssetReader): Promise<LoadedSplits> {
  const metaBytes = await read(`${info.id}/${META_FILE}`);
  const meta = parseAssetMeta(new TextDecoder().decode(metaBytes), info.id);
  checkMetaMatchesInfo(meta, info);
  const readFile = cachedSizedReader(read, info.id);
  const [train, validation, test] = await Promise.all([
    readSplitRange(meta.splits.train, ranges.train, info, readFile),
    readSplitRange(meta.splits.train, ranges.validation, info, readFile),
    readSplitRange(meta.splits.test, ranges.test, info, readFile),
  ]);
  return { train, validation, test };
}

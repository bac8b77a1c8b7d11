/**
 * The file-system AssetReader for Node: tests, the headless runner and benchmarks read the same
 * generated assets the browser fetches from /data/.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssetReader } from '../../src/data/types';

export const DEFAULT_NODE_DATA_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'public', 'data');

export class MissingAssetError extends Error {
  override readonly name = 'MissingAssetError';
}

export function nodeAssetReader(root: string = DEFAULT_NODE_DATA_ROOT): AssetReader {
  const resolvedRoot = path.resolve(root);
  return async (relativePath: string): Promise<Uint8Array> => {
    const filePath = path.resolve(resolvedRoot, relativePath);
    if (filePath !== resolvedRoot && !filePath.startsWith(resolvedRoot + path.sep)) {
      throw new Error(`asset path ${relativePath} points outside the data root ${resolvedRoot}`);
    }
    try {
      const buffer = await readFile(filePath);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const datasetId = relativePath.split('/')[0];
        throw new MissingAssetError(`dataset asset ${filePath} not found; run \`npm run prepare-data -- ${datasetId}\` to generate it`);
      }
      throw error;
    }
  };
}

/**
 * The headless runner's teacher cache: the same role as the studio's IndexedDB cache. A trained
 * teacher is stored under its plan cache key (architecture, training settings and data), so later
 * runs of experiments with the same teacher skip its training.
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { LayerWeights } from '../../src/models/spec';
import type { TeacherCache } from '../../src/train/runner';

interface StoredTensor { shape: number[]; offset: number; length: number }
interface StoredLayer { layerId: string; tensors: StoredTensor[] }

const SAFE_KEY = /^[A-Za-z0-9._-]+$/;

export function fsTeacherCache(directory: string): TeacherCache {
  const files = (key: string) => {
    if (!SAFE_KEY.test(key)) throw new Error(`Teacher cache key '${key}' is not a safe file name.`);
    return { index: path.join(directory, `${key}.json`), data: path.join(directory, `${key}.bin`) };
  };
  return {
    async get(key) {
      const { index, data } = files(key);
      let layers: StoredLayer[];
      let bytes: Buffer;
      try {
        layers = JSON.parse(await readFile(index, 'utf8')) as StoredLayer[];
        bytes = await readFile(data);
      } catch {
        return null;
      }
      const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      return layers.map((layer) => ({
        layerId: layer.layerId,
        tensors: layer.tensors.map((t) => ({ shape: t.shape, values: floats.slice(t.offset, t.offset + t.length) })),
      }));
    },
    async put(key, weights: LayerWeights[]) {
      const { index, data } = files(key);
      await mkdir(directory, { recursive: true });
      let offset = 0;
      const layers: StoredLayer[] = weights.map((layer) => ({
        layerId: layer.layerId,
        tensors: layer.tensors.map((t) => {
          const stored = { shape: t.shape, offset, length: t.values.length };
          offset += t.values.length;
          return stored;
        }),
      }));
      const all = new Float32Array(offset);
      let at = 0;
      for (const layer of weights) for (const t of layer.tensors) { all.set(t.values, at); at += t.values.length; }
      // Data first, index last (renamed into place), so a reader never sees an index without its data.
      await writeFile(data, new Uint8Array(all.buffer));
      await writeFile(`${index}.tmp`, JSON.stringify(layers));
      await rename(`${index}.tmp`, index);
    },
  };
}

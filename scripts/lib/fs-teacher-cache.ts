/**
 * The headless runner's teacher cache: the same role as the studio's IndexedDB cache. A trained
 * teacher is stored under its plan cache key (architecture, training settings and data), so later
 * runs of experiments with the same teacher skip its training.
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { LayerWeights } from '../../src/models/spec';
import { decodeWeights, encodeWeights } from '../../src/models/weightsFile';
import { pretrainedTeachers, type TeacherSource } from '../../src/train/pretrained';
import type { TeacherCache } from '../../src/train/runner';

/** Where the studio serves its pretrained teachers from (`/teachers/` in the app). */
export const DEFAULT_PRETRAINED_DIR = 'public/teachers';

const SAFE_KEY = /^[A-Za-z0-9._-]+$/;

export function teacherFiles(directory: string, key: string): { index: string; data: string } {
  if (!SAFE_KEY.test(key)) throw new Error(`Teacher cache key '${key}' is not a safe file name.`);
  return { index: path.join(directory, `${key}.json`), data: path.join(directory, `${key}.bin`) };
}

export function fsTeacherCache(directory: string): TeacherCache {
  return {
    async get(key) {
      const { index, data } = teacherFiles(directory, key);
      let stored: unknown;
      let bytes: Buffer;
      try {
        stored = JSON.parse(await readFile(index, 'utf8'));
        bytes = await readFile(data);
      } catch {
        return null;
      }
      try {
        return decodeWeights(stored, bytes, index);
      } catch (error) {
        // A damaged entry costs a retraining (which overwrites it), never the run.
        console.warn(`${String(error)} Retraining the teacher.`);
        return null;
      }
    },
    async put(key, weights: LayerWeights[]) {
      const { index, data } = teacherFiles(directory, key);
      await mkdir(directory, { recursive: true });
      const encoded = encodeWeights(weights);
      // Data first, index last (renamed into place), so a reader never sees an index without its data.
      await writeFile(data, encoded.data);
      await writeFile(`${index}.tmp`, JSON.stringify(encoded.index));
      await rename(`${index}.tmp`, index);
    },
  };
}

/** The pretrained teachers of a directory laid out as `public/teachers/` (index.json + <key>.json/.bin). */
export function fsPretrainedTeachers(directory: string): TeacherSource {
  return pretrainedTeachers(async (name) => {
    try {
      return await readFile(path.join(directory, path.basename(name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  });
}

/**
 * Teachers on disk for the Node tools. The cache (`.cache/teachers`) plays the studio's IndexedDB
 * role: a trained teacher is stored under its plan cache key (architecture, training settings and
 * data), so later runs of experiments with the same teacher skip its training. The pretrained
 * directory (`public/teachers`) is read-only and laid out the same way, plus an index.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayerWeights } from '../../src/models/spec';
import { decodeWeights, encodeWeights } from '../../src/models/weightsFile';
import { errorMessage } from '../../src/errorMessage';
import { pretrainedTeachers, type TeacherSource } from '../../src/train/pretrained';
import type { TeacherCache } from '../../src/train/runner';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the studio serves its pretrained teachers from (`/teachers/` in the app). */
export const DEFAULT_PRETRAINED_DIR = path.join(ROOT, 'public', 'teachers');

const SAFE_KEY = /^[A-Za-z0-9._-]+$/;

/** The two files of a stored teacher: `<key>.json` (layout) and `<key>.bin` (float32 data). */
export function teacherFiles(directory: string, key: string): { layout: string; data: string } {
  if (!SAFE_KEY.test(key)) throw new Error(`Teacher cache key '${key}' is not a safe file name.`);
  return { layout: path.join(directory, `${key}.json`), data: path.join(directory, `${key}.bin`) };
}

/**
 * Writes both files under names of their own first, then renames the data and, last, the layout into
 * place: a reader never sees a layout without its data, and runs writing the same key at once
 * (parallel seeds) each finish with a complete pair.
 */
export async function writeTeacherFiles(directory: string, key: string, weights: LayerWeights[]): Promise<void> {
  const files = teacherFiles(directory, key);
  await mkdir(directory, { recursive: true });
  const { layout, data } = encodeWeights(weights);
  const suffix = `.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(files.data + suffix, data);
    await writeFile(files.layout + suffix, JSON.stringify(layout));
    await rename(files.data + suffix, files.data);
    await rename(files.layout + suffix, files.layout);
  } finally {
    await Promise.all([rm(files.data + suffix, { force: true }), rm(files.layout + suffix, { force: true })]);
  }
}

export function fsTeacherCache(directory: string): TeacherCache {
  return {
    async get(key) {
      const files = teacherFiles(directory, key);
      const [layoutText, bytes] = await Promise.all([readMissingAsNull(files.layout, 'utf8'), readMissingAsNull(files.data)]);
      if (layoutText === null || bytes === null) return null;
      // A damaged entry throws: the teacher store logs why and retrains, overwriting the entry.
      let layout: unknown;
      try {
        layout = JSON.parse(layoutText);
      } catch (error) {
        throw new Error(`The layout of cached teacher ${files.layout} is not JSON (${errorMessage(error)}).`, { cause: error });
      }
      return decodeWeights(layout, bytes, `of cached teacher ${files.data}`);
    },
    put: (key, weights) => writeTeacherFiles(directory, key, weights),
  };
}

/** The pretrained teachers of a directory laid out as `public/teachers/` (index.json + <key>.json/.bin). */
export function fsPretrainedTeachers(directory: string): TeacherSource {
  return pretrainedTeachers((name) => readMissingAsNull(path.join(directory, path.basename(name))));
}

/** A file's contents, or null when it does not exist; any other failure is thrown. */
async function readMissingAsNull(file: string): Promise<Buffer | null>;
async function readMissingAsNull(file: string, encoding: 'utf8'): Promise<string | null>;
async function readMissingAsNull(file: string, encoding?: 'utf8'): Promise<Buffer | string | null> {
  try {
    return encoding ? await readFile(file, encoding) : await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

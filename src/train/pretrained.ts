/**
 * Pretrained teachers shipped with the studio (`public/teachers/`): the teachers the quick and
 * full-data presets share (src/graph/presetBuilder.ts, sharedTeacherTraining), trained by that recipe with `npm run experiment -- <preset> --only teacher` and stored
 * under their plan cache key. A run whose teacher has that key starts from them instead of training
 * for up to an hour; any change to the teacher's architecture, training or data changes the key, and
 * the teacher is trained as usual. The same code reads them from disk in Node and over HTTP in the
 * studio's worker.
 */
import type { LayerWeights } from '../models/spec';
import { decodeWeights } from '../models/weightsFile';
import { errorMessage } from '../errorMessage';

export const PRETRAINED_INDEX = 'index.json';
export const PRETRAINED_SCHEMA_VERSION = 2;

export interface PretrainedTeacher {
  /** The plan's teacher cache key; also the stem of `<key>.json` (layout) and `<key>.bin` (float32 data). */
  key: string;
  /** The presets (in `public/presets/`) whose teacher this is: every one compiles to `key`. */
  presets: string[];
  /** Accuracies measured when it was shipped; the test suite re-measures them. */
  validationAccuracy: number;
  testAccuracy: number;
  /** How it was trained and measured (command, backend, date), for whoever wants to reproduce it. */
  trainedWith: string;
}

export interface PretrainedIndex {
  schemaVersion: number;
  teachers: PretrainedTeacher[];
}

/** Reads a file of the pretrained directory by name; null when it does not exist. */
export type PretrainedFileReader = (name: string) => Promise<Uint8Array | null>;

export interface TeacherSource {
  /** The weights stored under `key`, or null when none are. */
  get(key: string): Promise<LayerWeights[] | null>;
  /** Whether `key` is one of the shipped teachers (without reading its weights). */
  lists(key: string): Promise<boolean>;
}

const isFraction = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 1;

export function parsePretrainedIndex(json: unknown): PretrainedIndex {
  const index = json as Partial<PretrainedIndex> | null;
  if (index?.schemaVersion !== PRETRAINED_SCHEMA_VERSION || !Array.isArray(index.teachers)) {
    throw new Error(`The pretrained teachers' ${PRETRAINED_INDEX} needs schemaVersion ${PRETRAINED_SCHEMA_VERSION} and a teachers list.`);
  }
  for (const [i, entry] of index.teachers.entries()) {
    const ok = typeof entry?.key === 'string' && /^teacher-[0-9a-f]+$/.test(entry.key)
      && Array.isArray(entry.presets) && entry.presets.length > 0 && entry.presets.every((p) => typeof p === 'string')
      && isFraction(entry.validationAccuracy) && isFraction(entry.testAccuracy) && typeof entry.trainedWith === 'string';
    if (!ok) throw new Error(`Pretrained teacher ${i} in ${PRETRAINED_INDEX} needs key, presets, validationAccuracy, testAccuracy and trainedWith.`);
  }
  return index as PretrainedIndex;
}

const textDecoder = new TextDecoder();
const parseJson = (bytes: Uint8Array, name: string): unknown => {
  try {
    return JSON.parse(textDecoder.decode(bytes));
  } catch (error) {
    throw new Error(`${name} is not JSON (${errorMessage(error)}).`, { cause: error });
  }
};

/**
 * A read-only teacher source over the pretrained directory. A key that is not listed is a miss;
 * a listed teacher whose files are missing or damaged is an error (the runner then trains).
 */
export function pretrainedTeachers(read: PretrainedFileReader): TeacherSource {
  let listing: Promise<PretrainedIndex | null> | null = null;
  const loadIndex = (): Promise<PretrainedIndex | null> => {
    listing ??= read(PRETRAINED_INDEX)
      .then((bytes) => (bytes ? parsePretrainedIndex(parseJson(bytes, PRETRAINED_INDEX)) : null))
      .catch((error: unknown) => {
        listing = null; // a failed read is retried by the next lookup, not remembered
        throw error;
      });
    return listing;
  };
  const lists = async (key: string): Promise<boolean> => (await loadIndex())?.teachers.some((teacher) => teacher.key === key) ?? false;
  return {
    lists,
    async get(key) {
      if (!(await lists(key))) return null;
      const [layout, data] = await Promise.all([read(`${key}.json`), read(`${key}.bin`)]);
      if (!layout || !data) throw new Error(`Pretrained teacher ${key} is listed in ${PRETRAINED_INDEX} but its .json or .bin file is missing.`);
      return decodeWeights(parseJson(layout, `${key}.json`), data, `of pretrained teacher ${key}`);
    },
  };
}

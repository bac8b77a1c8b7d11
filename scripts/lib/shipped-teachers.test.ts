import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../../src/graph/compile';
import { parseExperiment } from '../../src/graph/serialize';
import { parsePretrainedIndex, PRETRAINED_INDEX } from '../../src/train/pretrained';
import { measureTeacherAccuracy } from '../../src/train/teacherAccuracy';
import { DEFAULT_PRETRAINED_DIR, fsPretrainedTeachers } from './fs-teachers';
import { nodeAssetReader } from './node-assets';
import { teacherPhases } from './teacher-phases';

/**
 * The teachers shipped in public/teachers must still be the teachers of their presets: the presets
 * listed compile to the teacher's key (a recipe change without re-shipping fails here), no other
 * preset does, and the teacher reaches the accuracy it is listed with on the real images.
 */
const presetDir = fileURLToPath(new URL('../../public/presets/', import.meta.url));
const shipped = parsePretrainedIndex(JSON.parse(readFileSync(path.join(DEFAULT_PRETRAINED_DIR, PRETRAINED_INDEX), 'utf8')));
const planOf = (preset: string) => compileExperiment(parseExperiment(readFileSync(path.join(presetDir, preset), 'utf8')));
const presetFiles = readdirSync(presetDir).filter((name) => name.endsWith('.json') && name !== 'index.json').sort();
const teacherKeys = (preset: string): string[] => teacherPhases(planOf(preset)).map((teacher) => teacher.cacheKey);

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('shipped pretrained teachers', () => {
  it('include the teacher of the full-data CNN presets', () => {
    expect(shipped.teachers.flatMap((t) => t.presets)).toContain('cnn-mnist-at-full.json');
  });

  it('cover every preset with a teacher, quick or full (born-again generation 0 is trained, not shipped; nor is the paper-scale WRN-40-2)', () => {
    const shippedKeys = new Set(shipped.teachers.map((teacher) => teacher.key));
    const trainedNotShipped = (name: string): boolean => name.startsWith('ban-') || name === 'cifar10-wrn-kd.json';
    for (const file of presetFiles.filter((name) => !trainedNotShipped(name))) {
      for (const key of teacherKeys(file)) expect(shippedKeys.has(key), `${file}'s teacher ${key} is shipped`).toBe(true);
    }
  });

  it('list exactly the presets whose teacher compiles to their key', () => {
    for (const teacher of shipped.teachers) {
      const using = presetFiles.filter((file) => teacherKeys(file).includes(teacher.key));
      expect(using, `presets of ${teacher.key}; after a recipe change, retrain and re-ship (npm run ship-teacher)`).toEqual([...teacher.presets].sort());
    }
  });

  for (const entry of shipped.teachers) {
    it(`${entry.key} reaches its listed accuracy on the real validation and test images`, async () => {
      const plan = planOf(entry.presets[0]);
      const [teacher] = teacherPhases(plan).filter((candidate) => candidate.cacheKey === entry.key);
      const weights = await fsPretrainedTeachers(DEFAULT_PRETRAINED_DIR).get(entry.key);
      expect(weights).not.toBeNull();
      const before = tf.memory().numTensors;
      const measured = await measureTeacherAccuracy(plan, teacher.modelId, weights!, nodeAssetReader());
      expect(tf.memory().numTensors).toBe(before);
      // Within one image: another machine's kernels may round a borderline logit the other way.
      expect(Math.abs(measured.testAccuracy - entry.testAccuracy)).toBeLessThanOrEqual(1 / measured.testCount + 1e-12);
      expect(Math.abs(measured.validationAccuracy - entry.validationAccuracy)).toBeLessThanOrEqual(1 / measured.validationCount + 1e-12);
    });
  }
});

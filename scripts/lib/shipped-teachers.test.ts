import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../../src/graph/compile';
import { parseExperiment } from '../../src/graph/serialize';
import { parsePretrainedIndex, PRETRAINED_INDEX } from '../../src/train/pretrained';
import { measureTeacherAccuracy } from '../../src/train/teacherAccuracy';
import { DEFAULT_PRETRAINED_DIR, fsPretrainedTeachers } from './fs-teacher-cache';
import { nodeAssetReader } from './node-assets';

/**
 * The teachers shipped in public/teachers must still be the teachers of their presets: same cache
 * key (a recipe change without re-shipping fails here) and the accuracy they are listed with,
 * re-measured on the real validation and test images.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const shipped = parsePretrainedIndex(JSON.parse(readFileSync(path.join(root, DEFAULT_PRETRAINED_DIR, PRETRAINED_INDEX), 'utf8')));

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('shipped pretrained teachers', () => {
  it('include the full-data CNN preset teacher', () => {
    expect(shipped.teachers.map((t) => t.preset)).toContain('cnn-mnist-at-full.json');
  });

  for (const entry of shipped.teachers) {
    it(`${entry.preset}: is the preset's teacher and reaches its listed accuracy`, async () => {
      const plan = compileExperiment(parseExperiment(readFileSync(path.join(root, 'public', 'presets', entry.preset), 'utf8')));
      expect(plan.teacher.cacheKey, `the recipe of ${entry.preset} changed: retrain and re-ship its teacher (npm run ship-teacher)`).toBe(entry.key);
      const weights = await fsPretrainedTeachers(path.join(root, DEFAULT_PRETRAINED_DIR)).get(entry.key);
      expect(weights).not.toBeNull();
      const before = tf.memory().numTensors;
      const measured = await measureTeacherAccuracy(plan, weights!, nodeAssetReader());
      expect(tf.memory().numTensors).toBe(before);
      // Within one image: the kernels of another machine may round a borderline logit the other way.
      expect(Math.abs(measured.testAccuracy - entry.testAccuracy)).toBeLessThanOrEqual(1 / measured.testCount + 1e-12);
      expect(Math.abs(measured.validationAccuracy - entry.validationAccuracy)).toBeLessThanOrEqual(1 / measured.validationCount + 1e-12);
    });
  }
});

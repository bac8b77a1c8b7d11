import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRETRAINED_DIR } from '../../scripts/lib/fs-teachers';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import type { PretrainedFileReader } from '../train/pretrained';
import { EXPLORER_IMAGE_COUNT, explorerTeacherLogits } from './explorerTeacher';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** public/teachers on disk, as the worker reads it over HTTP; a missing file reads as null. */
const shippedDirectory: PretrainedFileReader = async (name) => {
  try {
    return new Uint8Array(await readFile(path.join(DEFAULT_PRETRAINED_DIR, name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

const argmax = (values: number[]): number => values.indexOf(Math.max(...values));

describe('the temperature explorer teacher', () => {
  it('computes the shipped Hinton teacher\'s logits on the first real test images and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const result = await explorerTeacherLogits(shippedDirectory, nodeAssetReader());
    expect(tf.memory().numTensors).toBe(before);

    expect(result.teacherKey).toMatch(/^teacher-[0-9a-f]+$/);
    // MNIST's first twelve test labels.
    expect(result.labels).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6]);
    expect(result.logits).toHaveLength(EXPLORER_IMAGE_COUNT);
    expect(result.logits.every((row) => row.length === 10 && row.every(Number.isFinite))).toBe(true);
    expect(result.images[0]).toHaveLength(28 * 28);
    // A 99 % teacher gets these easy digits right: real weights, not a fresh initialisation.
    const correct = result.logits.filter((row, i) => argmax(row) === result.labels[i]).length;
    expect(correct).toBeGreaterThanOrEqual(11);
  });

  it('says what is missing: no index, no teacher for the preset, or a listed teacher without its files', async () => {
    const assets = nodeAssetReader();
    await expect(explorerTeacherLogits(async () => null, assets)).rejects.toThrow(/index.json is missing/);

    const otherPresets: PretrainedFileReader = async (name) => (name === 'index.json'
      ? new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, teachers: [{ key: 'teacher-00ab', presets: ['other.json'], validationAccuracy: 0.9, testAccuracy: 0.9, trainedWith: 'test' }] }))
      : null);
    await expect(explorerTeacherLogits(otherPresets, assets)).rejects.toThrow(/lists no teacher for hinton-mnist.json/);

    const withoutWeights: PretrainedFileReader = async (name) => (name.endsWith('.bin') ? null : shippedDirectory(name));
    await expect(explorerTeacherLogits(withoutWeights, assets)).rejects.toThrow(/\.json or \.bin file is missing/);
  });
});

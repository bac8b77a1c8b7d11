import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeWeights } from '../../src/models/weightsFile';
import { fsPretrainedTeachers, fsTeacherCache } from './fs-teachers';

describe('teachers on disk', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'teacher-cache-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('returns exactly the stored weights, layer by layer, and null for an unknown key', async () => {
    const cache = fsTeacherCache(await tempDir());
    const weights = [
      { layerId: 'fc1', tensors: [{ shape: [2, 3], values: Float32Array.from([1, -2, 3.5, 4, 5, 6]) }, { shape: [3], values: Float32Array.from([0.1, 0.2, 0.3]) }] },
      { layerId: 'logits', tensors: [{ shape: [3, 1], values: Float32Array.from([7, 8, 9]) }] },
    ];
    await cache.put('teacher-abc', weights);
    expect(await cache.get('teacher-abc')).toEqual(weights);
    expect(await cache.get('teacher-other')).toBeNull();
  });

  it('treats an index without its data as a miss and refuses unsafe keys', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'teacher-x.json'), '[]');
    const cache = fsTeacherCache(dir);
    expect(await cache.get('teacher-x')).toBeNull();
    await expect(cache.get('../escape')).rejects.toThrow(/not a safe file name/);
  });

  it('treats a damaged entry as a miss, so the teacher is retrained over it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'teacher-y.json'), JSON.stringify([{ layerId: 'fc1', tensors: [{ shape: [4], offset: 0, length: 4 }] }]));
    await writeFile(path.join(dir, 'teacher-y.bin'), new Uint8Array(8));
    expect(await fsTeacherCache(dir).get('teacher-y')).toBeNull();
  });

  it('reads pretrained teachers from a directory laid out like public/teachers', async () => {
    const dir = await tempDir();
    expect(await fsPretrainedTeachers(dir).get('teacher-00ab')).toBeNull();
    const weights = [{ layerId: 'fc1', tensors: [{ shape: [2], values: Float32Array.from([0.25, -4]) }] }];
    const { layout, data } = encodeWeights(weights);
    await writeFile(path.join(dir, 'teacher-00ab.json'), JSON.stringify(layout));
    await writeFile(path.join(dir, 'teacher-00ab.bin'), data);
    const entry = { key: 'teacher-00ab', presets: ['x.json'], validationAccuracy: 0.5, testAccuracy: 0.5, trainedWith: 'test' };
    await writeFile(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, teachers: [entry] }));
    expect(await fsPretrainedTeachers(dir).get('teacher-00ab')).toEqual(weights);
  });

  it('lets runs that cache the same teacher at once each finish with a complete entry', async () => {
    const dir = await tempDir();
    const cache = fsTeacherCache(dir);
    const weights = [{ layerId: 'fc1', tensors: [{ shape: [3], values: Float32Array.from([1, 2, 3]) }] }];
    await Promise.all(Array.from({ length: 6 }, () => cache.put('teacher-z', weights)));
    expect(await cache.get('teacher-z')).toEqual(weights);
    expect((await readdir(dir)).sort()).toEqual(['teacher-z.bin', 'teacher-z.json']);
  });
});

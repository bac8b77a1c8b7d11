import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fsTeacherCache } from './fs-teacher-cache';

describe('fsTeacherCache', () => {
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
});

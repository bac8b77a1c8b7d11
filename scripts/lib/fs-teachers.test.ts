import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { encodeWeights } from '../../src/models/weightsFile';
import { modelResultById } from '../../src/results';
import { RunControl } from '../../src/train/control';
import { runExperiment } from '../../src/train/runner';
import { EventLog, tinyPlan } from '../../src/train/testSupport';
import { fsPretrainedTeachers, fsTeacherCache } from './fs-teachers';
import { nodeAssetReader } from './node-assets';
import { teacherPhases } from './teacher-phases';

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

  it('reports a damaged entry (the teacher store logs it and retrains over it)', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'teacher-y.json'), JSON.stringify([{ layerId: 'fc1', tensors: [{ shape: [4], offset: 0, length: 4 }] }]));
    await writeFile(path.join(dir, 'teacher-y.bin'), new Uint8Array(8));
    await expect(fsTeacherCache(dir).get('teacher-y')).rejects.toThrow(/cached teacher .*teacher-y\.bin/);
    await writeFile(path.join(dir, 'teacher-y.json'), '[{"layerId": "fc1", "ten');
    await expect(fsTeacherCache(dir).get('teacher-y')).rejects.toThrow(/teacher-y\.json is not JSON/);
  });

  it('lets a run over a damaged cache entry warn, train the teacher and store it over the entry', async () => {
    await tf.setBackend('cpu');
    const plan = tinyPlan();
    const [teacher] = teacherPhases(plan);
    const dir = await tempDir();
    await writeFile(path.join(dir, `${teacher.cacheKey}.json`), '{ not json');
    await writeFile(path.join(dir, `${teacher.cacheKey}.bin`), new Uint8Array(8));
    const log = new EventLog();
    const cache = fsTeacherCache(dir);
    const results = await runExperiment(plan, { teacher: true, baseline: false, student: false }, {
      readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(), teacherCache: cache,
    });
    const warnings = log.ofType('log').filter((e) => e.warning).map((e) => e.message);
    expect(warnings).toEqual([expect.stringMatching(/teacher cache could not be read .*is not JSON/)]);
    expect(modelResultById(results, teacher.modelId)!.fromCache).toBe(false);
    expect((await cache.get(teacher.cacheKey))!.map((layer) => layer.layerId)).toEqual(['fc1', 'logits']);
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

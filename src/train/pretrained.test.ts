import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import type { LayerWeights } from '../models/spec';
import { encodeWeights } from '../models/weightsFile';
import { RunControl } from './control';
import { parsePretrainedIndex, pretrainedTeachers, type PretrainedFileReader } from './pretrained';
import { runExperiment, type TrainEnv } from './runner';
import type { TrainingPlan } from './plan';
import { modelResultById, type ExperimentResults, type ModelResult } from '../results';
import { EventLog, MemoryCache, tinyPlan } from './testSupport';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const encoder = new TextEncoder();
const entry = (key: string) => ({ key, presets: ['tiny.json'], validationAccuracy: 0.9, testAccuracy: 0.91, trainedWith: 'test' });

/** A pretrained directory in memory: index.json plus <key>.json/.bin per teacher; counts the reads. */
function directory(teachers: Record<string, LayerWeights[]>, extra: Record<string, Uint8Array> = {}): PretrainedFileReader & { reads: string[] } {
  const files = new Map<string, Uint8Array>(Object.entries(extra));
  if (!files.has('index.json')) files.set('index.json', encoder.encode(JSON.stringify({ schemaVersion: 2, teachers: Object.keys(teachers).map(entry) })));
  for (const [key, weights] of Object.entries(teachers)) {
    const { layout, data } = encodeWeights(weights);
    files.set(`${key}.json`, encoder.encode(JSON.stringify(layout)));
    files.set(`${key}.bin`, data);
  }
  const reads: string[] = [];
  return Object.assign(async (name: string) => { reads.push(name); return files.get(name) ?? null; }, { reads });
}

/** The tiny plan under a key of the shipped form (teacher-<hex>). */
const shippablePlan = () => tinyPlan({ teacher: { cacheKey: 'teacher-7e57' } });
const KEY = 'teacher-7e57';
const teacherOf = (results: ExperimentResults): ModelResult | null => modelResultById(results, 'teacher');

/** Real trained weights of the tiny teacher (one epoch on real MNIST images), as a shipped teacher would hold. */
async function trainedTinyTeacher(plan: TrainingPlan): Promise<LayerWeights[]> {
  const cache = new MemoryCache();
  await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(new EventLog(), { teacherCache: cache }));
  return cache.store.get(KEY)!;
}

const env = (log: EventLog, extra: Partial<TrainEnv>): TrainEnv => ({
  readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(), ...extra,
});

describe('pretrained teachers', () => {
  const weights = [{ layerId: 'fc1', tensors: [{ shape: [2], values: Float32Array.from([0.5, -1.5]) }] }];

  it('serves a listed teacher, misses an unlisted key without reading more than the index', async () => {
    const read = directory({ 'teacher-00ab': weights });
    const source = pretrainedTeachers(read);
    expect(await source.get('teacher-ffff')).toBeNull();
    expect(read.reads).toEqual(['index.json']);
    expect(await source.get('teacher-00ab')).toEqual(weights);
    expect(read.reads.filter((name) => name === 'index.json')).toHaveLength(1);
  });

  it('is empty without an index, and refuses a listed teacher whose files are missing', async () => {
    expect(await pretrainedTeachers(async () => null).get('teacher-00ab')).toBeNull();
    const listedOnly: PretrainedFileReader = async (name) => (name === 'index.json'
      ? encoder.encode(JSON.stringify({ schemaVersion: 2, teachers: [entry('teacher-00ab')] }))
      : null);
    await expect(pretrainedTeachers(listedOnly).get('teacher-00ab')).rejects.toThrow(/teacher-00ab is listed in index.json but its .json or .bin file is missing/);
  });

  it('rejects a malformed index with what it needs', () => {
    expect(() => parsePretrainedIndex({ teachers: [] })).toThrow(/schemaVersion 2/);
    expect(() => parsePretrainedIndex({ schemaVersion: 2, teachers: [{ ...entry('teacher-00ab'), presets: [] }] })).toThrow(/needs key, presets/);
    expect(() => parsePretrainedIndex({ schemaVersion: 2, teachers: [{ ...entry('teacher-00ab'), testAccuracy: 99.1 }] }))
      .toThrow(/Pretrained teacher 0 .* needs key, presets/);
    expect(() => parsePretrainedIndex({ schemaVersion: 2, teachers: [entry('../teacher')] })).toThrow(/needs key/);
  });

  it('starts a run from the pretrained teacher when the cache misses, then caches it', async () => {
    const plan = shippablePlan();
    const trained = new MemoryCache();
    const first = await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(new EventLog(), { teacherCache: trained }));
    const shipped = directory({ [KEY]: trained.store.get(KEY)! });

    const before = tf.memory().numTensors;
    const log = new EventLog();
    const cache = new MemoryCache();
    const results = await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(log, { teacherCache: cache, pretrainedTeachers: pretrainedTeachers(shipped) }));
    expect(tf.memory().numTensors).toBe(before);
    expect(log.ofType('step')).toHaveLength(0);
    expect(log.ofType('log').map((e) => e.message)).toContainEqual(expect.stringMatching(/pretrained teachers shipped with the studio/));
    expect(teacherOf(results)!).toMatchObject({ fromCache: true, pretrained: true });
    expect(teacherOf(results)!.testAccuracy).toBe(teacherOf(first)!.testAccuracy);
    expect(cache.store.get(KEY)).toEqual(trained.store.get(KEY));
  });

  it('trains the teacher, saying why, when the pretrained teacher is damaged', async () => {
    const plan = shippablePlan();
    const damaged = directory({}, {
      'index.json': encoder.encode(JSON.stringify({ schemaVersion: 2, teachers: [entry(KEY)] })),
      [`${KEY}.json`]: encoder.encode('[{"layerId":"fc1","tensors":[{"shape":[4],"offset":0,"length":4}]}]'),
      [`${KEY}.bin`]: new Uint8Array(8),
    });
    const log = new EventLog();
    const cache = new MemoryCache();
    const results = await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(log, { teacherCache: cache, pretrainedTeachers: pretrainedTeachers(damaged) }));
    const warnings = log.ofType('log').filter((e) => e.warning).map((e) => e.message);
    expect(warnings).toEqual([expect.stringMatching(/pretrained teacher could not be read .*truncated.*training the teacher instead/)]);
    expect(log.ofType('step').length).toBeGreaterThan(0);
    expect(teacherOf(results)!.fromCache).toBe(false);
    // The freshly trained teacher is cached, not the damaged one.
    expect(cache.store.get(KEY)!.map((layer) => layer.layerId)).toEqual(['fc1', 'logits']);
  });

  it('refuses weights that do not cover the teacher, keeps them out of the cache and trains', async () => {
    const plan = shippablePlan();
    const partial = (await trainedTinyTeacher(plan)).slice(1); // the first layer's weights left out
    const log = new EventLog();
    const cache = new MemoryCache();
    const results = await runExperiment(plan, { teacher: true, baseline: false, student: false },
      env(log, { teacherCache: cache, pretrainedTeachers: pretrainedTeachers(directory({ [KEY]: partial })) }));
    expect(log.ofType('log').map((e) => e.message)).toContainEqual(expect.stringMatching(/pretrained teacher does not fit .*no weights for layer fc1.*training the teacher instead/));
    expect(teacherOf(results)!.fromCache).toBe(false);
    expect(cache.store.get(KEY)!.map((layer) => layer.layerId)).toEqual(['fc1', 'logits']);
  });

  it('marks a shipped teacher as pretrained also when a later run finds it in the cache, and ignoreTeacherCache skips both', async () => {
    const plan = shippablePlan();
    const weights = await trainedTinyTeacher(plan);
    const shipped = directory({ [KEY]: weights });
    const cache = new MemoryCache();
    cache.store.set(KEY, weights);
    const fromCache = await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(new EventLog(), { teacherCache: cache, pretrainedTeachers: pretrainedTeachers(shipped) }));
    expect(teacherOf(fromCache)!).toMatchObject({ fromCache: true, pretrained: true });
    expect(shipped.reads).toEqual(['index.json']); // listed, but the weights came from the cache

    const log = new EventLog();
    const retrained = await runExperiment(plan, { teacher: true, baseline: false, student: false },
      env(log, { teacherCache: cache, pretrainedTeachers: pretrainedTeachers(shipped), ignoreTeacherCache: true }));
    expect(teacherOf(retrained)!.fromCache).toBe(false);
    expect(log.ofType('step').length).toBeGreaterThan(0);
  });
});

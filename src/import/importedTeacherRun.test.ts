import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { RunControl } from '../train/control';
import { runExperiment, type TrainEnv } from '../train/runner';
import { EventLog, MemoryCache, tinyPlan } from '../train/testSupport';
import { modelResultById } from '../results';
import type { TrainingPlan } from '../train/plan';
import { convertOnnxTeacher, type ConvertedTeacher } from './onnxToSpec';

/**
 * A run with an imported teacher (the committed PyTorch-trained fixture, converted): it is restored
 * from the teacher store, evaluated on real MNIST test images and distilled from, never trained;
 * without its stored weights the run stops with a coded error instead of training it.
 */

const KEY = 'onnx-fixture-28x28x1';
let teacher: ConvertedTeacher;

beforeAll(async () => {
  await tf.setBackend('cpu');
  teacher = convertOnnxTeacher(new Uint8Array(readFileSync('e2e/fixtures/mnist-torch-teacher.onnx')), { shape: [28, 28, 1], classes: 10 });
});

function importedPlan(): TrainingPlan {
  const plan = tinyPlan({ teacher: { architecture: teacher.spec, cacheKey: KEY } });
  plan.models = plan.models.map((model) => (model.id === 'teacher' ? { ...model, taps: [] } : model));
  plan.phases = plan.phases.map((phase) => (phase.kind === 'teacher' ? { ...phase, importedFile: 'mnist-torch-teacher.onnx' } : phase));
  return plan;
}

const env = (log: EventLog, cache: MemoryCache): TrainEnv => ({
  readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(), teacherCache: cache,
  ignoreTeacherCache: true, // an imported teacher is restored even when trained teachers are not
});

describe('a run with an imported ONNX teacher', () => {
  it('restores it, measures its accuracy, distils from it with finite losses, and never trains or re-stores it', async () => {
    const cache = new MemoryCache();
    cache.store.set(KEY, teacher.weights);
    const log = new EventLog();
    const results = await runExperiment(importedPlan(), { teacher: true, baseline: true, student: true }, env(log, cache));
    expect(log.ofType('error')).toEqual([]);
    expect(log.ofType('log').map((event) => event.detail?.code)).toContain('teacherImported');
    const restored = modelResultById(results, 'teacher');
    expect(restored?.fromCache).toBe(true);
    expect(restored?.testAccuracy).toBeGreaterThan(0.9); // 128 real test images; 97.3 % on all 10,000 when trained
    const steps = log.ofType('step');
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((step) => Number.isFinite(step.total) && Object.values(step.terms).every(Number.isFinite))).toBe(true);
    expect(steps.some((step) => step.kind === 'teacher')).toBe(false);
    expect(cache.puts).toBe(0);
  });

  it('stops with importedTeacherMissing when its weights are not in this browser, without training it', async () => {
    const cache = new MemoryCache();
    const log = new EventLog();
    await runExperiment(importedPlan(), { teacher: true, baseline: false, student: true }, env(log, cache));
    const [error] = log.ofType('error');
    expect(error?.detail).toEqual({ code: 'importedTeacherMissing', teacher: 'Teacher', file: 'mnist-torch-teacher.onnx' });
    expect(log.ofType('step')).toEqual([]);
    expect(cache.puts).toBe(0);
  });

  it('says its stored weights no longer fit (an edited architecture) without promising to train it, then stops', async () => {
    const cache = new MemoryCache();
    cache.store.set(KEY, teacher.weights.slice(1)); // the first conv's weights are gone
    const log = new EventLog();
    await runExperiment(importedPlan(), { teacher: true, baseline: false, student: true }, env(log, cache));
    const unfit = log.ofType('log').find((event) => event.detail?.code === 'teacherUnfit');
    expect(unfit?.detail).toMatchObject({ code: 'teacherUnfit', origin: 'imported' });
    expect(unfit?.message).toContain('it cannot be trained instead');
    expect(unfit?.message).not.toContain('training the teacher instead');
    expect(log.ofType('error')[0]?.message).toContain('not in this browser or no longer fit its layers');
    expect(log.ofType('step')).toEqual([]);
  });
});

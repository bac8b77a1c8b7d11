import { describe, expect, it } from 'vitest';
import { assembleResults, compressionRatio, modelResult } from './summary';

const measured = (testAccuracy: number) => ({
  testAccuracy, validationAccuracy: testAccuracy - 0.01, trainAccuracy: testAccuracy + 0.01, epochs: 3, trainingSeconds: 12.5, inferenceMsPerSample: 0.2, seed: 7,
});

describe('results arithmetic', () => {
  const teacher = modelResult({ params: 2_395_210, bytes: 9_580_840, flops: 4_790_000 }, { ...measured(0.9832), fromCache: true });
  const student = modelResult({ params: 42_310, bytes: 169_240, flops: 84_000 }, measured(0.9163));
  const baseline = modelResult({ params: 42_310, bytes: 169_240, flops: 84_000 }, measured(0.8968));

  it('copies the architecture figures and measurements into a model result', () => {
    expect(teacher).toEqual({
      testAccuracy: 0.9832, validationAccuracy: 0.9732, trainAccuracy: 0.9932, params: 2_395_210, bytes: 9_580_840, flops: 4_790_000,
      epochs: 3, trainingSeconds: 12.5, inferenceMsPerSample: 0.2, seed: 7, fromCache: true,
    });
    expect('fromCache' in student).toBe(false);
    expect('pretrained' in teacher).toBe(false);
    const shipped = modelResult({ params: 1, bytes: 4, flops: 2 }, { ...measured(0.99), fromCache: true, pretrained: true });
    expect(shipped).toMatchObject({ fromCache: true, pretrained: true });
    expect('pretrained' in modelResult({ params: 1, bytes: 4, flops: 2 }, { ...measured(0.99), fromCache: true, pretrained: false })).toBe(false);
  });

  it('computes compression, accuracy drop and distillation gain', () => {
    const results = assembleResults({
      experimentName: 'x', backend: 'cpu', datasetId: 'mnist', trainCount: 55000, testCount: 10000,
      teacher, baseline, student, teacherParams: 2_395_210, studentParams: 42_310, finishedAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(results.compressionRatio).toBeCloseTo(56.611, 3);
    expect(results.accuracyDrop).toBeCloseTo(0.0669, 12);
    expect(results.distillationGain).toBeCloseTo(0.0195, 12);
    expect(results.finishedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('leaves a comparison null when one side did not run', () => {
    const results = assembleResults({
      experimentName: 'x', backend: 'cpu', datasetId: 'mnist', trainCount: 1, testCount: 1,
      teacher: null, baseline: null, student, teacherParams: 100, studentParams: 25, finishedAt: new Date(),
    });
    expect(results.compressionRatio).toBe(4);
    expect(results.accuracyDrop).toBeNull();
    expect(results.distillationGain).toBeNull();
    expect(compressionRatio(100, 0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { compileExperiment } from './compile';
import { pairView } from '../train/testSupport';
import { buildPresetExperiment } from './presetExperiments';
import { withStudentSeedOffset } from './seedOffset';

describe('withStudentSeedOffset', () => {
  const fitnet = buildPresetExperiment('fitnet-mnist.json');

  it('moves every stage, and so the baseline, on by the offset and leaves the teacher alone', () => {
    const plan = pairView(compileExperiment(fitnet));
    const moved = pairView(compileExperiment(withStudentSeedOffset(fitnet, 3)));
    expect(plan.stages.length).toBe(2);
    expect(moved.stages.map((stage) => stage.settings.seed)).toEqual(plan.stages.map((stage) => stage.settings.seed + 3));
    expect(moved.baseline.seed).toBe(plan.baseline.seed + 3);
    expect(moved.teacher.settings.seed).toBe(plan.teacher.settings.seed);
    expect(moved.teacher.cacheKey).toBe(plan.teacher.cacheKey);
  });

  it('is the experiment as drawn at offset 0 and does not touch its input', () => {
    const before = structuredClone(fitnet);
    expect(withStudentSeedOffset(fitnet, 0)).toEqual(fitnet);
    withStudentSeedOffset(fitnet, 5);
    expect(fitnet).toEqual(before);
  });

  it('refuses offsets that are not whole numbers and seeds past the largest', () => {
    expect(() => withStudentSeedOffset(fitnet, -1)).toThrowError('whole number');
    expect(() => withStudentSeedOffset(fitnet, 1.5)).toThrowError('whole number');
    expect(() => withStudentSeedOffset(fitnet, 2 ** 31 - 1)).toThrowError('past the largest seed');
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatKernelProfile, kernelProfile, timeKernels } from './kernelTimer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('kernel timer', () => {
  let restore: (() => void) | null = null;
  afterAll(() => restore?.());

  it('counts every kernel call by name and input shapes, and unwraps cleanly', () => {
    const before = tf.getKernelsForBackend('cpu').map((config) => config.kernelFunc);
    const timer = timeKernels('cpu', true);
    restore = timer.restore;
    tf.tidy(() => {
      const a = tf.ones([2, 3]);
      const b = tf.ones([3, 4]);
      tf.matMul(a, b);
      tf.matMul(a, b);
      tf.relu(a);
    });
    timer.restore();
    restore = null;
    expect(timer.tallies.get('BatchMatMul [2x3][3x4]')?.calls).toBe(2);
    expect(timer.tallies.get('Relu [2x3]')?.calls).toBe(1);
    expect(tf.getKernelsForBackend('cpu').map((config) => config.kernelFunc)).toEqual(before);
  });

  it('divides tallies by the steps tallied (timed and warm-up), slowest first, and leaves the rest outside kernels', () => {
    const tallies = new Map([['Relu', { calls: 6, ms: 3 }], ['BatchMatMul', { calls: 12, ms: 9 }]]);
    const profile = kernelProfile(tallies, 3, 5);
    expect(profile.kernels).toEqual([
      { kernel: 'BatchMatMul', callsPerStep: 4, msPerStep: 3 },
      { kernel: 'Relu', callsPerStep: 2, msPerStep: 1 },
    ]);
    expect(profile.kernelMsPerStep).toBe(4);
    expect(profile.outsideMsPerStep).toBe(1);
    expect(formatKernelProfile(profile).split('\n')).toHaveLength(5);
  });
});

import { describe, expect, it } from 'vitest';
import { architecturePresets } from '../models/presets';
import type { ArchitectureSpec } from '../models/spec';
import { channelL1Norms, channelMask, expandChannelMask, magnitudeMask, prunableLayers, prunedCount, scheduledSparsity } from './pruning';
import { readPruning } from './readPruning';
import { measureSparsity } from './sparsity';
import { DEFAULT_PRUNING, type PruningSettings } from './types';

const gradual = (overrides: Partial<PruningSettings> = {}): PruningSettings => ({ ...DEFAULT_PRUNING.magnitude, targetSparsity: 0.8, everySteps: 10, rampFraction: 0.5, ...overrides });

describe('magnitude masks (hand-computed)', () => {
  it('prunes round(s · n) smallest |w|, signs ignored', () => {
    expect(Array.from(magnitudeMask([0.5, -0.1, 0.3, -0.9, 0.05, 0.2], 0.5))).toEqual([1, 0, 1, 1, 0, 0]);
    // round(0.4 · 5) = 2: |-0.01| and |0.02|.
    expect(Array.from(magnitudeMask([1, -0.01, 0.02, -3, 0.5], 0.4))).toEqual([1, 0, 0, 1, 1]);
  });

  it('breaks ties by the lower index, and never prunes every weight', () => {
    expect(Array.from(magnitudeMask([0.2, -0.2, 0.2, 0.1], 0.5))).toEqual([0, 1, 1, 0]);
    expect(Array.from(magnitudeMask([1, 2], 0.99))).toEqual([0, 1]);
    expect(prunedCount(0, 10)).toBe(0);
    expect(prunedCount(0.85, 10)).toBe(9);
    expect(prunedCount(0.99, 3)).toBe(2);
  });

  it('keeps earlier pruned entries pruned (monotone masks) even when a kept weight is now smaller', () => {
    // Entry 0 was pruned; entry 3 (|0.01|) is now the smallest kept weight.
    expect(Array.from(magnitudeMask([0.9, 0.5, 0.4, 0.01], 0.25, [0, 1, 1, 1]))).toEqual([0, 1, 1, 1]);
    // A lower target than already pruned keeps the old count.
    expect(Array.from(magnitudeMask([0.9, 0.5, 0.4, 0.01], 0, [0, 0, 1, 1]))).toEqual([0, 0, 1, 1]);
    expect(Array.from(magnitudeMask([0.9, 0.5, 0.4, 0.01], 0.75, [0, 1, 1, 1]))).toEqual([0, 1, 0, 0]);
  });
});

describe('channel masks (L1 of each output channel, channels last)', () => {
  // [kh=1, kw=2, in=1, out=3]: entries cycle over the 3 output channels.
  const kernel = [1, -0.1, 0.5, -2, 0.2, 0.5];

  it('sums |w| per output channel and prunes the smallest norms', () => {
    expect(Array.from(channelL1Norms(kernel, 3)).map((v) => Number(v.toFixed(6)))).toEqual([3, 0.3, 1]);
    expect(Array.from(channelMask(kernel, 3, 0.34))).toEqual([1, 0, 1]);
    expect(Array.from(channelMask(kernel, 3, 0.67))).toEqual([1, 0, 0]);
    expect(Array.from(expandChannelMask([1, 0, 0], 6))).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('ties go to the lower channel; pruned channels stay pruned', () => {
    expect(Array.from(channelMask([1, -1, 1, 1, 1, -1], 2, 0.5))).toEqual([0, 1]);
    expect(Array.from(channelMask(kernel, 3, 0.34, [1, 1, 0]))).toEqual([1, 1, 0]);
  });
});

describe('schedule', () => {
  it('one-shot prunes to the target before the first step only', () => {
    const oneShot = gradual({ schedule: 'oneShot' });
    expect(scheduledSparsity(oneShot, 0, 100)).toBe(0.8);
    expect(scheduledSparsity(oneShot, 10, 100)).toBeNull();
  });

  it('gradual follows s_t = s_f (1 - (1 - t / (n Δt))^3) every Δt steps, then holds', () => {
    // T = 101 steps, ramp 0.5: floor(0.5 · 100) = 50, n = 5, Δt = 10.
    const s = gradual();
    const values = [0, 10, 20, 30, 40, 50].map((t) => scheduledSparsity(s, t, 101) as number);
    expect(values.map((v) => Number(v.toFixed(6)))).toEqual([0, 0.8 * (1 - 0.8 ** 3), 0.8 * (1 - 0.6 ** 3), 0.8 * (1 - 0.4 ** 3), 0.8 * (1 - 0.2 ** 3), 0.8].map((v) => Number(v.toFixed(6))));
    expect(scheduledSparsity(s, 5, 101)).toBeNull();
    expect(scheduledSparsity(s, 60, 101)).toBeNull();
    // Increasing: every update prunes at least as much as the one before.
    values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
  });

  it('a stage too short for one Δt prunes to the target at once', () => {
    expect(scheduledSparsity(gradual({ everySteps: 50 }), 0, 20)).toBe(0.8);
    expect(scheduledSparsity(gradual({ everySteps: 50 }), 1, 20)).toBeNull();
  });
});

const convStudent: ArchitectureSpec = {
  name: 'conv-bn', inputShape: [28, 28, 1],
  layers: [
    { kind: 'conv2d', id: 'conv1', filters: 4, kernelSize: 3, strides: 1, padding: 'same', useBias: false },
    { kind: 'batchNorm', id: 'bn1', epsilon: 1e-3, momentum: 0.99 },
    { kind: 'relu', id: 'relu1' },
    { kind: 'depthwiseConv2d', id: 'dw', kernelSize: 3, strides: 1, padding: 'same' },
    { kind: 'conv2d', id: 'conv2', filters: 4, kernelSize: 1, strides: 1, padding: 'same' },
    { kind: 'flatten', id: 'flatten' },
    { kind: 'dense', id: 'fc', units: 8 },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

describe('prunable layers', () => {
  it('magnitude: conv and dense kernels but not the classifier nor depthwise kernels', () => {
    expect(prunableLayers(convStudent, 'magnitude').map((layer) => layer.layerId)).toEqual(['conv1', 'conv2', 'fc']);
    expect(prunableLayers(architecturePresets['hinton-student'], 'magnitude').map((layer) => layer.layerId)).toEqual(['fc1', 'fc2']);
  });

  it('channel: conv layers, with the batch norm that reads them', () => {
    expect(prunableLayers(convStudent, 'channel')).toEqual([
      { layerId: 'conv1', kind: 'conv2d', hasBias: false, batchNormId: 'bn1' },
      { layerId: 'conv2', kind: 'conv2d', hasBias: true },
    ]);
    expect(prunableLayers(architecturePresets['hinton-student'], 'channel')).toEqual([]);
  });
});

describe('measureSparsity', () => {
  it('counts zeros of the pruned kernels, non-zeros of every tensor and the bitmap-sparse bytes', () => {
    const spec: ArchitectureSpec = {
      name: 'mlp', inputShape: [1, 1, 2],
      layers: [{ kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc', units: 2 }, { kind: 'dense', id: 'logits', units: 2 }],
    };
    const weights = [
      { layerId: 'fc', tensors: [{ shape: [2, 2], values: Float32Array.from([0, 1, 0, 0]) }, { shape: [2], values: Float32Array.from([0.5, 0]) }] },
      { layerId: 'logits', tensors: [{ shape: [2, 2], values: Float32Array.from([0, 1, 2, 3]) }, { shape: [2], values: Float32Array.from([1, 1]) }] },
    ];
    // fc kernel: 3 zeros of 4. Non-zeros: 1 + 1 + 3 + 2 = 7. Bytes: 4 tensors of one bitmap byte each + 7 · 4.
    expect(measureSparsity(spec, weights, 'magnitude')).toEqual({ sparsity: 0.75, nonzeroParams: 7, sparseBytes: 4 + 28 });
  });
});

describe('readPruning', () => {
  it('reads a complete block and names the bad field with a coded problem', () => {
    expect(readPruning({ ...DEFAULT_PRUNING.channel }, 'p')).toEqual(DEFAULT_PRUNING.channel);
    expect(() => readPruning({ ...DEFAULT_PRUNING.magnitude, targetSparsity: 1 }, 'nodes[3].params.pruning'))
      .toThrow('nodes[3].params.pruning.targetSparsity must be at most 0.99 (got 1).');
    expect(() => readPruning({ ...DEFAULT_PRUNING.magnitude, method: 'random' }, 'p')).toThrow("p.method must be one of 'magnitude', 'channel' (got");
    expect(() => readPruning({ ...DEFAULT_PRUNING.magnitude, everySteps: 2.5 }, 'p')).toThrow('p.everySteps must be a whole number');
    expect(() => readPruning({ method: 'magnitude' }, 'p')).toThrow('p.targetSparsity is missing.');
  });
});

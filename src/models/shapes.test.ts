import { describe, expect, it } from 'vitest';
import { ArchitectureError, type ArchitectureSpec, type LayerSpec } from './spec';
import { layerOutputShape, summarizeArchitecture, trySummarizeArchitecture, windowOutputSize } from './shapes';
import { architecturePresets } from './presets';

const spec = (layers: LayerSpec[], inputShape: [number, number, number] = [28, 28, 1]): ArchitectureSpec =>
  ({ name: 'test', inputShape, layers });
const conv = (id: string, filters: number, kernelSize: number, strides: number, padding: 'same' | 'valid'): LayerSpec =>
  ({ kind: 'conv2d', id, filters, kernelSize, strides, padding });
const flatten: LayerSpec = { kind: 'flatten', id: 'flatten' };
const logits: LayerSpec = { kind: 'dense', id: 'logits', units: 10 };

function errorOf(run: () => unknown): ArchitectureError {
  try {
    run();
  } catch (error) {
    if (error instanceof ArchitectureError) return error;
    throw error;
  }
  throw new Error('expected an ArchitectureError');
}

describe('summarizeArchitecture: MLPs', () => {
  it('counts the Hinton teacher by hand', () => {
    const summary = summarizeArchitecture(architecturePresets['hinton-teacher']);
    expect(summary.params).toBe(784 * 1200 + 1200 + 1200 * 1200 + 1200 + 1200 * 10 + 10);
    expect(summary.params).toBe(2_395_210);
    expect(summary.bytes).toBe(2_395_210 * 4);
    // 2 per MAC in the three dense layers, 1 per element in the two relus.
    expect(summary.flops).toBe(2 * (784 * 1200 + 1200 * 1200 + 1200 * 10) + 2 * 1200);
    expect(summary.outputShape).toEqual([10]);
    expect(summary.layers.map((layer) => layer.id)).toEqual(
      ['flatten', 'drop-in', 'fc1', 'relu1', 'drop1', 'fc2', 'relu2', 'drop2', 'logits'],
    );
  });

  it('counts the article student (784-50-50-10)', () => {
    expect(summarizeArchitecture(architecturePresets['article-student']).params)
      .toBe(784 * 50 + 50 + 50 * 50 + 50 + 50 * 10 + 10);
  });
});

describe('summarizeArchitecture: convolutions and pooling', () => {
  it('follows the tfjs rules for same/valid padding and strides', () => {
    expect(windowOutputSize(28, 3, 1, 'same')).toBe(28);
    expect(windowOutputSize(28, 3, 1, 'valid')).toBe(26);
    expect(windowOutputSize(28, 3, 2, 'same')).toBe(14);
    expect(windowOutputSize(28, 3, 2, 'valid')).toBe(13);
    expect(windowOutputSize(7, 2, 2, 'same')).toBe(4);
    expect(windowOutputSize(7, 2, 2, 'valid')).toBe(3);
  });

  it('computes shapes, params and FLOPs of a small CNN by hand', () => {
    const summary = summarizeArchitecture(spec([
      conv('c1', 4, 3, 1, 'same'), // [28, 28, 4]
      conv('c2', 6, 5, 2, 'valid'), // floor((28 - 5) / 2) + 1 = 12
      { kind: 'batchNorm', id: 'bn', epsilon: 1e-3, momentum: 0.99 },
      { kind: 'relu', id: 'r' },
      { kind: 'maxPool', id: 'p', poolSize: 2, strides: 2, padding: 'same' }, // 6
      { kind: 'avgPool', id: 'a', poolSize: 3, strides: 1, padding: 'valid' }, // 4
      flatten,
      logits,
    ]));
    const byId = Object.fromEntries(summary.layers.map((layer) => [layer.id, layer]));
    expect(byId.c1.outputShape).toEqual([28, 28, 4]);
    expect(byId.c1.params).toBe(3 * 3 * 1 * 4 + 4);
    expect(byId.c1.flops).toBe(2 * 3 * 3 * 1 * 28 * 28 * 4);
    expect(byId.c2.outputShape).toEqual([12, 12, 6]);
    expect(byId.c2.params).toBe(5 * 5 * 4 * 6 + 6);
    expect(byId.c2.flops).toBe(2 * 5 * 5 * 4 * 12 * 12 * 6);
    expect(byId.bn.params).toBe(4 * 6);
    expect(byId.bn.flops).toBe(2 * 12 * 12 * 6);
    expect(byId.r.flops).toBe(12 * 12 * 6);
    expect(byId.p.outputShape).toEqual([6, 6, 6]);
    expect(byId.p.flops).toBe(4 * 6 * 6 * 6);
    expect(byId.a.outputShape).toEqual([4, 4, 6]);
    expect(byId.flatten.outputShape).toEqual([96]);
    expect(byId.logits.params).toBe(96 * 10 + 10);
    expect(summary.params).toBe(40 + 606 + 24 + 970);
  });

  it('gives one layer output shape by id', () => {
    expect(layerOutputShape(architecturePresets['cnn-teacher'], 'relu2')).toEqual([14, 14, 8]);
    expect(errorOf(() => layerOutputShape(architecturePresets['cnn-teacher'], 'nope')).message).toMatch(/no layer 'nope'/);
  });
});

describe('summarizeArchitecture: errors name the layer and the fix', () => {
  it('dense on a map asks for a flatten', () => {
    const error = errorOf(() => summarizeArchitecture(spec([{ kind: 'dense', id: 'fc1', units: 5 }, logits])));
    expect(error.layerId).toBe('fc1');
    expect(error.message).toContain("insert a flatten before dense layer 'fc1'");
  });

  it('conv and pooling on a vector', () => {
    const convError = errorOf(() => summarizeArchitecture(spec([flatten, conv('c1', 4, 3, 1, 'same'), logits])));
    expect(convError.layerId).toBe('c1');
    expect(convError.message).toMatch(/expects an image map/);
    const poolError = errorOf(() => summarizeArchitecture(spec([
      flatten, { kind: 'maxPool', id: 'p1', poolSize: 2, strides: 2, padding: 'valid' }, logits,
    ])));
    expect(poolError.layerId).toBe('p1');
  });

  it('duplicate, reserved and malformed ids', () => {
    expect(errorOf(() => summarizeArchitecture(spec([flatten, { ...logits, id: 'flatten' }]))).message)
      .toMatch(/share the id 'flatten'/);
    expect(errorOf(() => summarizeArchitecture(spec([{ kind: 'flatten', id: 'input' }, logits]))).message).toMatch(/reserved/);
    expect(errorOf(() => summarizeArchitecture(spec([{ kind: 'flatten', id: 'a/b' }, logits]))).layerId).toBe('a/b');
  });

  it('non-positive sizes', () => {
    const error = errorOf(() => summarizeArchitecture(spec([flatten, { kind: 'dense', id: 'fc1', units: 0 }, logits])));
    expect(error.layerId).toBe('fc1');
    expect(error.message).toMatch(/units must be a positive integer/);
    expect(errorOf(() => summarizeArchitecture(spec([conv('c1', 4, 3, 0, 'same'), flatten, logits]))).message)
      .toMatch(/strides/);
    expect(errorOf(() => summarizeArchitecture(spec([flatten, logits], [0, 28, 1]))).message).toMatch(/inputShape/);
  });

  it('a spatial size shrinking below 1', () => {
    const error = errorOf(() => summarizeArchitecture(spec([conv('big', 4, 5, 1, 'valid'), flatten, logits], [4, 4, 1])));
    expect(error.layerId).toBe('big');
    expect(error.message).toMatch(/leaves no output.*padding 'same'/);
  });

  it('a bad rate, a redundant flatten, a missing logits layer, no layers', () => {
    expect(errorOf(() => summarizeArchitecture(spec([flatten, { kind: 'dropout', id: 'd', rate: 1 }, logits]))).layerId).toBe('d');
    expect(errorOf(() => summarizeArchitecture(spec([flatten, { kind: 'flatten', id: 'f2' }, logits]))).message)
      .toMatch(/already a vector/);
    expect(errorOf(() => summarizeArchitecture(spec([flatten, logits, { kind: 'relu', id: 'r' }]))).message)
      .toMatch(/end with a dense layer/);
    expect(errorOf(() => summarizeArchitecture(spec([]))).message).toMatch(/no layers/);
  });

  it('trySummarizeArchitecture returns the error instead of throwing', () => {
    const result = trySummarizeArchitecture(spec([{ kind: 'dense', id: 'fc1', units: 5 }, logits]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.layerId).toBe('fc1');
    expect(trySummarizeArchitecture(architecturePresets['hinton-student']).ok).toBe(true);
  });
});

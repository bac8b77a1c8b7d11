import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArchitecture } from '../graph/readParams';
import { buildModel, getLayerWeights, trainableVariablesUpTo } from './builder';
import { removeLayer, updateLayer } from './edit';
import { summarizeArchitecture } from './shapes';
import { ArchitectureError, type ArchitectureSpec, type LayerSpec } from './spec';

/** Shapes, parameters and FLOPs of the DAG kinds, wiring errors, and the builder's wiring. */

const spec = (layers: LayerSpec[], inputShape: [number, number, number] = [8, 8, 3]): ArchitectureSpec =>
  ({ name: 'dag', inputShape, layers });

/** A residual block: conv (no bias) -> bn -> relu6, a shortcut from the image, add, pool, dense. */
const residual = (): ArchitectureSpec => spec([
  { kind: 'conv2d', id: 'conv', filters: 3, kernelSize: 3, strides: 1, padding: 'same', useBias: false },
  { kind: 'batchNorm', id: 'bn', epsilon: 1e-5, momentum: 0.9 },
  { kind: 'activation', id: 'act', fn: 'relu6' },
  { kind: 'depthwiseConv2d', id: 'dw', kernelSize: 3, strides: 2, padding: 'same', from: 'input' },
  { kind: 'add', id: 'sum', inputs: ['act', 'input'] },
  { kind: 'globalAvgPool', id: 'pool' },
  { kind: 'dense', id: 'logits', units: 4 },
]);

function errorOf(run: () => unknown): ArchitectureError {
  try {
    run();
  } catch (error) {
    if (error instanceof ArchitectureError) return error;
    throw error;
  }
  throw new Error('expected an ArchitectureError');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('shapes, parameters and FLOPs of the DAG kinds', () => {
  it('counts each new kind by its convention', () => {
    const summary = summarizeArchitecture(residual());
    const info = (id: string) => summary.layers.find((layer) => layer.id === id);
    // Bias-free 3x3 conv 3 -> 3 on 8x8: 81 weights, 27 MACs per output element.
    expect(info('conv')).toMatchObject({ outputShape: [8, 8, 3], params: 81, flops: 2 * 27 * 192 });
    expect(info('act')).toMatchObject({ outputShape: [8, 8, 3], params: 0, flops: 192 });
    // Depthwise 3x3, stride 2, with bias: 9 * 3 + 3 params, 9 MACs per output element of [4, 4, 3].
    expect(info('dw')).toMatchObject({ outputShape: [4, 4, 3], params: 30, flops: 2 * 9 * 48 });
    expect(info('sum')).toMatchObject({ outputShape: [8, 8, 3], params: 0, flops: 192 });
    expect(info('pool')).toMatchObject({ outputShape: [3], params: 0, flops: 192 });
    expect(info('logits')).toMatchObject({ outputShape: [4], params: 16 });
  });

  it('names the layer when a from or an add input is unknown, later, or of another shape', () => {
    const layers = residual().layers;
    const unknown = errorOf(() => summarizeArchitecture(spec(layers.map((l) => (l.id === 'dw' ? { ...l, from: 'nope' } : l)))));
    expect(unknown.layerId).toBe('dw');
    expect(unknown.message).toMatch(/'nope' is not a layer/);
    const later = errorOf(() => summarizeArchitecture(spec(layers.map((l) => (l.id === 'bn' ? { ...l, from: 'pool' } : l)))));
    expect(later.layerId).toBe('bn');
    expect(later.message).toMatch(/comes later/);
    const unequal = errorOf(() => summarizeArchitecture(spec(layers.map((l) => (l.id === 'sum' ? { ...l, inputs: ['act', 'dw'] } : l)))));
    expect(unequal.layerId).toBe('sum');
    expect(unequal.message).toMatch(/\[8, 8, 3\].*\[4, 4, 3\]/);
    const single = errorOf(() => summarizeArchitecture(spec(layers.map((l) => (l.id === 'sum' ? { ...l, inputs: ['act'] } : l)))));
    expect(single.message).toMatch(/at least two inputs/);
  });
});

describe('building DAGs', () => {
  it('wires from and add as the spec says: a tapped add equals the sum of its inputs', () => {
    const architecture = residual();
    const model = buildModel(architecture, { taps: ['act', 'sum', 'dw'], seed: 3 });
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 4);
    const [, act, sum, dw] = model.predict(x) as tf.Tensor[];
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(sum, tf.add(act, x)))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    expect(dw.shape).toEqual([2, 4, 4, 3]);
    // The bias-free conv has one weight tensor; the depthwise kernel is [3, 3, C, 1] plus a bias.
    const weights = getLayerWeights(model, architecture);
    expect(weights.find((w) => w.layerId === 'conv')?.tensors.map((t) => t.shape)).toEqual([[3, 3, 3, 3]]);
    expect(weights.find((w) => w.layerId === 'dw')?.tensors.map((t) => t.shape)).toEqual([[3, 3, 3, 1], [3]]);
    // Training up to 'sum' takes the layers that feed it, not the unrelated depthwise branch.
    const names = trainableVariablesUpTo(model, architecture, 'sum').map((v) => v.name.split('/')[0]);
    expect(new Set(names)).toEqual(new Set(['conv', 'bn']));
    tf.dispose([x, act, sum, dw]);
    model.dispose();
  });
});

describe('reading and editing DAG layers', () => {
  it('reads every new kind back from JSON and keeps straight-stack layers without from', () => {
    const architecture = residual();
    expect(readArchitecture(JSON.parse(JSON.stringify(architecture)), 'a')).toEqual(architecture);
    const plain = readArchitecture({ name: 'p', inputShape: [4, 4, 1], layers: [{ kind: 'flatten', id: 'f' }] }, 'a');
    expect(Object.keys(plain.layers[0])).toEqual(['kind', 'id']);
    expect(() => readArchitecture({ ...architecture, layers: [{ kind: 'add', id: 'x', inputs: ['a'], from: 'b' }] }, 'a')).toThrow(/from/);
  });

  it('renaming a layer rewires the layers that name it; removing one reroutes them to its input', () => {
    const renamed = updateLayer(residual(), 'act', { id: 'relu6' });
    expect(renamed.layers.find((l) => l.id === 'sum')).toMatchObject({ inputs: ['relu6', 'input'] });
    const removed = removeLayer(residual(), 'act');
    expect(removed.layers.find((l) => l.id === 'sum')).toMatchObject({ inputs: ['bn', 'input'] });
    expect(summarizeArchitecture(removed).outputShape).toEqual([4]);
    const rewired = updateLayer(residual(), 'pool', { from: 'dw' });
    expect(summarizeArchitecture(rewired).layers.find((l) => l.id === 'pool')?.outputShape).toEqual([3]);
    expect(updateLayer(rewired, 'pool', { from: null }).layers.find((l) => l.id === 'pool')).not.toHaveProperty('from');
  });
});

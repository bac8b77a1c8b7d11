import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdapterPlan } from '../train/plan';
import { ArchitectureError } from './spec';
import { adapterParams, buildAdapter, checkAdapterPlan } from './adapters';
import { buildModel, getLayerWeights, weightedLayerIds } from './builder';
import { getArchitecturePreset } from './presets';
import { exportOnnx, summarizeOnnx } from '../export/onnx';
import { headParams } from '../graph/heads';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const plan = (kind: AdapterPlan['kind'], inputShape: number[], outputShape: number[], id = 'hint-adapter'): AdapterPlan =>
  ({ id, kind, modelId: 'student', layerId: 'pool2', inputShape, outputShape });

describe('buildAdapter', () => {
  it('maps [H, W, Cs] to [H, W, Ct] with 1x1 and 3x3 convolutions, and vectors with dense', () => {
    const cases: [AdapterPlan, number[], number][] = [
      [plan('conv1x1', [7, 7, 8], [7, 7, 16]), [2, 7, 7, 8], 8 * 16 + 16],
      [plan('conv3x3', [14, 14, 4], [14, 14, 8]), [2, 14, 14, 4], 9 * 4 * 8 + 8],
      [plan('dense', [50], [1200]), [2, 50], 50 * 1200 + 1200],
    ];
    for (const [adapterPlan, inputShape, params] of cases) {
      const start = tf.memory().numTensors;
      const adapter = buildAdapter(adapterPlan, 1);
      expect(adapter.getLayer(adapterPlan.id).name).toBe(adapterPlan.id);
      expect(adapter.countParams()).toBe(params);
      expect(adapterParams(adapterPlan)).toBe(params);
      const shape = tf.tidy(() => (adapter.predict(tf.ones(inputShape)) as tf.Tensor).shape);
      expect(shape).toEqual([2, ...adapterPlan.outputShape]);
      adapter.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
  });

  it('is seeded: same seed same weights, another adapter id other weights', () => {
    const [a, b, c] = [
      buildAdapter(plan('conv1x1', [7, 7, 8], [7, 7, 16]), 5),
      buildAdapter(plan('conv1x1', [7, 7, 8], [7, 7, 16]), 5),
      buildAdapter(plan('conv1x1', [7, 7, 8], [7, 7, 16], 'other'), 5),
    ];
    const kernel = (model: tf.LayersModel) => Array.from(model.layers[1].getWeights()[0].dataSync());
    expect(kernel(b)).toEqual(kernel(a));
    expect(kernel(c)).not.toEqual(kernel(a));
    [a, b, c].forEach((model) => model.dispose());
  });

  it('refuses maps of different spatial sizes and kind/rank mismatches with what to do', () => {
    expect(() => buildAdapter(plan('conv1x1', [14, 14, 8], [7, 7, 16]), 1)).toThrow(/choose another layer pair/);
    expect(() => checkAdapterPlan(plan('dense', [7, 7, 8], [10]))).toThrow(/use a conv1x1 or conv3x3 adapter/);
    expect(() => checkAdapterPlan(plan('conv3x3', [50], [100]))).toThrow(/use a dense adapter/);
    const error = (() => {
      try {
        checkAdapterPlan(plan('conv1x1', [14, 14, 8], [7, 7, 16]));
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ArchitectureError);
    expect((error as ArchitectureError).layerId).toBe('pool2');
    expect((error as ArchitectureError).message).toContain("Adapter 'hint-adapter' on layer 'pool2' of 'student'");
  });
});

describe('classifier adapters (auxiliary heads of self-distillation)', () => {
  it('pools a map, or takes a vector, into a dense layer to the classes, and counts its weights', () => {
    const cases: [AdapterPlan, number[], number][] = [
      [plan('classifier', [14, 14, 8], [10], 'classifier-head'), [2, 14, 14, 8], 8 * 10 + 10],
      [plan('classifier', [16], [10], 'classifier-head'), [2, 16], 16 * 10 + 10],
    ];
    for (const [adapterPlan, inputShape, params] of cases) {
      const start = tf.memory().numTensors;
      const adapter = buildAdapter(adapterPlan, 3);
      expect(adapter.getLayer(adapterPlan.id).getClassName()).toBe('Dense');
      expect(adapter.countParams()).toBe(params);
      expect(adapterParams(adapterPlan)).toBe(params);
      expect(headParams({ inputShape: adapterPlan.inputShape, classes: 10 })).toBe(params);
      const shape = tf.tidy(() => (adapter.predict(tf.ones(inputShape)) as tf.Tensor).shape);
      expect(shape).toEqual([2, 10]);
      adapter.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
    expect(() => checkAdapterPlan(plan('classifier', [4, 4], [10]))).toThrow(/maps a vector or an \[H, W, C\] map to class logits/);
    expect(() => checkAdapterPlan(plan('classifier', [14, 14, 8], [14, 14, 10]))).toThrow(/class logits/);
  });

  it('is a model of its own, never part of the network: the exported weights and ONNX graph hold the network alone', () => {
    const spec = getArchitecturePreset('cnn-student');
    const student = buildModel(spec, { taps: ['pool1'], seed: 1 });
    const head = buildAdapter(plan('classifier', [14, 14, 4], [10], 'classifier-head-pool1'), 2);
    const logits = tf.tidy(() => {
      const [, pooled] = student.predict(tf.ones([1, 28, 28, 1])) as tf.Tensor[];
      return head.predict(pooled) as tf.Tensor;
    });
    expect(logits.shape).toEqual([1, 10]);
    const weights = getLayerWeights(student, spec);
    expect(weights.map((layer) => layer.layerId)).toEqual(weightedLayerIds(spec));
    const onnx = exportOnnx(spec, weights);
    expect(summarizeOnnx(onnx).outputs).toEqual([{ name: 'logits', dims: [1, 10] }]);
    expect(new TextDecoder().decode(onnx)).not.toContain('classifier');
    tf.dispose([logits]);
    student.dispose();
    head.dispose();
  });
});

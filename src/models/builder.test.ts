import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArchitectureError, type ArchitectureSpec, type LayerWeights } from './spec';
import {
  applyWithTaps, buildModel, getLayerWeights, getLayerWeightsAsync, setLayerWeights, trainableVariablesUpTo,
} from './builder';
import { summarizeArchitecture } from './shapes';
import { architecturePresets } from './presets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cnnStudent = architecturePresets['cnn-student'];
const hintonTeacher = architecturePresets['hinton-teacher'];

/** A deterministic batch without the random generator: pixel values from a fixed formula. */
function fixedBatch(batch: number, spec: ArchitectureSpec): tf.Tensor4D {
  const [h, w, c] = spec.inputShape;
  const size = batch * h * w * c;
  const values = Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 255) / 255);
  return tf.tensor4d(values, [batch, h, w, c]);
}

function flatValues(weights: LayerWeights[]): number[] {
  return weights.flatMap((layer) => layer.tensors.flatMap((tensor) => Array.from(tensor.values)));
}

describe('buildModel', () => {
  it('matches summarizeArchitecture for every preset (params and each layer shape)', () => {
    for (const spec of Object.values(architecturePresets)) {
      const summary = summarizeArchitecture(spec);
      const model = buildModel(spec, { taps: [], seed: 1 });
      expect(model.countParams(), spec.name).toBe(summary.params);
      for (const info of summary.layers) {
        expect(model.getLayer(info.id).outputShape, `${spec.name}/${info.id}`).toEqual([null, ...info.outputShape]);
      }
      model.dispose();
    }
  });

  it('outputs logits then the taps in the given order', () => {
    const taps = ['relu3', 'relu1', 'pool2'];
    const model = buildModel(cnnStudent, { taps, seed: 3 });
    const input = fixedBatch(2, cnnStudent);
    const outputs = model.predict(input) as tf.Tensor[];
    expect(outputs.map((t) => t.shape)).toEqual([[2, 10], [2, 14, 14, 8], [2, 28, 28, 4], [2, 7, 7, 8]]);
    const named = applyWithTaps(model, input, taps, false);
    expect(named.features.get('relu1')?.shape).toEqual([2, 28, 28, 4]);
    expect(named.logits.shape).toEqual([2, 10]);
    tf.dispose([input, outputs, named.logits, [...named.features.values()]]);
    model.dispose();
  });

  it('can tap the logits layer itself', () => {
    const spec = architecturePresets['article-student'];
    const model = buildModel(spec, { taps: ['relu1', 'logits'], seed: 1 });
    const input = fixedBatch(2, spec);
    const [logits, relu1, tappedLogits] = model.predict(input) as tf.Tensor[];
    expect(relu1.shape).toEqual([2, 50]);
    expect(Array.from(tappedLogits.dataSync())).toEqual(Array.from(logits.dataSync()));
    expect(model.countParams()).toBe(summarizeArchitecture(spec).params);
    tf.dispose([input, logits, relu1, tappedLogits]);
    model.dispose();
  });

  it('refuses unknown or repeated taps and invalid specs', () => {
    expect(() => buildModel(cnnStudent, { taps: ['nope'], seed: 1 })).toThrow(/no such layer/);
    expect(() => buildModel(cnnStudent, { taps: ['relu1', 'relu1'], seed: 1 })).toThrow(/tapped twice/);
    const broken: ArchitectureSpec = { ...cnnStudent, layers: cnnStudent.layers.filter((l) => l.id !== 'flatten') };
    expect(() => buildModel(broken, { taps: [], seed: 1 })).toThrow(ArchitectureError);
  });

  it('gives identical weights for the same seed and different ones for another seed', () => {
    const a = buildModel(cnnStudent, { taps: [], seed: 42 });
    const b = buildModel(cnnStudent, { taps: [], seed: 42 });
    const c = buildModel(cnnStudent, { taps: [], seed: 43 });
    const wa = getLayerWeights(a, cnnStudent);
    expect(getLayerWeights(b, cnnStudent)).toEqual(wa);
    const kernelA = wa[0].tensors[0].values;
    const kernelC = getLayerWeights(c, cnnStudent)[0].tensors[0].values;
    expect(Array.from(kernelC)).not.toEqual(Array.from(kernelA));
    // Different layers of one model draw different streams.
    const conv2 = wa.find((w) => w.layerId === 'conv2')?.tensors[0].values ?? new Float32Array();
    const conv3 = wa.find((w) => w.layerId === 'conv3')?.tensors[0].values ?? new Float32Array();
    expect(Array.from(conv2)).not.toEqual(Array.from(conv3));
    [a, b, c].forEach((model) => model.dispose());
  });

  it('uses dropout only in training', () => {
    const model = buildModel(hintonTeacher, { taps: [], seed: 5 });
    const input = fixedBatch(4, hintonTeacher);
    const [inference1, inference2, training] = tf.tidy(() => [
      model.apply(input, { training: false }) as tf.Tensor,
      model.predict(input) as tf.Tensor,
      model.apply(input, { training: true }) as tf.Tensor,
    ]);
    expect(Array.from(inference2.dataSync())).toEqual(Array.from(inference1.dataSync()));
    expect(tf.max(tf.abs(tf.sub(training, inference1))).dataSync()[0]).toBeGreaterThan(1e-4);
    tf.dispose([input, inference1, inference2, training]);
    model.dispose();
  });
});

describe('layer weights', () => {
  it('lists weights per layer in tfjs order, batch-norm moving statistics included', async () => {
    const model = buildModel(cnnStudent, { taps: [], seed: 1 });
    const weights = getLayerWeights(model, cnnStudent);
    expect(weights.map((w) => w.layerId)).toEqual(['conv1', 'bn1', 'conv2', 'bn2', 'conv3', 'bn3', 'logits']);
    expect(weights[0].tensors.map((t) => t.shape)).toEqual([[3, 3, 1, 4], [4]]);
    const [gamma, beta, movingMean, movingVariance] = weights[1].tensors;
    expect(Array.from(gamma.values)).toEqual([1, 1, 1, 1]);
    expect(Array.from(beta.values)).toEqual([0, 0, 0, 0]);
    expect(Array.from(movingMean.values)).toEqual([0, 0, 0, 0]);
    expect(Array.from(movingVariance.values)).toEqual([1, 1, 1, 1]);
    expect(weights[6].tensors.map((t) => t.shape)).toEqual([[392, 10], [10]]);
    expect(await getLayerWeightsAsync(model, cnnStudent)).toEqual(weights);
    model.dispose();
  });

  it('round-trips through setLayerWeights: same weights, same predictions', () => {
    const source = buildModel(cnnStudent, { taps: [], seed: 1 });
    const target = buildModel(cnnStudent, { taps: [], seed: 2 });
    const weights = getLayerWeights(source, cnnStudent);
    weights[1].tensors[2].values.fill(0.25); // a non-default moving mean must travel too
    setLayerWeights(source, weights);
    setLayerWeights(target, weights);
    expect(flatValues(getLayerWeights(target, cnnStudent))).toEqual(flatValues(weights));
    const input = fixedBatch(3, cnnStudent);
    const [p, q] = [source.predict(input) as tf.Tensor, target.predict(input) as tf.Tensor];
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
    tf.dispose([input, p, q]);
    source.dispose();
    target.dispose();
  });

  it('refuses mismatched weights with a clear error and writes nothing', () => {
    const model = buildModel(cnnStudent, { taps: [], seed: 1 });
    const before = flatValues(getLayerWeights(model, cnnStudent));
    const teacher = buildModel(architecturePresets['cnn-teacher'], { taps: [], seed: 9 });
    const conv1FromTeacher = getLayerWeights(teacher, architecturePresets['cnn-teacher']).filter((w) => w.layerId === 'conv1');
    const sibling = buildModel(cnnStudent, { taps: [], seed: 7 });
    const good = getLayerWeights(sibling, cnnStudent).filter((w) => w.layerId === 'conv2');
    teacher.dispose();
    sibling.dispose();
    expect(() => setLayerWeights(model, [...good, ...conv1FromTeacher])).toThrow(/'conv1' weight 0 .*\[3, 3, 1, 4\]/);
    expect(() => setLayerWeights(model, [{ layerId: 'bn1', tensors: [] }])).toThrow(/4 weight tensors but 0/);
    expect(() => setLayerWeights(model, [{ layerId: 'ghost', tensors: [] }])).toThrow(/no layer 'ghost'/);
    expect(flatValues(getLayerWeights(model, cnnStudent))).toEqual(before);
    model.dispose();
  });
});

describe('trainableVariablesUpTo', () => {
  it('selects the variables of the layers up to the given one, or all', () => {
    const model = buildModel(cnnStudent, { taps: ['relu2'], seed: 1 });
    const upTo = trainableVariablesUpTo(model, cnnStudent, 'relu2');
    // conv1 kernel+bias, bn1 gamma+beta, conv2 kernel+bias, bn2 gamma+beta; no moving statistics.
    expect(upTo.map((v) => v.shape)).toEqual([[3, 3, 1, 4], [4], [4], [4], [3, 3, 4, 8], [8], [8], [8]]);
    const all = trainableVariablesUpTo(model, cnnStudent, null);
    expect(all.length).toBe(model.trainableWeights.length);
    expect(all.slice(0, upTo.length)).toEqual(upTo);
    expect(() => trainableVariablesUpTo(model, cnnStudent, 'nope')).toThrow(/no such layer/);
    model.dispose();
  });
});

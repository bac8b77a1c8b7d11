import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../data/types';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages, onnxBatches, seededStudent, tfjsLogits } from '../export/export.testkit';
import { exportOnnx, summarizeOnnx } from '../export/onnx';
import { compareLogits } from '../export/verify';
import { readArchitecture } from '../graph/readParams';
import { convertOnnxTeacher } from '../import/onnxToSpec';
import { importParity } from '../import/onnxParity';
import { buildModel } from './builder';
import { summarizeArchitecture } from './shapes';
import { ArchitectureError, type ArchitectureSpec } from './spec';

/**
 * The `concat` layer: channels side by side (Inception and DenseNet blocks). Shapes by hand, the
 * tfjs layer against tf.concat, and the ONNX round trip on real MNIST images: export (Concat on the
 * channel axis, a flattened NCHW map joined to a vector keeps each part's feature order) against
 * onnxruntime-node, and the exported file imported back.
 */

const IMAGES = 40;
let mnist: LoadedDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  mnist = await loadMnistSubset(IMAGES, 8);
});

/** Two branches joined on channels, then a flattened map joined to a pooled vector. */
const inception: ArchitectureSpec = {
  name: 'mini-inception',
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'conv2d', id: 'stem', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
    { kind: 'relu', id: 'stem_relu' },
    { kind: 'conv2d', id: 'b1', filters: 3, kernelSize: 1, strides: 1, padding: 'same' },
    { kind: 'conv2d', id: 'b3', filters: 5, kernelSize: 3, strides: 1, padding: 'same', from: 'stem_relu' },
    { kind: 'concat', id: 'mixed', inputs: ['b1', 'b3'] },
    { kind: 'relu', id: 'mixed_relu' },
    { kind: 'maxPool', id: 'pool', poolSize: 2, strides: 2, padding: 'valid' },
    { kind: 'flatten', id: 'flat' },
    { kind: 'globalAvgPool', id: 'gap', from: 'mixed_relu' },
    { kind: 'concat', id: 'features', inputs: ['flat', 'gap'] },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

describe('concat layer', () => {
  it('sums the channels of maps of equal height and width, and refuses others', () => {
    const summary = summarizeArchitecture(inception);
    const shape = (id: string) => summary.layers.find((layer) => layer.id === id)?.outputShape;
    expect(shape('mixed')).toEqual([14, 14, 8]);
    expect(shape('features')).toEqual([7 * 7 * 8 + 8]);
    expect(summary.layers.find((layer) => layer.id === 'mixed')).toMatchObject({ params: 0, flops: 0 });
    const mismatched = { ...inception, layers: inception.layers.map((layer) => (layer.id === 'mixed' ? { ...layer, inputs: ['b1', 'input'] } : layer)) };
    expect(() => summarizeArchitecture(mismatched)).toThrow(ArchitectureError);
    expect(() => summarizeArchitecture(mismatched)).toThrow(/'b1' is \[14, 14, 3\] and 'input' is \[28, 28, 1\]/);
  });

  it('computes tf.concat of its inputs on the last axis', () => {
    const model = buildModel(inception, { taps: ['b1', 'b3', 'mixed'], seed: 2 });
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 9);
    const [, b1, b3, mixed] = model.predict(x) as tf.Tensor[];
    const expected = tf.concat([b1, b3], -1);
    expect(mixed.shape).toEqual([2, 14, 14, 8]);
    expect(Array.from(mixed.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, b1, b3, mixed, expected]);
    model.dispose();
  });

  it('reads from experiment files with its inputs', () => {
    const file = { name: 'm', inputShape: [4, 4, 1], layers: [{ kind: 'concat', id: 'c', inputs: ['input', 'x'] }] };
    expect(readArchitecture(file, 'model').layers[0]).toEqual({ kind: 'concat', id: 'c', inputs: ['input', 'x'] });
    expect(() => readArchitecture({ ...file, layers: [{ kind: 'concat', id: 'c', from: 'input' }] }, 'model')).toThrow(/inputs/);
  });
});

describe('concat in ONNX', () => {
  it('exports as Concat on the channel axis, matches onnxruntime-node on real images, and imports back', async () => {
    const before = tf.memory().numTensors;
    const { model, weights } = seededStudent(inception, 4);
    const images = normalisedImages(mnist, 'test', 0, IMAGES);
    const expected = await tfjsLogits(model, images, inception.inputShape);
    model.dispose();
    const bytes = exportOnnx(inception, weights, { batchSize: 1 });
    expect(summarizeOnnx(bytes).ops.filter((op) => op === 'Concat')).toHaveLength(2);
    const actual = await nodeOnnxRunner(bytes, onnxBatches(images, inception.inputShape, 1));
    const merged = new Float32Array(expected.length);
    actual.forEach((logits, i) => merged.set(logits, i * logits.length));
    const report = compareLogits([expected], [merged], 10, 1e-5);
    console.log(`[concat] export parity: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
    expect(report.ok).toBe(true);

    const teacher = convertOnnxTeacher(bytes, { shape: [28, 28, 1], classes: 10 });
    expect(teacher.spec.layers.filter((layer) => layer.kind === 'concat')).toHaveLength(2);
    const back = await importParity(bytes, teacher, images, nodeOnnxRunner);
    expect(back.ok).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});

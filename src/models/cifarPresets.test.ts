import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatasetAssets } from '../../scripts/prepare-data';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { gatherBatch } from '../data/batches';
import { loadDataset } from '../data/loader';
import type { LoadedDataset } from '../data/types';
import { exportOnnx, summarizeOnnx } from '../export/onnx';
import { nodeOnnxRunner, normalisedImages, onnxBatches, seededStudent, tfjsLogits } from '../export/export.testkit';
import { compareLogits } from '../export/verify';
import { createOptimizer } from '../train/optimizer';
import { applyWithTaps, trainableVariablesUpTo } from './builder';
import { cifarArchitecturePresets } from './cifarPresets';
import { summarizeArchitecture } from './shapes';
import { installTrainingKernels } from './training-kernels';

/**
 * The CIFAR-sized DAG presets: parameter counts against the papers / RepDistiller, and for each
 * one real SGD step on the wasm backend on CIFAR-10 training images and an ONNX export whose
 * onnxruntime logits match tfjs on CIFAR-10 test images.
 */

const IMAGES = 4;
let cifar: LoadedDataset;

beforeAll(async () => {
  const prepared = prepareDatasetAssets('cifar10', { ifMissing: true });
  cifar = await loadDataset(
    { datasetId: 'cifar10', trainSubset: 64, validationSize: 0, testSubset: IMAGES, augmentShift: 0 },
    nodeAssetReader(path.dirname(prepared.outDir)),
  );
  await tf.setBackend('wasm');
  await tf.ready();
  installTrainingKernels('wasm');
}, 600_000);

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Trainable parameters: the summary also counts batch norm's moving mean and variance. */
function trainableParams(id: string): number {
  const spec = cifarArchitecturePresets[id];
  const summary = summarizeArchitecture(spec);
  const movingStats = spec.layers.reduce((sum, layer, i) =>
    sum + (layer.kind === 'batchNorm' ? 2 * (summary.layers[i].outputShape.at(-1) ?? 0) : 0), 0);
  return summary.params - movingStats;
}

describe('CIFAR architecture presets', () => {
  it('have the published parameter counts (RepDistiller / the papers, in millions)', () => {
    const millions = (id: string) => trainableParams(id) / 1e6;
    expect(millions('resnet8')).toBeCloseTo(0.078, 3);
    expect(millions('resnet20')).toBeCloseTo(0.272, 3);
    expect(millions('resnet32x4')).toBeCloseTo(7.41, 2);
    expect(millions('wrn-16-1')).toBeCloseTo(0.175, 3);
    expect(millions('wrn-16-2')).toBeCloseTo(0.69, 2);
    expect(millions('wrn-40-2')).toBeCloseTo(2.24, 2);
  });

  it('end in [64]-channel pooling and 10 logits, with block outputs to tap', () => {
    const resnet20 = cifarArchitecturePresets.resnet20;
    const summary = summarizeArchitecture(resnet20);
    const shapeOf = (id: string) => summary.layers.find((layer) => layer.id === id)?.outputShape;
    expect(shapeOf('s1b3-out')).toEqual([32, 32, 16]);
    expect(shapeOf('s2b1-out')).toEqual([16, 16, 32]);
    expect(shapeOf('s3b3-out')).toEqual([8, 8, 64]);
    expect(shapeOf('pool')).toEqual([64]);
    expect(summary.outputShape).toEqual([10]);
  });

  for (const id of Object.keys(cifarArchitecturePresets)) {
    it(`${id}: trains one SGD step on wasm (finite loss, no leaks) and exports with onnxruntime parity: max |diff| < 1e-5 x max(1, max |logit|)`, async () => {
      const spec = cifarArchitecturePresets[id];
      const before = tf.memory().numTensors;
      const { model, weights } = seededStudent(spec, 5);
      try {
        const images = normalisedImages(cifar, 'test', 0, IMAGES);
        const expected = await tfjsLogits(model, images, spec.inputShape);
        const onnxBytes = exportOnnx(spec, weights);
        const actual = await nodeOnnxRunner(onnxBytes, onnxBatches(images, spec.inputShape, 1));
        const merged = new Float32Array(expected.length);
        actual.forEach((logits, i) => merged.set(logits, i * logits.length));
        const report = compareLogits([expected], [merged], 10, 1e-5);
        // float32 sums in a different order: the error grows with the logits' size, which the
        // random batch-norm statistics blow up in the deepest nets (resnet32x4's reach ~1e2).
        const scale = Math.max(1, ...expected.map(Math.abs));
        console.log(`${id}: max |logit| ${scale.toPrecision(3)}, max |diff| ${report.maxAbsDiff.toExponential(2)}`);
        expect(report.maxAbsDiff / scale).toBeLessThan(1e-5);
        expect(report.classAgreement).toBe(1);
        expect(summarizeOnnx(onnxBytes).opset).toBe(11);

        const batch = gatherBatch(cifar.train, cifar.info, [0, 1, 2, 3]);
        const variables = trainableVariablesUpTo(model, spec, null);
        const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0.9, weightDecay: 5e-4 });
        const { value, grads } = tf.variableGrads(() => {
          const logits = applyWithTaps(model, batch.xs, [], true).logits;
          return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.ys, 10), logits) as tf.Scalar;
        }, variables);
        const loss = (await value.data())[0];
        optimizer.apply(variables, grads, 0.05);
        expect(Number.isFinite(loss)).toBe(true);
        expect(Object.keys(grads).length).toBe(variables.length);
        tf.dispose([value, ...Object.values(grads), batch.xs, batch.ys]);
        optimizer.dispose();
      } finally {
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);
  }

  it('exports ReLU6 as Clip with attribute bounds at opset 9 and input bounds at 11, both with parity', async () => {
    const spec = cifarArchitecturePresets['mobilenet-student'];
    const { model, weights } = seededStudent(spec, 8);
    try {
      const images = normalisedImages(cifar, 'test', 0, IMAGES);
      const expected = await tfjsLogits(model, images, spec.inputShape);
      for (const opset of [9, 11]) {
        const onnxBytes = exportOnnx(spec, weights, { opset, batchSize: IMAGES });
        const [actual] = await nodeOnnxRunner(onnxBytes, onnxBatches(images, spec.inputShape, IMAGES));
        expect(compareLogits([expected], [actual], 10, 1e-5).maxAbsDiff).toBeLessThan(1e-5);
        const summary = summarizeOnnx(onnxBytes);
        expect(summary.opset).toBe(opset);
        expect(new Set(summary.ops)).toEqual(new Set(['Conv', 'BatchNormalization', 'Clip', 'GlobalAveragePool', 'Flatten', 'Gemm']));
      }
    } finally {
      model.dispose();
    }
  });
});

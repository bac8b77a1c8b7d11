import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PhasePruner } from '../compress/pruner';
import { prunableLayers, prunedCount } from '../compress/pruning';
import { DEFAULT_PRUNING } from '../compress/types';
import { epochBatches } from '../data/batches';
import { createRng } from '../data/rng';
import type { LoadedDataset } from '../data/types';
import { getLoss } from '../losses/registry';
import { buildModel, getLayerWeights, trainableVariablesUpTo } from '../models/builder';
import { architecturePresets } from '../models/presets';
import { createOptimizer } from '../train/optimizer';
import { crossEntropyTerm } from '../train/plan';
import { trainStep } from '../train/step';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages, onnxBatches, tfjsLogits } from './export.testkit';
import { exportOnnx } from './onnx';
import { onnxProto } from './onnxProto';
import { compareLogits } from './verify';

/** A pruned student's ONNX export keeps its zeros (dense tensors, zeros stored) and still matches tfjs in onnxruntime. */

let mnist: LoadedDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  mnist = await loadMnistSubset(50, 128);
});

const zeros = (values: ArrayLike<number>): number => Array.from(values).filter((value) => value === 0).length;

describe('ONNX export of a pruned student', () => {
  it('the CNN student pruned to 70 % by magnitude and trained: every pruned zero is in the initializers, logits match', async () => {
    const spec = architecturePresets['cnn-student'];
    const model = buildModel(spec, { taps: [], seed: 5 });
    const pruner = new PhasePruner([{ id: 's', model, spec }]);
    const optimizer = pruner.beginStage({ ...DEFAULT_PRUNING.magnitude, targetSparsity: 0.7, schedule: 'oneShot' }, 4, createOptimizer({ optimizer: 'adam', momentum: 0 }));
    try {
      const variables = trainableVariablesUpTo(model, spec, null);
      const models = { networks: new Map([['s', { model, taps: [] as string[] }]]), trains: ['s'], adapters: new Map() };
      let t = 0;
      for (const batch of epochBatches(mnist.train, mnist.info, { batchSize: 32, rng: createRng(2), augmentShift: 0 })) {
        try {
          await pruner.beforeStep(t);
          await trainStep(models, [{ plan: crossEntropyTerm('s'), definition: getLoss('ce'), weight: 1 }], batch, variables, optimizer, 0.002, ++t);
        } finally {
          tf.dispose([batch.xs, batch.ys]);
        }
      }
      const weights = getLayerWeights(model, spec);
      const pruned = new Set(prunableLayers(spec, 'magnitude').map((layer) => layer.layerId));
      const expectedZeros = weights.filter((layer) => pruned.has(layer.layerId))
        .reduce((sum, layer) => sum + prunedCount(0.7, layer.tensors[0].values.length), 0);
      expect(weights.filter((layer) => pruned.has(layer.layerId)).reduce((sum, layer) => sum + zeros(layer.tensors[0].values), 0)).toBe(expectedZeros);

      const bytes = exportOnnx(spec, weights, { batchSize: 1 });
      const initializers = onnxProto.ModelProto.decode(bytes).graph!.initializer!;
      const onnxZeros = initializers.reduce((sum, init) => {
        const raw = init.rawData!;
        return sum + zeros(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
      }, 0);
      // The exporter writes the same values (transposed): zeros of every weight tensor, pruned ones included.
      expect(onnxZeros).toBe(weights.reduce((sum, layer) => sum + layer.tensors.reduce((s, tensor) => s + zeros(tensor.values), 0), 0));
      expect(onnxZeros).toBeGreaterThanOrEqual(expectedZeros);

      const images = normalisedImages(mnist, 'test', 0, 50);
      const expected = await tfjsLogits(model, images, spec.inputShape);
      const actual = await nodeOnnxRunner(bytes, onnxBatches(images, spec.inputShape, 1));
      const merged = new Float32Array(expected.length);
      actual.forEach((logits, i) => merged.set(logits, i * logits.length));
      const report = compareLogits([expected], [merged], 10, 1e-5);
      expect(report.maxAbsDiff).toBeLessThan(1e-5);
      expect(report.classAgreement).toBe(1);
    } finally {
      optimizer.dispose();
      pruner.dispose();
      model.dispose();
    }
  });
});

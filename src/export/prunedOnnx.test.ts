import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PhasePruner } from '../compress/pruner';
import { prunableLayers, prunedCount } from '../compress/pruning';
import { DEFAULT_PRUNING } from '../compress/types';
import { epochBatches } from '../data/batches';
import { createRng } from '../data/rng';
import type { LoadedDataset } from '../data/types';
import { getLoss } from '../losses/registry';
import { buildModel, getLayerWeights, setLayerWeights, trainableVariablesUpTo } from '../models/builder';
import { architecturePresets } from '../models/presets';
import { createOptimizer } from '../train/optimizer';
import { crossEntropyTerm } from '../train/plan';
import { trainStep } from '../train/step';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages, onnxBatches, tfjsLogits } from './export.testkit';
import { exportOnnx } from './onnx';
import { onnxProto } from './onnxProto';
import { compareLogits } from './verify';
import { sparseOnnx } from '../compress/sparseOnnx';
import { prunedFileSizes, prunedOnnxFiles } from '../compress/prunedOnnx';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { modelResultById } from '../results';
import { RunControl } from '../train/control';
import { runExperiment } from '../train/runner';
import { EventLog, kdStage, MemoryCache, tinyPlan } from '../train/testSupport';
import type { LayerWeights } from '../models/spec';
import { summarizeArchitecture } from '../models/shapes';

/**
 * A pruned student's ONNX export keeps its zeros (dense tensors, zeros stored) and still matches tfjs
 * in onnxruntime; the smaller files (sparse initialisers for magnitude pruning, the slimmed network
 * for channel pruning) load in onnxruntime-node and give the same logits.
 */

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

      // The same model with the pruned kernels as sparse initialisers: smaller, and the same logits in onnxruntime.
      const sparse = sparseOnnx(bytes);
      expect(sparse.sparseTensors.sort()).toEqual(['conv2.weight', 'conv3.weight']);
      expect(sparse.onnx.length).toBeLessThan(bytes.length);
      const decoded = onnxProto.ModelProto.decode(sparse.onnx).graph!;
      expect(decoded.sparseInitializer!.map((tensor) => tensor.indices!.dataType)).toEqual([7, 7]);
      const fromSparse = await nodeOnnxRunner(sparse.onnx, onnxBatches(images, spec.inputShape, 1));
      expect(fromSparse.map((logits) => Array.from(logits))).toEqual(actual.map((logits) => Array.from(logits)));
      console.log(`cnn-student, magnitude 70 %: dense ONNX ${bytes.length} B, sparse ONNX ${sparse.onnx.length} B`);
    } finally {
      optimizer.dispose();
      pruner.dispose();
      model.dispose();
    }
  });

  it('a staged run (KD, then gradual channel pruning) of the CNN student: the slimmed network gives the masked one\'s logits in tfjs and onnxruntime', async () => {
    const spec = architecturePresets['cnn-student'];
    const plan = tinyPlan({ stages: [
      kdStage({ epochs: 1 }),
      { ...kdStage({ epochs: 1 }), pruning: { ...DEFAULT_PRUNING.channel, targetSparsity: 0.5, everySteps: 2 } },
    ] });
    for (const model of plan.models) if (model.id !== 'teacher') { model.architecture = spec; model.taps = []; }
    plan.adapters = [];
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const results = await runExperiment(plan, { teacher: true, baseline: false, student: true }, {
      readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(), probeEverySteps: 100, teacherCache: new MemoryCache(),
    });
    expect(tf.memory().numTensors).toBe(before);
    const weights: LayerWeights[] = log.ofType('weights').find((event) => event.model.modelId === 'student')!.model.weights;

    const files = prunedOnnxFiles(spec, weights);
    const slim = files.slimmed!.slim;
    // Half of each conv's channels go (4 -> 2, 8 -> 4); every conv's channels reach only batch norm, relu, pooling and the next layer.
    expect(slim.slimmed).toEqual([
      { layerId: 'conv1', channelsBefore: 4, channelsAfter: 2 },
      { layerId: 'conv2', channelsBefore: 8, channelsAfter: 4 },
      { layerId: 'conv3', channelsBefore: 8, channelsAfter: 4 },
    ]);
    expect(slim.kept).toEqual([]);
    const student = modelResultById(results, 'student')!;
    expect(student.onnxBytes).toBe(files.dense.length);
    expect(student.prunedOnnxBytes).toBe(files.slimmed!.onnx.length);
    expect(student.prunedOnnxForm).toBe('slimmed');
    expect(prunedFileSizes(spec, weights)).toEqual({ onnxBytes: files.dense.length, prunedOnnxBytes: files.slimmed!.onnx.length, prunedOnnxForm: 'slimmed' });
    console.log(`cnn-student, channels 50 %: dense ONNX ${files.dense.length} B, slimmed ONNX ${files.slimmed!.onnx.length} B, ` +
      `params ${summarizeArchitecture(spec).params} -> ${summarizeArchitecture(slim.spec).params}`);

    const images = normalisedImages(mnist, 'test', 0, 50);
    const masked = buildModel(spec, { taps: [], seed: 0 });
    const slimmed = buildModel(slim.spec, { taps: [], seed: 0 });
    try {
      setLayerWeights(masked, weights);
      setLayerWeights(slimmed, slim.weights);
      const expected = await tfjsLogits(masked, images, spec.inputShape);
      const fromSlim = await tfjsLogits(slimmed, images, spec.inputShape);
      expect(compareLogits([expected], [fromSlim], 10, 1e-5).maxAbsDiff).toBeLessThanOrEqual(1e-5);
      const fromOnnx = await nodeOnnxRunner(files.slimmed!.onnx, onnxBatches(images, spec.inputShape, 1));
      const merged = new Float32Array(expected.length);
      fromOnnx.forEach((logits, i) => merged.set(logits, i * logits.length));
      const report = compareLogits([expected], [merged], 10, 1e-5);
      expect(report.maxAbsDiff).toBeLessThanOrEqual(1e-5);
      expect(report.classAgreement).toBe(1);
      console.log(`slimmed vs masked max |logit diff|: tfjs ${compareLogits([expected], [fromSlim], 10).maxAbsDiff}, onnxruntime ${report.maxAbsDiff}`);
    } finally {
      masked.dispose();
      slimmed.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

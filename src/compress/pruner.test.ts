import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { epochBatches } from '../data/batches';
import { loadDataset } from '../data/loader';
import { createRng } from '../data/rng';
import type { LoadedDataset } from '../data/types';
import { getLoss } from '../losses/registry';
import { buildModel, getLayerWeights, setLayerWeights, trainableVariablesUpTo } from '../models/builder';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { modelResultById } from '../results';
import { RunControl } from '../train/control';
import { createOptimizer, type TrainingOptimizer } from '../train/optimizer';
import { crossEntropyTerm, type StagePlan } from '../train/plan';
import { runExperiment } from '../train/runner';
import { trainStep } from '../train/step';
import { datasetOptions, EventLog, kdStage, MemoryCache, tinyPlan } from '../train/testSupport';
import { PhasePruner } from './pruner';
import { prunedCount } from './pruning';
import { DEFAULT_PRUNING, type PruningSettings } from './types';

/** Real MNIST subsets, real steps: the masks hold through training, later stages and the optimiser's slots. */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const readAsset = nodeAssetReader();
const env = (log: EventLog) => ({ readAsset, emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(), probeEverySteps: 100, teacherCache: new MemoryCache() });

const magnitude = (targetSparsity: number, overrides: Partial<PruningSettings> = {}): PruningSettings => ({ ...DEFAULT_PRUNING.magnitude, targetSparsity, everySteps: 2, ...overrides });

function kernelOf(weights: readonly LayerWeights[], layerId: string, index = 0): Float32Array {
  const layer = weights.find((entry) => entry.layerId === layerId);
  if (!layer) throw new Error(`no layer ${layerId}`);
  return layer.tensors[index].values;
}
const zeros = (values: ArrayLike<number>): number => Array.from(values).filter((value) => value === 0).length;

describe('pruning in a staged distillation', () => {
  it('KD while pruning gradually, then KD fine-tuning: the target sparsity exactly, in the results, and no leak', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const stages: StagePlan[] = [
      { ...kdStage({ epochs: 2 }), nodeId: 'prune', name: 'Prune', pruning: magnitude(0.8) },
      { ...kdStage({ epochs: 1, seed: 8 }), nodeId: 'tune', name: 'Fine-tune' },
    ];
    const results = await runExperiment(tinyPlan({ stages }), { teacher: true, baseline: true, student: true }, env(log));
    expect(tf.memory().numTensors).toBe(before);

    const student = log.ofType('weights').find((event) => event.model.modelId === 'student')!.model.weights;
    // tinyStudent: fc1 784x16, fc2 16x16 pruned to round(0.8 n); the classifier untouched.
    expect(zeros(kernelOf(student, 'fc1'))).toBe(prunedCount(0.8, 784 * 16));
    expect(zeros(kernelOf(student, 'fc2'))).toBe(prunedCount(0.8, 16 * 16));
    expect(zeros(kernelOf(student, 'logits'))).toBe(0);
    const result = modelResultById(results, 'student')!;
    expect(result.sparsity).toBeCloseTo(0.8, 4);
    expect(result.nonzeroParams).toBe(result.params - prunedCount(0.8, 784 * 16) - prunedCount(0.8, 256) - zeros(student.flatMap((l) => l.tensors.slice(1)).flatMap((t) => Array.from(t.values))));
    expect(result.sparseBytes).toBeLessThan(result.bytes / 3);
    // 256 images, 3 epochs: far from converged, but learning on the surviving weights (chance is 0.1).
    expect(result.testAccuracy).toBeGreaterThan(0.2);
    // Compression counts the student's non-zero parameters.
    const teacher = modelResultById(results, 'teacher')!;
    expect(results.distillations[0].compressionRatio).toBeCloseTo(teacher.params / result.nonzeroParams!, 9);
    // This hand-written plan's baseline phase has no pruning stage: no sparsity fields (compile prunes a pruned student's baseline; validatePruning.test.ts).
    expect(modelResultById(results, 'student/baseline')!.sparsity).toBeUndefined();
  });

  it('channel pruning: whole filters, their biases and batch-norm scales and shifts are 0, so the channels output exactly 0', async () => {
    const spec: ArchitectureSpec = {
      name: 'conv-bn', inputShape: [28, 28, 1],
      layers: [
        { kind: 'conv2d', id: 'conv1', filters: 8, kernelSize: 3, strides: 2, padding: 'same' },
        { kind: 'batchNorm', id: 'bn1', epsilon: 1e-3, momentum: 0.9 },
        { kind: 'relu', id: 'relu1' },
        { kind: 'flatten', id: 'flatten' },
        { kind: 'dense', id: 'logits', units: 10 },
      ],
    };
    const plan = tinyPlan({ stages: [{ ...kdStage({ epochs: 1 }), pruning: { ...DEFAULT_PRUNING.channel, targetSparsity: 0.5, schedule: 'oneShot' } }] });
    for (const model of plan.models) if (model.id !== 'teacher') { model.architecture = spec; model.taps = []; }
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const results = await runExperiment(plan, { teacher: true, baseline: false, student: true }, env(log));
    expect(tf.memory().numTensors).toBe(before);
    const weights = log.ofType('weights').find((event) => event.model.modelId === 'student')!.model.weights;
    const kernel = kernelOf(weights, 'conv1');
    const dead = [...Array(8).keys()].filter((c) => kernel.every((value, i) => i % 8 !== c || value === 0));
    expect(dead).toHaveLength(4);
    for (const index of [1]) expect(dead.every((c) => kernelOf(weights, 'conv1', index)[c] === 0)).toBe(true);
    for (const index of [0, 1]) expect(dead.every((c) => kernelOf(weights, 'bn1', index)[c] === 0)).toBe(true);
    expect(modelResultById(results, 'student')!.sparsity).toBe(0.5);

    // The trained weights in a fresh model: the dead channels of bn1 are exactly 0 on real images.
    const model = buildModel(spec, { taps: ['bn1'], seed: 1 });
    try {
      setLayerWeights(model, weights);
      const data = await loadDataset(datasetOptions({ trainSubset: 64 }), readAsset);
      const values = tf.tidy(() => {
        const batch = epochBatches(data.train, data.info, { batchSize: 16, rng: createRng(1), augmentShift: 0 }).next().value!;
        const out = (model.predict(batch.xs) as tf.Tensor[])[1].arraySync() as number[][][][];
        tf.dispose([batch.xs, batch.ys]);
        return out;
      });
      const channelValues = (c: number) => values.flat(2).map((pixel) => pixel[c]);
      for (const c of dead) expect(channelValues(c).every((v) => v === 0)).toBe(true);
      const alive = [...Array(8).keys()].filter((c) => !dead.includes(c));
      expect(alive.some((c) => channelValues(c).some((v) => v !== 0))).toBe(true);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('PhasePruner with a real optimiser', () => {
  let data: LoadedDataset;
  beforeAll(async () => {
    data = await loadDataset(datasetOptions({ trainSubset: 128 }), readAsset);
  });

  it('zeros the gradients of pruned weights, so Adam never moves them, and later stages keep the masks', async () => {
    const spec: ArchitectureSpec = {
      name: 'mlp', inputShape: [28, 28, 1],
      layers: [{ kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc1', units: 12 }, { kind: 'relu', id: 'relu1' }, { kind: 'dense', id: 'logits', units: 10 }],
    };
    const before = tf.memory().numTensors;
    const model = buildModel(spec, { taps: [], seed: 3 });
    const pruner = new PhasePruner([{ id: 'm', model, spec }]);
    // Records what reaches Adam: the gradients after masking.
    const seen: Float32Array[] = [];
    const adam = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const spy: TrainingOptimizer = {
      kind: 'adam', get iterations() { return adam.iterations; },
      apply(variables, grads, lr) {
        const kernel = variables[0];
        seen.push(grads[kernel.name].dataSync() as Float32Array);
        adam.apply(variables, grads, lr);
      },
      dispose: () => adam.dispose(),
    };
    const variables = trainableVariablesUpTo(model, spec, null);
    const term = { plan: crossEntropyTerm('m'), definition: getLoss('ce'), weight: 1 };
    const models = { networks: new Map([['m', { model, taps: [] as string[] }]]), trains: ['m'], adapters: new Map() };
    const run = async (optimizer: TrainingOptimizer, settings: PruningSettings | undefined, steps: number): Promise<void> => {
      let t = 0;
      for (const batch of epochBatches(data.train, data.info, { batchSize: 32, rng: createRng(t + 5), augmentShift: 0 })) {
        try {
          if (settings !== undefined) await pruner.beforeStep(t);
          await trainStep(models, [term], batch, variables, optimizer, 0.01, t + 1);
        } finally {
          tf.dispose([batch.xs, batch.ys]);
        }
        if (++t >= steps) break;
      }
    };
    const oneShot = magnitude(0.9, { schedule: 'oneShot' });
    await run(pruner.beginStage(oneShot, 4, spy), oneShot, 4);
    const mask = pruner.maskOf(variables[0])!;
    expect(zeros(mask)).toBe(prunedCount(0.9, 784 * 12));
    for (const gradient of seen) expect(mask.every((kept, i) => kept === 1 || gradient[i] === 0)).toBe(true);
    // The kept weights do get gradients.
    expect(seen.every((gradient) => gradient.some((value, i) => mask[i] === 1 && value !== 0))).toBe(true);
    // A later stage without pruning: masks fixed, weights of pruned entries stay 0, the others keep moving.
    const kept = getLayerWeights(model, spec);
    await run(pruner.beginStage(undefined, 4, spy), undefined, 4);
    const after = getLayerWeights(model, spec);
    const kernel = kernelOf(after, 'fc1');
    expect(mask.every((m, i) => m === 1 || kernel[i] === 0)).toBe(true);
    expect(kernel.some((value, i) => value !== kernelOf(kept, 'fc1')[i])).toBe(true);
    expect(zeros(kernel)).toBe(prunedCount(0.9, 784 * 12));
    spy.dispose();
    pruner.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

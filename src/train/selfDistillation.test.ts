import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { compileExperiment } from '../graph/compile';
import { createNode } from '../graph/factory';
import { TestGraph } from '../graph/testFixtures';
import { epochBatches } from '../data/batches';
import { loadDataset } from '../data/loader';
import { createRng } from '../data/rng';
import { getLoss } from '../losses/registry';
import { buildAdapter } from '../models/adapters';
import { buildModel, getLayerWeights, trainableVariablesUpTo, weightedLayerIds } from '../models/builder';
import type { LayerWeights } from '../models/spec';
import { RunControl } from './control';
import { createOptimizer } from './optimizer';
import { modelPlan, type TrainingPlan } from './plan';
import { runExperiment, type TrainEnv } from './runner';
import { adapterVariables, trainStep, type ActiveTerm } from './step';
import { datasetOptions, EventLog, tinyStudent } from './testSupport';

/**
 * Self-distillation on a tiny real run (MNIST subset, the 784-16-16-10 MLP student): an auxiliary
 * classifier on relu1 learns from the labels and from the student's own final logits, a detached
 * target, so the KD term trains the head and the layers up to relu1, never fc2 or the logits layer.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const readAsset = nodeAssetReader();
const LATER_LAYERS = ['fc2', 'logits'];

/** The student, a head on relu1 and the trainer's `losses` (of 'ce', 'ce-head', 'kd-head'), compiled for a tiny run. */
function selfDistillationPlan(losses: readonly string[]): TrainingPlan {
  const graph = new TestGraph();
  const dataset = graph.add(createNode('dataset', { id: 'dataset' }));
  dataset.params = { ...dataset.params, trainSubset: 128, validationSize: 32, testSubset: 64, probeCount: 2 };
  graph.model('student', 'student', tinyStudent, 'Student');
  const trainer = graph.trainer('trainer', 'Self-distil');
  trainer.params = { ...trainer.params, epochs: 1, batchSize: 32, seed: 3 };
  graph.tap('guided', 'tap-relu1', 'relu1');
  graph.add(createNode('head', { id: 'head', label: 'Head relu1' }));
  graph.connect('tap-relu1', 'feature', 'head', 'feature');
  if (losses.includes('ce')) graph.crossEntropy('ce', 'student', 'trainer');
  if (losses.includes('ce-head')) graph.crossEntropy('ce-head', 'head', 'trainer');
  if (losses.includes('kd-head')) graph.kd('kd-head', 'student', 'head', 'trainer');
  return compileExperiment(graph.file);
}

function env(log: EventLog): TrainEnv {
  return { readAsset, emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(), probeEverySteps: 4 };
}

const valuesOf = (weights: LayerWeights[], layerId: string): number[][] =>
  (weights.find((layer) => layer.layerId === layerId)?.tensors ?? []).map((tensor) => Array.from(tensor.values));

describe('self-distillation through an auxiliary classifier', () => {
  it('runs end to end: the student with its head in one phase, a baseline without, reported with no teacher network', async () => {
    const before = tf.memory().numTensors;
    const plan = selfDistillationPlan(['ce', 'ce-head', 'kd-head']);
    const log = new EventLog();
    const results = await runExperiment(plan, { teacher: true, baseline: true, student: true }, env(log));
    expect(tf.memory().numTensors).toBe(before);
    expect(log.ofType('phaseDone').map((event) => event.phaseId)).toEqual(['baseline:student', 'distill:trainer']);
    const studentSteps = log.ofType('step').filter((step) => step.kind === 'student');
    expect(studentSteps).toHaveLength(4);
    expect(Object.keys(studentSteps[0].terms).sort()).toEqual(['ce', 'ce-head', 'kd-head']);
    expect(log.ofType('step').filter((step) => step.kind === 'baseline').every((step) => Object.keys(step.terms).join() === 'ce:student/baseline')).toBe(true);

    expect(results.distillations).toHaveLength(1);
    const [report] = results.distillations;
    expect(report).toMatchObject({ studentId: 'student', teacherId: null, baselineId: 'student/baseline', compressionRatio: null, accuracyDrop: null });
    expect(Number.isFinite(report.distillationGain)).toBe(true);
    // The heads are dropped: the trained student travels (and exports) as its own layers only.
    const weights = log.ofType('weights');
    expect(weights.map(({ model }) => model.modelId)).toEqual(['student/baseline', 'student']);
    for (const { model } of weights) expect(model.weights.map((layer) => layer.layerId)).toEqual(weightedLayerIds(tinyStudent));
  });

  it('the KD term alone moves the layers up to the tapped one, and no later layer (the final logits are a detached target)', async () => {
    const plan = selfDistillationPlan(['kd-head']);
    const student = modelPlan(plan, 'student');
    const initialModel = buildModel(student.architecture, { taps: student.taps, seed: student.seed });
    const initial = getLayerWeights(initialModel, student.architecture);
    initialModel.dispose();
    const log = new EventLog();
    await runExperiment(plan, { teacher: false, baseline: false, student: true }, env(log));
    const trained = log.ofType('weights').find(({ model }) => model.modelId === 'student')!.model.weights;
    expect(valuesOf(trained, 'fc1')).not.toEqual(valuesOf(initial, 'fc1'));
    for (const layerId of LATER_LAYERS) expect(valuesOf(trained, layerId)).toEqual(valuesOf(initial, layerId));
  });

  it('one step trains the head: the KD term updates the head and fc1, and leaves fc2 and the logits layer', async () => {
    const plan = selfDistillationPlan(['ce', 'ce-head', 'kd-head']);
    const student = modelPlan(plan, 'student');
    const model = buildModel(student.architecture, { taps: student.taps, seed: student.seed });
    const head = buildAdapter(plan.adapters[0], 5);
    const data = await loadDataset(datasetOptions({ trainSubset: 32, validationSize: 0, testSubset: 32 }), readAsset);
    const batch = epochBatches(data.train, data.info, { batchSize: 32, rng: createRng(1), augmentShift: 0 }).next().value!;
    const terms = plan.phases[1].stages[0].terms;
    const kd: ActiveTerm = { plan: terms.find(({ term }) => term.nodeId === 'kd-head')!.term, definition: getLoss('kd'), weight: 1 };
    const headBefore = head.getWeights().map((tensor) => Array.from(tensor.dataSync()));
    const before = getLayerWeights(model, student.architecture);
    const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0 });
    const variables = [...trainableVariablesUpTo(model, student.architecture, null), ...adapterVariables(head)];
    const models = { networks: new Map([['student', { model, taps: student.taps }]]), trains: ['student'], adapters: new Map([[plan.adapters[0].id, head]]) };
    const outcome = await trainStep(models, [kd], batch, variables, optimizer, 0.5, 1);
    expect(outcome.terms['kd-head']).toBeGreaterThan(0);
    expect(head.getWeights().map((tensor) => Array.from(tensor.dataSync()))).not.toEqual(headBefore);
    const after = getLayerWeights(model, student.architecture);
    expect(valuesOf(after, 'fc1')).not.toEqual(valuesOf(before, 'fc1'));
    for (const layerId of LATER_LAYERS) expect(valuesOf(after, layerId)).toEqual(valuesOf(before, layerId));
    tf.dispose([batch.xs, batch.ys]);
    optimizer.dispose();
    model.dispose();
    head.dispose();
  });
});

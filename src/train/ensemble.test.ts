import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { splitToTensors } from '../data/batches';
import { loadDataset } from '../data/loader';
import type { LoadedDataset } from '../data/types';
import { getLoss } from '../losses/registry';
import type { LossDefinition } from '../losses/types';
import { buildModel } from '../models/builder';
import { ensembleLogits } from './ensembleLogits';
import { evaluateEnsemble } from './ensembleResults';
import { predictLogits } from './evaluate';
import { createOptimizer } from './optimizer';
import type { TensorRef } from './plan';
import { trainStep, type ActiveTerm, type StepModels } from './step';
import { datasetOptions, tinyStudent } from './testSupport';

/** The ensemble's logits (log of the mean softmax), in a training step and as a result, on the cpu backend. */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** log(mean_k softmax(z_k)), by hand. */
function logMeanSoftmax(members: number[][]): number[] {
  const softmax = (z: number[]): number[] => {
    const exps = z.map((v) => Math.exp(v));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  };
  const probabilities = members.map(softmax);
  return probabilities[0].map((_, c) => Math.log(probabilities.reduce((sum, p) => sum + p[c], 0) / members.length));
}

/** A bias-free dense layer from 2 inputs to 3 logits with the given kernel (rows: inputs). */
function linear(kernel: number[][]): tf.LayersModel {
  const initial = tf.tensor2d(kernel);
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, useBias: false, weights: [initial] })] });
  initial.dispose();
  return model;
}

async function snapshot(variables: tf.Variable[]): Promise<Float32Array[]> {
  return Promise.all(variables.map(async (v) => Float32Array.from(await v.data())));
}

const variablesOf = (model: tf.LayersModel): tf.Variable[] => model.trainableWeights.map((weight) => weight.read() as tf.Variable);

describe('ensembleLogits', () => {
  it('is log of the mean of the members\' softmax, computed by hand', async () => {
    const members = [[0, 0, 0], [0, Math.log(2), 0], [3, -1, 0.5]];
    const logits = ensembleLogits(members.map((z) => tf.tensor2d([z])));
    const expected = logMeanSoftmax(members);
    Array.from(await logits.data()).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
    // Its softmax is the averaged distribution: for the first two members alone, [7, 10, 7] / 24.
    const two = tf.softmax(ensembleLogits(members.slice(0, 2).map((z) => tf.tensor2d([z]))));
    Array.from(await two.data()).forEach((value, i) => expect(value).toBeCloseTo([7 / 24, 10 / 24, 7 / 24][i], 5));
    tf.dispose([logits, two]);
  });

  it('stays finite where a member\'s probability underflows', async () => {
    const before = tf.memory().numTensors;
    const inputs = [tf.tensor2d([[1000, 0]]), tf.tensor2d([[0, 1000]])];
    const logits = ensembleLogits(inputs);
    Array.from(await logits.data()).forEach((value) => expect(value).toBeCloseTo(Math.log(0.5), 5));
    tf.dispose([...inputs, logits]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('an ensemble teaching in a training step', () => {
  const x = [[1, 2], [0.5, -1]];
  const kernels = { a: [[1, 0, 0], [0, 1, 0]], b: [[0, 0, 1], [1, 0, -1]] };
  /** Members' logits by hand: x times each kernel. */
  const memberLogits = (kernel: number[][]): number[][] => x.map((row) => kernel[0].map((_, c) => row[0] * kernel[0][c] + row[1] * kernel[1][c]));

  /** KD at T = 1 from the ensemble of 'a' and 'b' into 's'; `seen` receives the teacher logits the loss was given. */
  function kdFromEnsemble(detach: boolean, seen: number[][][]): ActiveTerm[] {
    const kd = getLoss('kd');
    const capturing: LossDefinition = {
      ...kd,
      compute: (inputs, params, module) => {
        seen.push(inputs.teacherLogits.arraySync() as number[][]);
        return kd.compute(inputs, params, module);
      },
    };
    const teacherLogits: TensorRef = { kind: 'ensemble', members: ['a', 'b'], detach };
    return [{
      plan: { nodeId: 'kd', lossId: 'kd', label: 'KD', weight: 1, params: { T: 1 }, inputs: { teacherLogits, studentLogits: { kind: 'logits', model: 's', detach: false } } },
      definition: capturing,
      weight: 1,
    }];
  }

  async function step(trains: string[], detach: boolean): Promise<{ seen: number[][][]; moved: Record<string, boolean> }> {
    const models = { a: linear(kernels.a), b: linear(kernels.b), s: linear([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]]) };
    const stepModels: StepModels = {
      networks: new Map(Object.entries(models).map(([id, model]) => [id, { model, taps: [] }])),
      trains,
      adapters: new Map(),
    };
    // Every network's variables are offered to the optimiser: only the gradient decides what moves.
    const variables = Object.values(models).flatMap(variablesOf);
    const before = await snapshot(variables);
    const seen: number[][][] = [];
    const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0 });
    const batch = { xs: tf.tensor2d(x), ys: tf.tensor1d([1, 2], 'int32') };
    await trainStep(stepModels, kdFromEnsemble(detach, seen), batch, variables, optimizer, 0.5, 1);
    const after = await snapshot(variables);
    const moved: Record<string, boolean> = {};
    Object.keys(models).forEach((id, i) => {
      moved[id] = after[i].some((value, j) => value !== before[i][j]);
    });
    tf.dispose([batch.xs, batch.ys]);
    optimizer.dispose();
    Object.values(models).forEach((model) => model.dispose());
    return { seen, moved };
  }

  it('gives the loss log mean softmax of the frozen members, and no gradient flows into them', async () => {
    const before = tf.memory().numTensors;
    const { seen, moved } = await step(['s'], false);
    const expected = x.map((_, row) => logMeanSoftmax([memberLogits(kernels.a)[row], memberLogits(kernels.b)[row]]));
    expect(seen).toHaveLength(1);
    seen[0].forEach((row, r) => row.forEach((value, c) => expect(value).toBeCloseTo(expected[r][c], 5)));
    expect(moved).toEqual({ a: false, b: false, s: true });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a member trained in the same phase (a peer) gets no gradient through the detached ensemble', async () => {
    const before = tf.memory().numTensors;
    expect((await step(['a', 's'], true)).moved).toEqual({ a: false, b: false, s: true });
    // The control: attached, KD pulls the trained member towards the student.
    expect((await step(['a', 's'], false)).moved).toEqual({ a: true, b: false, s: true });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('evaluateEnsemble', () => {
  let data: LoadedDataset;
  beforeAll(async () => {
    data = await loadDataset(datasetOptions({ trainSubset: 64, validationSize: 96, testSubset: 128 }), nodeAssetReader());
  });

  it('scores the arg-max of the averaged probabilities over each split, batch by batch, and leaks nothing', async () => {
    const members = [buildModel(tinyStudent, { taps: ['relu1'], seed: 1 }), buildModel(tinyStudent, { taps: [], seed: 2 })];
    const before = tf.memory().numTensors;
    const ensemble = { id: 'ens', label: 'Pair', members: ['m1', 'm2'] };
    const result = await evaluateEnsemble(ensemble, members, 123, data, () => false);
    expect(tf.memory().numTensors).toBe(before);
    // Directly: the summed softmax over the whole test split (the same arg-max as the mean).
    const { xs, ys } = splitToTensors(data.test, data.info, 0, data.test.count);
    const correct = tf.tidy(() => tf.addN(members.map((model) => tf.softmax(predictLogits(model, xs))))
      .argMax(-1).equal(ys).sum().arraySync() as number);
    expect(result).toEqual({
      ensembleId: 'ens', label: 'Pair', members: ['m1', 'm2'], testAccuracy: correct / data.test.count,
      validationAccuracy: expect.any(Number), params: 123,
    });
    expect(result!.validationAccuracy).toBeGreaterThanOrEqual(0);
    tf.dispose([xs, ys]);
    // A stop request cuts the evaluation short: no result rather than the accuracy of a part.
    expect(await evaluateEnsemble(ensemble, members, 123, data, () => true)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    members.forEach((model) => model.dispose());
    await expect(evaluateEnsemble(ensemble, [], 0, data, () => false)).rejects.toThrow('has 2 members but 0 networks were given');
  });
});

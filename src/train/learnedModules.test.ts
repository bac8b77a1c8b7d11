import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { compileExperiment } from '../graph/compile';
import type { ExperimentFile } from '../graph/schema';
import { CrdModule } from '../losses/crd';
import { getLoss } from '../losses/registry';
import { installTrainingKernels } from '../models/training-kernels';
import { RunControl } from './control';
import { createOptimizer } from './optimizer';
import { runExperiment, type TrainEnv } from './runner';
import { trainStep, type ActiveTerm, type StepModels } from './step';
import { EventLog, tinyPreset } from './testSupport';

/**
 * Loss modules with state and with a training of their own, on tiny real runs of their presets:
 * CRD's memory bank follows the batches' images; FT's paraphraser trains alone before the student.
 */

// wasm, as the studio trains these presets: the CNN on the cpu backend would take a minute.
beforeAll(async () => {
  await tf.setBackend('wasm');
  installTrainingKernels('wasm');
});

function env(log: EventLog): TrainEnv {
  return { readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'wasm', now: () => performance.now(), probeEverySteps: 100 };
}

/** The preset on 256 training images, one epoch of batch 64 everywhere, 64 CRD negatives (FT's paraphraser: `paraphraserEpochs`). */
function tiny(file: string, paraphraserEpochs?: number): ExperimentFile {
  const experiment = tinyPreset(file);
  for (const node of experiment.nodes) {
    if (node.kind === 'loss' && node.params.lossId === 'ft' && paraphraserEpochs !== undefined) node.params.params = { ...node.params.params, paraphraserEpochs };
    if (node.kind === 'loss' && node.params.lossId === 'crd') node.params.params = { ...node.params.params, negatives: 64 };
  }
  return experiment;
}

describe('loss modules in real runs', () => {
  it('CRD: the preset trains the student with a finite contrastive loss, and the run frees the memory banks', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const results = await runExperiment(compileExperiment(tiny('crd-mnist.json')), { teacher: true, baseline: true, student: true }, env(log));
    const crd = log.ofType('step').filter((s) => s.kind === 'student').map((s) => s.terms.crd);
    expect(crd).toHaveLength(4);
    expect(crd.every(Number.isFinite)).toBe(true);
    expect(results.distillations.map((d) => [d.studentId, d.teacherId])).toEqual([['student', 'teacher']]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('CRD in a step: the memory rows of the batch\'s images move after the update, and a batch without indices is refused', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tf.layers.dense({ units: 2 })] });
    const teacher = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    const models: StepModels = {
      networks: new Map([['student', { model, taps: [] }], ['teacher', { model: teacher, taps: [] }]]),
      trains: ['student'], adapters: new Map(),
    };
    const definition = getLoss('crd');
    const module = definition.createModule!({ guide: [2], guided: [2] }, { dimension: 4, negatives: 3 }, 1, { trainCount: 8, trainLabels: [0, 1, 0, 1, 0, 1, 0, 1] }) as CrdModule;
    const term: ActiveTerm = {
      plan: { nodeId: 'crd', lossId: 'crd', label: 'CRD', weight: 1, params: { dimension: 4, negatives: 3 }, inputs: {
        guide: { kind: 'logits', model: 'teacher', detach: false }, guided: { kind: 'logits', model: 'student', detach: false },
      } },
      definition, weight: 1, module,
    };
    const xs = tf.randomNormal([2, 3], 0, 1, 'float32', 4);
    const ys = tf.tensor1d([0, 1], 'int32');
    const memory = (): number[][] => module.studentMemory.arraySync() as number[][];
    const before = memory();
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const variables = [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...module.variables];
    await trainStep(models, [term], { xs, ys, indices: Int32Array.from([2, 5]) }, variables, optimizer, 0.01, 1);
    const after = memory();
    after.forEach((row, i) => (i === 2 || i === 5 ? expect(row).not.toEqual(before[i]) : expect(row).toEqual(before[i])));
    await expect(trainStep(models, [term], { xs, ys }, variables, optimizer, 0.01, 2)).rejects.toThrow(/keeps a memory per training image/);
    optimizer.dispose();
    module.dispose();
    tf.dispose([xs, ys]);
    model.dispose();
    teacher.dispose();
  });

  // (tfjs keeps the tensors a forward pass saved for its backward pass when the pass throws, so a failed step is not leak-free.)
  it('a failed step tells every begun module so (endStep(false)) and reports the step\'s own error', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    const models: StepModels = { networks: new Map([['student', { model, taps: [] }]]), trains: ['student'], adapters: new Map() };
    const calls: string[] = [];
    const module = {
      variables: [], dispose: () => undefined,
      beginStep: () => { calls.push('begin'); },
      endStep: (applied: boolean) => { calls.push(`end ${applied}`); },
    };
    const failing = { ...getLoss('ce'), compute: () => { throw new Error('the loss failed'); } };
    const term: ActiveTerm = {
      plan: { nodeId: 'ce', lossId: 'ce', label: 'CE', weight: 1, params: {}, inputs: { logits: { kind: 'logits', model: 'student', detach: false }, labels: { kind: 'labels' } } },
      definition: failing, weight: 1, module,
    };
    const xs = tf.randomNormal([2, 3], 0, 1, 'float32', 4);
    const ys = tf.tensor1d([0, 1], 'int32');
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    await expect(trainStep(models, [term], { xs, ys, indices: Int32Array.from([0, 1]) }, variables, optimizer, 0.01, 1)).rejects.toThrow('the loss failed');
    expect(calls).toEqual(['begin', 'end false']);

    optimizer.dispose();
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('FT: the paraphraser trains alone first (its loss falls, progress counts it), then the translator trains with the student', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    await runExperiment(compileExperiment(tiny('ft-mnist.json', 2)), { teacher: true, baseline: false, student: true }, env(log));
    const pretraining = log.events.flatMap((event, index) =>
      event.type === 'log' && event.message.includes('FT paraphraser') ? [{ index, loss: Number(/loss ([\d.e+-]+)\.$/.exec(event.message)![1]) }] : []);
    expect(pretraining).toHaveLength(2);
    expect(pretraining[1].loss).toBeLessThan(pretraining[0].loss);
    const firstStudentStep = log.events.findIndex((event) => event.type === 'step' && event.kind === 'student');
    expect(pretraining[1].index).toBeLessThan(firstStudentStep);
    const ft = log.ofType('step').filter((s) => s.kind === 'student').map((s) => s.terms.ft);
    expect(ft).toHaveLength(4);
    expect(ft.every((value) => Number.isFinite(value) && value > 0)).toBe(true);
    // 2 x 4 paraphraser steps and 4 student steps: the student phase's progress reaches 1 only at its end.
    const progress = log.ofType('progress').filter((p) => p.phaseId === 'distill:trainer');
    expect(progress.at(-1)!.fractionDone).toBeCloseTo(1, 6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('CC (class-uniform batches), IRG and TSD: their presets run with finite terms and the expected reports', async () => {
    const before = tf.memory().numTensors;
    const termsOf = async (file: string, term: string) => {
      const log = new EventLog();
      const results = await runExperiment(compileExperiment(tiny(file)), { teacher: true, baseline: false, student: true }, env(log));
      expect(log.ofType('error')).toEqual([]);
      return { values: log.ofType('step').flatMap((s) => (term in s.terms ? [s.terms[term]] : [])), results };
    };
    for (const [file, term] of [['cc-mnist.json', 'cc'], ['irg-mnist.json', 'irg']]) {
      const { values } = await termsOf(file, term);
      expect(values).toHaveLength(4);
      expect(values.every((value) => Number.isFinite(value) && value > 0)).toBe(true);
    }
    // The tolerant teacher trains with TSD in a phase of its own, then teaches the student.
    const { values, results } = await termsOf('tsd-mnist.json', 'tsd');
    expect(values).toHaveLength(4);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(results.models.map((m) => m.modelId)).toEqual(['teacher', 'student']);
    expect(results.distillations.map((d) => [d.studentId, d.teacherId])).toEqual([['student', 'teacher']]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

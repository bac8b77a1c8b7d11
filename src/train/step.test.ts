import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { epochBatches, splitToTensors } from '../data/batches';
import { loadDataset } from '../data/loader';
import { createRng } from '../data/rng';
import type { LoadedDataset } from '../data/types';
import { getLoss } from '../losses/registry';
import { buildAdapter } from '../models/adapters';
import { buildModel, trainableVariablesUpTo } from '../models/builder';
import { createOptimizer } from './optimizer';
import { adapterVariables, trainStep, type ActiveTerm, type StepModels } from './step';
import type { LossModule } from '../losses/types';
import { ceTerm, datasetOptions, hintTerm, kdTerm, tinyPlan, tinyStudent, tinyTeacher, vidTerm } from './testSupport';

let data: LoadedDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadDataset(datasetOptions({ trainSubset: 256, validationSize: 0, testSubset: 64 }), nodeAssetReader());
});

const active = (weightOverrides: Record<string, number> = {}): ActiveTerm[] =>
  [ceTerm, kdTerm, hintTerm].map((plan) => ({ plan, definition: getLoss(plan.lossId), weight: weightOverrides[plan.nodeId] ?? plan.weight }));

async function snapshot(variables: tf.Variable[]): Promise<Float32Array[]> {
  return Promise.all(variables.map(async (v) => Float32Array.from(await v.data())));
}

/** `freezeTeacher` as the runner does; off, the teacher's weights stay trainable variables. */
function setup(freezeTeacher = true): { models: StepModels; teacher: tf.LayersModel; student: tf.LayersModel; dispose(): void } {
  const teacher = buildModel(tinyTeacher, { taps: ['relu1'], seed: 1 });
  teacher.trainable = !freezeTeacher;
  const student = buildModel(tinyStudent, { taps: ['relu1'], seed: 2 });
  const adapter = buildAdapter(tinyPlan().adapters[0], 3);
  const networks = new Map([['teacher', { model: teacher, taps: ['relu1'] }], ['student', { model: student, taps: ['relu1'] }]]);
  return {
    models: { networks, trains: ['student'], adapters: new Map([['adapter-hint', adapter]]) },
    teacher,
    student,
    dispose: () => [teacher, student, adapter].forEach((m) => m.dispose()),
  };
}

describe('trainStep', () => {
  afterAll(() => tf.disposeVariables());

  it('updates student and adapter variables, never the frozen teacher, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    // The teacher is left trainable and its variables are offered to the optimiser: they must still
    // receive no gradient, because the teacher's forward pass runs outside the tape.
    const { models, teacher, student, dispose } = setup(false);
    const studentVars = trainableVariablesUpTo(student, tinyStudent, null);
    const adapterVars = adapterVariables(models.adapters.get('adapter-hint')!);
    const teacherVars = trainableVariablesUpTo(teacher, tinyTeacher, null);
    expect(teacherVars).toHaveLength(teacher.weights.length);
    expect(teacherVars.length).toBeGreaterThan(0);
    const [studentBefore, adapterBefore, teacherBefore] = await Promise.all([snapshot(studentVars), snapshot(adapterVars), snapshot(teacherVars)]);
    const variables = [...studentVars, ...adapterVars, ...teacherVars];
    const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0.9 });
    const rng = createRng(5);
    let step = 0;
    for (const batch of epochBatches(data.train, data.info, { batchSize: 32, rng, augmentShift: 0 })) {
      if (step === 3) {
        tf.dispose([batch.xs, batch.ys]);
        continue;
      }
      step += 1;
      const outcome = await trainStep(models, active(), batch, variables, optimizer, 0.05, step);
      tf.dispose([batch.xs, batch.ys]);
      expect(Object.keys(outcome.terms).sort()).toEqual(['loss-ce', 'loss-hint', 'loss-kd']);
      const sum = Object.values(outcome.terms).reduce((a, b) => a + b, 0);
      expect(outcome.total).toBeCloseTo(sum, 4);
      expect(outcome.count).toBe(32);
      expect(Object.keys(outcome.correct)).toEqual(['student']);
    }
    const [studentAfter, adapterAfter, teacherAfter] = await Promise.all([snapshot(studentVars), snapshot(adapterVars), snapshot(teacherVars)]);
    studentAfter.forEach((values, i) => expect(values).not.toEqual(studentBefore[i]));
    adapterAfter.forEach((values, i) => expect(values).not.toEqual(adapterBefore[i]));
    teacherAfter.forEach((values, i) => expect(values).toEqual(teacherBefore[i]));
    optimizer.dispose();
    dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a frozen teacher (as the runner freezes it) offers no variable to train', () => {
    const { teacher, dispose } = setup(true);
    expect(teacher.weights.length).toBeGreaterThan(0);
    expect(trainableVariablesUpTo(teacher, tinyTeacher, null)).toEqual([]);
    expect(teacher.weights.every((weight) => !weight.trainable)).toBe(true);
    dispose();
  });

  it('refuses a step whose terms all weigh 0 with a clear reason (validation flags such stages)', async () => {
    const { models, student, dispose } = setup();
    const batch = splitToTensors(data.train, data.info, 0, 8);
    const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0 });
    const variables = trainableVariablesUpTo(student, tinyStudent, null);
    const before = tf.memory().numTensors;
    await expect(trainStep(models, active({ 'loss-ce': 0, 'loss-kd': 0, 'loss-hint': 0 }), batch, variables, optimizer, 0.01, 7))
      .rejects.toThrow('At step 7 every loss term weighs 0, so there is nothing to learn from');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch.xs, batch.ys]);
    optimizer.dispose();
    dispose();
  });

  it('reports a weight-0 term as 0 and matches the weighted loss computed directly', async () => {
    const { models, teacher, student, dispose } = setup();
    const batch = splitToTensors(data.train, data.info, 0, 16);
    const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0 });
    const [teacherLogits] = teacher.predict(batch.xs) as tf.Tensor[];
    const [studentLogits] = student.predict(batch.xs) as tf.Tensor[];
    const kdDirect = await getLoss('kd').compute({ teacherLogits, studentLogits }, { T: 4 }).data();
    const variables = trainableVariablesUpTo(student, tinyStudent, null);
    // The student has no dropout or batch norm, so its training-mode forward equals predict().
    const outcome = await trainStep(models, active({ 'loss-hint': 0, 'loss-ce': 0 }), batch, variables, optimizer, 0.01, 1);
    expect(outcome.terms['loss-hint']).toBe(0);
    expect(outcome.terms['loss-kd']).toBeCloseTo(0.9 * kdDirect[0], 5);
    tf.dispose([batch.xs, batch.ys, teacherLogits, studentLogits]);
    optimizer.dispose();
    dispose();
  });

  it('lowers the cross-entropy of a small MLP over 50 steps on real MNIST', async () => {
    const student = buildModel(tinyStudent, { taps: [], seed: 11 });
    const models: StepModels = { networks: new Map([['student', { model: student, taps: [] }]]), trains: ['student'], adapters: new Map() };
    const terms: ActiveTerm[] = [{ plan: { ...ceTerm, weight: 1 }, definition: getLoss('ce'), weight: 1 }];
    const variables = trainableVariablesUpTo(student, tinyStudent, null);
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const rng = createRng(3);
    const losses: number[] = [];
    while (losses.length < 50) {
      for (const batch of epochBatches(data.train, data.info, { batchSize: 32, rng, augmentShift: 0 })) {
        if (losses.length < 50) losses.push((await trainStep(models, terms, batch, variables, optimizer, 0.003, losses.length + 1)).total);
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    // ln(10) = 2.30 for a uniform guess; a trained net is far below.
    expect(mean(losses.slice(0, 5))).toBeGreaterThan(1.5);
    expect(mean(losses.slice(-5))).toBeLessThan(0.5 * mean(losses.slice(0, 5)));
    optimizer.dispose();
    student.dispose();
  });

  it('trains two peers together: a detached teacher-side input passes no gradient, an attached one does', async () => {
    const before = tf.memory().numTensors;
    // Peer A teaches peer B through KD only; with A's logits detached, A must not move.
    const kdAtoB = (detach: boolean): ActiveTerm[] => [{
      plan: {
        ...kdTerm, weight: 1,
        inputs: { teacherLogits: { kind: 'logits', model: 'a', detach }, studentLogits: { kind: 'logits', model: 'b', detach: false } },
      },
      definition: getLoss('kd'),
      weight: 1,
    }];
    const changes = async (detach: boolean): Promise<{ a: boolean; b: boolean; correct: string[] }> => {
      const a = buildModel(tinyStudent, { taps: [], seed: 31 });
      const b = buildModel(tinyStudent, { taps: [], seed: 32 });
      const models: StepModels = { networks: new Map([['a', { model: a, taps: [] }], ['b', { model: b, taps: [] }]]), trains: ['a', 'b'], adapters: new Map() };
      const aVars = trainableVariablesUpTo(a, tinyStudent, null);
      const bVars = trainableVariablesUpTo(b, tinyStudent, null);
      const [aBefore, bBefore] = await Promise.all([snapshot(aVars), snapshot(bVars)]);
      const optimizer = createOptimizer({ optimizer: 'sgd', momentum: 0 });
      const batch = splitToTensors(data.train, data.info, 0, 32);
      const outcome = await trainStep(models, kdAtoB(detach), batch, [...aVars, ...bVars], optimizer, 0.5, 1);
      const [aAfter, bAfter] = await Promise.all([snapshot(aVars), snapshot(bVars)]);
      tf.dispose([batch.xs, batch.ys]);
      optimizer.dispose();
      a.dispose();
      b.dispose();
      const moved = (was: Float32Array[], now: Float32Array[]): boolean => now.some((values, i) => values.some((v, j) => v !== was[i][j]));
      return { a: moved(aBefore, aAfter), b: moved(bBefore, bAfter), correct: Object.keys(outcome.correct) };
    };
    expect(await changes(true)).toEqual({ a: false, b: true, correct: ['a', 'b'] });
    // The control: without detaching, KD pulls the teacher-side peer too.
    expect(await changes(false)).toEqual({ a: true, b: true, correct: ['a', 'b'] });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trains a loss's learned parts (VID's regressor and variances) with the student, and leaks nothing", async () => {
    const before = tf.memory().numTensors;
    const { models, student, dispose } = setup();
    const module = getLoss('vid').createModule!(vidTerm.moduleShapes!, {}, 5, { trainCount: 1 });
    const studentVars = trainableVariablesUpTo(student, tinyStudent, null);
    const [moduleBefore, studentBefore] = await Promise.all([snapshot(module.variables), snapshot(studentVars)]);
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const batch = splitToTensors(data.train, data.info, 0, 32);
    const terms: ActiveTerm[] = [{ plan: vidTerm, definition: getLoss('vid'), weight: 1, module }];
    const first = await trainStep(models, terms, batch, [...studentVars, ...module.variables], optimizer, 0.01, 1);
    expect(Number.isFinite(first.terms['loss-vid'])).toBe(true);
    const [moduleAfter, studentAfter] = await Promise.all([snapshot(module.variables), snapshot(studentVars)]);
    moduleAfter.forEach((values, i) => expect(values).not.toEqual(moduleBefore[i]));
    expect(studentAfter.some((values, i) => values.some((v, j) => v !== studentBefore[i][j]))).toBe(true);
    tf.dispose([batch.xs, batch.ys]);
    optimizer.dispose();
    module.dispose();
    dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  describe('adversarial KD: the student and the discriminator are updated in turn', () => {
    const adversarialTerm = (learningRate: number): ActiveTerm & { module: LossModule } => {
      const plan = {
        nodeId: 'loss-adv', lossId: 'adversarial', label: 'Adversarial KD', weight: 1, params: { learningRate },
        inputs: { teacherLogits: kdTerm.inputs.teacherLogits, studentLogits: kdTerm.inputs.studentLogits, labels: { kind: 'labels' as const } },
        moduleShapes: { teacherLogits: [10], studentLogits: [10], labels: [] },
      };
      const module = getLoss('adversarial').createModule!(plan.moduleShapes, plan.params, 9, { trainCount: 1 });
      return { plan, definition: getLoss('adversarial'), weight: 1, module, ownOptimizer: createOptimizer({ optimizer: 'adam', momentum: 0 }) };
    };

    async function run(networkRate: number, discriminatorRate: number, steps: number) {
      const before = tf.memory().numTensors;
      const { models, student, dispose } = setup();
      const term = adversarialTerm(discriminatorRate);
      const studentVars = trainableVariablesUpTo(student, tinyStudent, null);
      const [studentBefore, discriminatorBefore] = await Promise.all([snapshot(studentVars), snapshot(term.module.own!.variables)]);
      const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
      const accuracies: number[] = [];
      const rng = createRng(4);
      while (accuracies.length < steps) {
        for (const batch of epochBatches(data.train, data.info, { batchSize: 32, rng, augmentShift: 0 })) {
          if (accuracies.length < steps) {
            const outcome = await trainStep(models, [term], batch, studentVars, optimizer, networkRate, accuracies.length + 1);
            expect(Object.keys(outcome.metrics).sort()).toEqual(['loss-adv:discriminatorAccuracy', 'loss-adv:loss']);
            accuracies.push(outcome.metrics['loss-adv:discriminatorAccuracy']);
          }
          tf.dispose([batch.xs, batch.ys]);
        }
      }
      const [studentAfter, discriminatorAfter] = await Promise.all([snapshot(studentVars), snapshot(term.module.own!.variables)]);
      const moved = (was: Float32Array[], now: Float32Array[]): boolean => now.some((values, i) => values.some((v, j) => v !== was[i][j]));
      optimizer.dispose();
      term.ownOptimizer!.dispose();
      term.module.dispose();
      dispose();
      expect(tf.memory().numTensors).toBe(before);
      return { studentMoved: moved(studentBefore, studentAfter), discriminatorMoved: moved(discriminatorBefore, discriminatorAfter), accuracies };
    }

    it('the student learns through D but never trains it; D trains only in its own step', async () => {
      // No D learning rate: the student's steps alone leave D as it was.
      const frozenD = await run(0.01, 0, 3);
      expect([frozenD.studentMoved, frozenD.discriminatorMoved]).toEqual([true, false]);
      // No network learning rate: D's own steps move it, the student stays.
      const frozenStudent = await run(0, 0.01, 3);
      expect([frozenStudent.studentMoved, frozenStudent.discriminatorMoved]).toEqual([false, true]);
    });

    it('against a fixed student, D learns to tell teacher from student logits', async () => {
      const { accuracies } = await run(0, 0.003, 40);
      accuracies.forEach((accuracy) => expect(accuracy).toBeGreaterThanOrEqual(0));
      expect(Math.max(...accuracies.slice(-5))).toBeGreaterThan(0.9);
    });
  });
});


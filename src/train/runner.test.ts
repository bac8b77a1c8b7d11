import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { buildModel, getLayerWeights, setLayerWeights, weightedLayerIds } from '../models/builder';
import { epochBatches } from '../data/batches';
import { loadDataset } from '../data/loader';
import { createRng } from '../data/rng';
import { getLoss } from '../losses/registry';
import type { LayerWeights } from '../models/spec';
import { RunControl } from './control';
import { runExperiment, type TrainEnv } from './runner';
import { compileExperiment } from '../graph/compile';
import { mutualLearningExperiment } from '../graph/testFixtures';
import { modelResultById as byModel } from '../results';
import {
  assistantChainPlan, ceTerm, datasetOptions, EventLog, hintTerm, vidTerm, MemoryCache, kdStage, mutualLearningPlan, tinyPlan, tinyStudent, tinyTeacher, trainerSettings,
} from './testSupport';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const readAsset = nodeAssetReader();

function env(log: EventLog, extra: Partial<TrainEnv> = {}): TrainEnv {
  return { readAsset, emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(), probeEverySteps: 4, ...extra };
}

describe('runExperiment', () => {
  it('runs teacher, baseline and student, emits every kind of event, fills the results and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const cache = new MemoryCache();
    // Distinct seeds, so the results can be seen to name each model's own.
    const plan = tinyPlan({ stages: [kdStage({ seed: 9 })], baseline: trainerSettings({ seed: 9 }) });
    const results = await runExperiment(plan, { teacher: true, baseline: true, student: true }, env(log, { teacherCache: cache }));
    expect(tf.memory().numTensors).toBe(before);

    expect(log.ofType('phaseDone').map((e) => [e.kind, e.fromCache])).toEqual([['teacher', false], ['baseline', false], ['student', false]]);
    // 256 images / batch 32 = 8 steps per phase.
    const steps = log.ofType('step');
    expect(steps.filter((s) => s.kind === 'student')).toHaveLength(8);
    expect(Object.keys(steps.at(-1)!.terms).sort()).toEqual(['loss-ce', 'loss-kd']);
    expect(steps.filter((s) => s.kind === 'teacher').every((s) => Object.keys(s.terms).join() === 'ce:teacher')).toBe(true);
    const progress = log.ofType('progress');
    expect(progress.at(-1)!.fractionDone).toBe(1);
    expect(progress.at(-1)!.secondsLeft).toBe(0);
    expect(log.ofType('epoch')).toHaveLength(3);
    const probes = log.ofType('probe');
    expect(probes.length).toBeGreaterThanOrEqual(4);
    expect(probes.filter((p) => p.kind === 'student')[0].logits.map((l) => [l.modelId, l.values.length])).toEqual([['teacher', 4], ['student', 4]]);
    expect(probes.filter((p) => p.kind === 'baseline')[0].logits.map((l) => l.modelId)).toEqual(['teacher', 'student/baseline']);
    expect(probes[0].images[0]).toHaveLength(784);
    expect(log.ofType('weights').map((w) => w.model.modelId)).toEqual(['student/baseline', 'student']);
    // Each trained model travels with the architecture and data set it was trained as (export uses them).
    for (const { model } of log.ofType('weights')) {
      expect(model.spec).toEqual(tinyStudent);
      expect(model.datasetId).toBe(plan.dataset.datasetId);
      expect(model.experimentName).toBe(plan.experimentName);
      expect(model.weights.map((layer) => layer.layerId)).toEqual(weightedLayerIds(tinyStudent));
    }
    expect(log.events.at(-1)).toEqual({ type: 'status', state: 'finished' });
    expect(cache.puts).toBe(1);
    // Results so far after each phase (a later crash keeps them), then the final results.
    expect(log.events.filter((e) => e.type === 'phaseDone' || e.type === 'result').map((e) => e.type))
      .toEqual(['phaseDone', 'result', 'phaseDone', 'result', 'phaseDone', 'result', 'result']);
    const afterTeacher = log.ofType('result')[0].results;
    expect(afterTeacher.models.map((m) => [m.modelId, m.testAccuracy])).toEqual([['teacher', byModel(results, 'teacher')!.testAccuracy]]);
    const teacher = byModel(results, 'teacher')!;
    const baseline = byModel(results, 'student/baseline')!;
    const student = byModel(results, 'student')!;
    expect(results.models.map((m) => [m.modelId, m.role])).toEqual([['teacher', 'teacher'], ['student/baseline', 'baseline'], ['student', 'student']]);

    for (const model of [teacher, baseline, student]) {
      expect(model.testAccuracy).toBeGreaterThan(0.3);
      expect(model.testAccuracy).toBeLessThanOrEqual(1);
      expect(model.inferenceMsPerSample).toBeGreaterThan(0);
    }
    expect([teacher.seed, baseline.seed, student.seed]).toEqual([7, 9, 9]);
    expect(results.trainCount).toBe(256);
    expect(results.testCount).toBe(128);
    const [report] = results.distillations;
    expect(report).toMatchObject({ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline' });
    expect(report.compressionRatio).toBeCloseTo(teacher.params / student.params, 12);
    expect(report.accuracyDrop).toBeCloseTo(teacher.testAccuracy - student.testAccuracy, 12);
    expect(report.distillationGain).toBeCloseTo(student.testAccuracy - baseline.testAccuracy, 12);

    // A second run with the same plan reuses the cached teacher: no teacher steps, same accuracy.
    const second = new EventLog();
    const again = await runExperiment(plan, { teacher: false, baseline: false, student: true }, env(second, { teacherCache: cache }));
    expect(second.ofType('step').some((s) => s.kind === 'teacher')).toBe(false);
    expect(second.ofType('phaseDone')[0]).toMatchObject({ kind: 'teacher', fromCache: true });
    expect(byModel(again, 'teacher')!.fromCache).toBe(true);
    expect(byModel(again, 'teacher')!.pretrained).toBeUndefined();
    expect(byModel(again, 'teacher')!.testAccuracy).toBe(teacher.testAccuracy);
    expect(byModel(again, 'student/baseline')).toBeNull();
    expect(cache.puts).toBe(1);
  });

  it('retrains a dropout teacher to the same weights from the same seed (seeded masks), to others from another', async () => {
    const dropoutTeacher = {
      ...tinyTeacher, name: 'tiny-dropout-teacher',
      layers: [tinyTeacher.layers[0], { kind: 'dropout' as const, id: 'drop-in', rate: 0.2 }, ...tinyTeacher.layers.slice(1, 3),
        { kind: 'dropout' as const, id: 'drop1', rate: 0.5 }, ...tinyTeacher.layers.slice(3)],
    };
    const trainTeacher = async (seed: number): Promise<number[]> => {
      const cache = new MemoryCache();
      const plan = tinyPlan({ teacher: { architecture: dropoutTeacher, settings: trainerSettings({ seed }) } });
      await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(new EventLog(), { teacherCache: cache }));
      return [...cache.store.values()][0].flatMap((layer) => layer.tensors.flatMap((tensor) => Array.from(tensor.values)));
    };
    const first = await trainTeacher(7);
    expect(await trainTeacher(7)).toEqual(first);
    expect(await trainTeacher(8)).not.toEqual(first);
  });

  it("trains the teacher with its own shift and the students with the dataset's", async () => {
    const run = async (datasetShift: number, teacherShift: number) => {
      const log = new EventLog();
      const cache = new MemoryCache();
      const plan = tinyPlan({ dataset: datasetOptions({ augmentShift: datasetShift }), teacher: { augmentShift: teacherShift } });
      await runExperiment(plan, { teacher: true, baseline: true, student: false }, env(log, { teacherCache: cache }));
      // A position-weighted sum per tensor: equal for equal weights, and a cheap diff when not.
      const fingerprint = (weights: LayerWeights[]): number[] => weights.flatMap((layer) =>
        layer.tensors.map((tensor) => tensor.values.reduce((sum, value, i) => sum + value * (i + 1), 0)));
      return {
        teacher: fingerprint([...cache.store.values()][0]),
        baseline: fingerprint(log.ofType('weights').find((w) => w.model.role === 'baseline')!.model.weights),
      };
    };
    const plain = await run(0, 0);
    const teacherShifted = await run(0, 2);
    const allShifted = await run(2, 2);
    expect(teacherShifted.teacher).toEqual(allShifted.teacher);
    expect(teacherShifted.teacher).not.toEqual(plain.teacher);
    expect(teacherShifted.baseline).toEqual(plain.baseline);
    expect(teacherShifted.baseline).not.toEqual(allShifted.baseline);
  });

  it("trains a teacher on its phase's own, wider training subset while the students keep the dataset's", async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const cache = new MemoryCache();
    // The dataset's subset is 256 images; the teacher's phase reads the first 512 (all 59,936 would be slow here).
    const plan = tinyPlan({ teacher: { trainSubset: 512 } });
    await runExperiment(plan, { teacher: true, baseline: true, student: true }, env(log, { teacherCache: cache }));
    expect(log.ofType('error')).toEqual([]);
    const steps = (phaseId: string) => log.ofType('step').filter((step) => step.phaseId === phaseId).length;
    // Batches of 32: 512 / 32 = 16 teacher steps, 256 / 32 = 8 for the baseline and the student.
    expect(steps('teacher:teacher')).toBe(16);
    expect(steps('baseline:student')).toBe(8);
    expect(steps('distill:trainer-kd')).toBe(8);
    // The results report the students' data.
    expect(log.ofType('result').at(-1)!.results.trainCount).toBe(256);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains on class-uniform batches: same steps per epoch as shuffled, reproducible, other weights', async () => {
    const before = tf.memory().numTensors;
    const run = async (sampler?: { kind: 'classUniform'; samplesPerClass: number }) => {
      const log = new EventLog();
      const plan = tinyPlan({ dataset: datasetOptions({ sampler }) });
      await runExperiment(plan, { teacher: false, baseline: true, student: false }, env(log));
      expect(log.ofType('error')).toEqual([]);
      // 256 images / batch 32 = 8 steps, whichever the sampler.
      expect(log.ofType('step')).toHaveLength(8);
      return log.ofType('weights')[0].model.weights.flatMap((layer) => layer.tensors.flatMap((tensor) => Array.from(tensor.values)));
    };
    const classUniform = await run({ kind: 'classUniform', samplesPerClass: 4 });
    expect(await run({ kind: 'classUniform', samplesPerClass: 4 })).toEqual(classUniform);
    expect(await run()).not.toEqual(classUniform);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains only up to the guided layer in a FitNet first stage', async () => {
    const log = new EventLog();
    const stage = {
      nodeId: 'trainer-hint', name: 'Hints', settings: trainerSettings({ seed: 21 }), trainUpTo: 'relu1',
      terms: [{ term: hintTerm, schedule: { kind: 'constant' } as const }],
    };
    const plan = tinyPlan({ stages: [stage], dataset: datasetOptions({ trainSubset: 96, testSubset: 32, validationSize: 0 }) });
    await runExperiment(plan, { teacher: false, baseline: false, student: true }, env(log));
    const trained = log.ofType('weights').find((w) => w.model.modelId === 'student')!.model.weights;
    const fresh = buildModel(tinyStudent, { taps: ['relu1'], seed: 21 });
    const initial = getLayerWeights(fresh, tinyStudent);
    fresh.dispose();
    const byId = (weights: LayerWeights[], id: string): Float32Array[] => weights.find((w) => w.layerId === id)!.tensors.map((t) => t.values);
    expect(byId(trained, 'fc1')[0]).not.toEqual(byId(initial, 'fc1')[0]);
    expect(byId(trained, 'fc2')).toEqual(byId(initial, 'fc2'));
    expect(byId(trained, 'logits')).toEqual(byId(initial, 'logits'));
  });

  it('stops with a diverged error naming the term when the learning rate is absurd', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const plan = tinyPlan({ teacher: { settings: trainerSettings({ optimizer: 'sgd', learningRate: 1e12 }) } });
    const results = await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(log));
    const [error] = log.ofType('error');
    expect(error.kind).toBe('diverged');
    expect(error.lossTerm).toBe('ce:teacher');
    expect(error.message).toMatch(/Cross-entropy/);
    expect(error.message).toMatch(/Lower the learning rate/);
    expect(log.events.at(-1)).toEqual({ type: 'status', state: 'stopped' });
    expect(byModel(results, 'teacher')).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports a bad dataset option as a data error without training', async () => {
    const log = new EventLog();
    await runExperiment(tinyPlan({ dataset: datasetOptions({ trainSubset: 10_000_000 }) }), { teacher: true, baseline: false, student: false }, env(log));
    expect(log.ofType('error')[0].kind).toBe('data');
    expect(log.ofType('step')).toHaveLength(0);
  });

  it('pauses between steps, resumes, and stops cleanly', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const control = new RunControl();
    let pausedAtStep = -1;
    let reachedPause: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => { reachedPause = resolve; });
    const emit = (event: Parameters<TrainEnv['emit']>[0]): void => {
      log.emit(event);
      if (event.type !== 'step') return;
      if (event.step === 2) {
        control.pause();
        pausedAtStep = log.ofType('step').length;
        reachedPause();
      }
      if (event.step === 4) control.stop();
    };
    const running = runExperiment(tinyPlan(), { teacher: true, baseline: false, student: false }, { ...env(log), emit, control });
    // However slow the machine, wait for the pause itself; then give a running trainer time to (wrongly) go on.
    await paused;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(control.state).toBe('paused');
    expect(log.ofType('step')).toHaveLength(pausedAtStep);
    control.resume();
    const results = await running;
    expect(log.ofType('step').map((s) => s.step)).toEqual([1, 2, 3, 4]);
    expect(log.events.at(-1)).toEqual({ type: 'status', state: 'stopped' });
    expect(byModel(results, 'teacher')).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a stop after the last step, during the final evaluation, stops the run: no accuracy of half a split', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const control = new RunControl();
    // 256 images at batch 32: step 8 is the teacher's last; its evaluation follows.
    const emit = (event: Parameters<TrainEnv['emit']>[0]): void => {
      log.emit(event);
      if (event.type === 'step' && event.step === 8) control.stop();
    };
    const results = await runExperiment(tinyPlan(), { teacher: true, baseline: true, student: false }, { ...env(log), emit, control });
    expect(log.ofType('step')).toHaveLength(8);
    expect(log.ofType('epoch')).toHaveLength(0);
    expect(log.ofType('phaseDone')).toHaveLength(0);
    expect(byModel(results, 'teacher')).toBeNull();
    expect(log.events.at(-1)).toEqual({ type: 'status', state: 'stopped' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('mutual learning: both peers update in one phase, each with its own epochs, weights and result', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const results = await runExperiment(mutualLearningPlan(), { teacher: true, baseline: true, student: true }, env(log));
    expect(tf.memory().numTensors).toBe(before);
    expect(log.ofType('phaseDone').map((e) => e.models.map((m) => m.modelId))).toEqual([['p1', 'p2']]);
    expect(log.ofType('epoch').map((e) => e.modelId)).toEqual(['p1', 'p2']);
    expect(Object.keys(log.ofType('step')[0].terms)).toEqual(['ce-p1', 'ce-p2', 'kd-p2-p1', 'kd-p1-p2']);
    // Each peer starts from its own seed and trains: the two trained networks differ from their start and each other.
    const trained = new Map(log.ofType('weights').map(({ model }) => [model.modelId, model.weights]));
    const fresh = (seed: number): LayerWeights[] => {
      const model = buildModel(tinyStudent, { taps: [], seed });
      const weights = getLayerWeights(model, tinyStudent);
      model.dispose();
      return weights;
    };
    const first = (weights: LayerWeights[]): Float32Array => weights[0].tensors[0].values;
    expect(first(trained.get('p1')!)).not.toEqual(first(fresh(7)));
    expect(first(trained.get('p2')!)).not.toEqual(first(fresh(1007)));
    expect(first(trained.get('p1')!)).not.toEqual(first(trained.get('p2')!));
    // Both peers' soft targets are shown side by side.
    expect(log.ofType('probe')[0].logits.map((l) => l.modelId)).toEqual(['p1', 'p2']);
    expect(results.models.map((m) => [m.modelId, m.role])).toEqual([['p1', 'peer'], ['p2', 'peer']]);
    expect(results.distillations.map((r) => [r.studentId, r.teacherId])).toEqual([['p1', 'p2'], ['p2', 'p1']]);
    for (const model of results.models) expect(model.testAccuracy).toBeGreaterThan(0.3);
  });

  it('a teacher-assistant chain trains teacher, assistant and student in order; the student learns from the trained assistant', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const results = await runExperiment(assistantChainPlan(), { teacher: false, baseline: false, student: true }, env(log));
    expect(tf.memory().numTensors).toBe(before);
    // The student's first KD value is the KD between its initial weights and the assistant as trained
    // (recomputed here from the assistant's exported weights), not the assistant as initialised.
    const plan = assistantChainPlan();
    const firstKd = log.ofType('step').find((s) => s.phaseId === 'distill:student')!.terms['kd-assistant-student'];
    const data = await loadDataset(plan.dataset, readAsset);
    const batch = epochBatches(data.train, data.info, { batchSize: 32, rng: createRng(7), augmentShift: 0 }).next().value!;
    const student = buildModel(tinyStudent, { taps: [], seed: 7 });
    const assistantSpec = plan.models.find((m) => m.id === 'assistant')!.architecture;
    const assistant = buildModel(assistantSpec, { taps: [], seed: 7 });
    const kdAgainst = async (): Promise<number> => {
      const value = tf.tidy(() => getLoss('kd').compute({ teacherLogits: assistant.predict(batch.xs) as tf.Tensor, studentLogits: student.predict(batch.xs) as tf.Tensor }, { T: 1 }));
      const [number] = await value.data();
      value.dispose();
      return number;
    };
    const untrained = await kdAgainst();
    setLayerWeights(assistant, log.ofType('weights').find((w) => w.model.modelId === 'assistant')!.model.weights);
    expect(firstKd).toBeCloseTo(await kdAgainst(), 4);
    expect(Math.abs(firstKd - untrained)).toBeGreaterThan(1e-3);
    tf.dispose([batch.xs, batch.ys]);
    student.dispose();
    assistant.dispose();
    expect(log.ofType('phaseDone').map((e) => e.phaseId)).toEqual(['teacher:teacher', 'distill:assistant', 'distill:student']);
    expect(log.ofType('weights').map((w) => [w.model.modelId, w.model.role])).toEqual([['assistant', 'assistant'], ['student', 'student']]);
    expect(results.distillations.map((r) => [r.studentId, r.teacherId])).toEqual([['student', 'assistant'], ['assistant', 'teacher']]);
    // Selecting only the distillations still runs what they need, in order; selecting only teachers runs the teacher alone.
    const teacherOnly = new EventLog();
    await runExperiment(assistantChainPlan(), { teacher: true, baseline: false, student: false }, env(teacherOnly));
    expect(teacherOnly.ofType('phaseDone').map((e) => e.phaseId)).toEqual(['teacher:teacher']);
  });

  it('refuses a plan whose phase freezes a model no earlier phase provides', async () => {
    const plan = assistantChainPlan();
    plan.phases = [plan.phases[0], plan.phases[2], plan.phases[1]];
    const log = new EventLog();
    await runExperiment(plan, { teacher: true, baseline: true, student: true }, env(log));
    expect(log.ofType('error')[0]).toMatchObject({ kind: 'invalid-plan', message: expect.stringMatching(/'Assistant' teaches in 'student' but was neither trained nor restored/) });
    expect(log.events.at(-1)).toEqual({ type: 'status', state: 'stopped' });
  });

  it('a loss with learned parts (VID) builds them from the plan, trains them and frees them with the run', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const stage = { ...kdStage(), terms: [{ term: ceTerm, schedule: { kind: 'constant' as const } }, { term: vidTerm, schedule: { kind: 'constant' as const } }] };
    await runExperiment(tinyPlan({ stages: [stage] }), { teacher: true, baseline: false, student: true }, env(log));
    const vid = log.ofType('step').filter((s) => s.kind === 'student').map((s) => s.terms['loss-vid']);
    expect(vid).toHaveLength(8);
    // The negative log-likelihood falls as the regressor and the variances learn (from variance 5 at the start).
    expect(vid.at(-1)!).toBeLessThan(vid[0]);
    expect(log.events.at(-1)).toEqual({ type: 'status', state: 'finished' });
    expect(tf.memory().numTensors).toBe(before);
    const { moduleShapes: _dropped, ...withoutShapes } = vidTerm;
    const broken = { ...stage, terms: [{ term: withoutShapes, schedule: { kind: 'constant' as const } }] };
    const refused = new EventLog();
    await runExperiment(tinyPlan({ stages: [broken] }), { teacher: true, baseline: false, student: true }, env(refused));
    expect(refused.ofType('error')[0].message).toMatch(/VID' has learned parts but the plan gives no input shapes/);
  });

  it('a baseline stands in for its student in every live view, relation matrices too', async () => {
    const plan = tinyPlan();
    plan.probes.relations = [{ id: 'sp', label: 'SP', kind: 'sp', teacher: { model: 'teacher', layerId: 'relu1' }, student: { model: 'student', layerId: 'relu1' }, excludeSelf: false }];
    const log = new EventLog();
    await runExperiment(plan, { teacher: true, baseline: true, student: true }, env(log));
    const relationsOf = (kind: string) => log.ofType('probe').filter((p) => p.kind === kind).at(-1)!.relations.map((r) => [r.teacherModel, r.studentModel, r.rows]);
    expect(relationsOf('baseline')).toEqual([['teacher', 'student/baseline', 4]]);
    expect(relationsOf('student')).toEqual([['teacher', 'student', 4]]);
  });

  it('a compiled mutual-learning graph runs end to end: both peers move, each with a baseline and a report', async () => {
    const before = tf.memory().numTensors;
    const experiment = mutualLearningExperiment();
    for (const node of experiment.nodes) {
      if (node.kind === 'dataset') node.params = { ...node.params, trainSubset: 128, validationSize: 32, testSubset: 64, probeCount: 2 };
      if (node.kind === 'trainer') node.params = { ...node.params, epochs: 1, batchSize: 32 };
    }
    const plan = compileExperiment(experiment);
    const log = new EventLog();
    const results = await runExperiment(plan, { teacher: true, baseline: true, student: true }, env(log));
    expect(tf.memory().numTensors).toBe(before);
    expect(log.ofType('phaseDone').map((e) => e.phaseId)).toEqual(['baseline:peer1', 'baseline:peer2', 'distill:trainer']);
    expect(results.models.map((m) => [m.modelId, m.seed])).toEqual([['peer1/baseline', 1], ['peer2/baseline', 1001], ['peer1', 1], ['peer2', 1001]]);
    expect(results.distillations.map((r) => [r.studentId, r.teacherId, r.baselineId])).toEqual([
      ['peer1', 'peer2', 'peer1/baseline'], ['peer2', 'peer1', 'peer2/baseline'],
    ]);
    // Each peer trained from its baseline's starting point, and moved away from it.
    const weights = new Map(log.ofType('weights').map(({ model }) => [model.modelId, model.weights[0].tensors[0].values]));
    expect(weights.get('peer1')).not.toEqual(weights.get('peer1/baseline'));
    expect(weights.get('peer2')).not.toEqual(weights.get('peer1'));
  });
});


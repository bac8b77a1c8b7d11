import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { probeBatch } from '../data/batches';
import { loadDataset } from '../data/loader';
import type { LoadedDataset } from '../data/types';
import { attentionMap, fspLoss } from '../losses/features';
import { buildModel } from '../models/builder';
import type { ArchitectureSpec } from '../models/spec';
import type { ProbePlan } from './plan';
import { similarityMatrix } from '../losses/relations';
import { captureProbeSnapshot, probeImages, probeTapProblems, type ProbeNetwork } from './probes';
import { datasetOptions } from './testSupport';

const tinyCnn = (filters: number): ArchitectureSpec => ({
  name: `cnn-${filters}`,
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'conv2d', id: 'conv1', filters, kernelSize: 3, strides: 1, padding: 'same' },
    { kind: 'relu', id: 'relu1' },
    { kind: 'maxPool', id: 'pool1', poolSize: 2, strides: 2, padding: 'valid' },
    { kind: 'conv2d', id: 'conv2', filters: 4, kernelSize: 3, strides: 1, padding: 'same' },
    { kind: 'relu', id: 'relu2' },
    { kind: 'flatten', id: 'flatten' },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
});

const plan: ProbePlan = {
  count: 3,
  temperature: 4,
  attention: [{ id: 'at', label: 'AT relu1', teacher: { model: 't', layerId: 'relu1' }, student: { model: 's', layerId: 'relu1' }, p: 2 }],
  fsp: [{ id: 'fsp', label: 'FSP', teacher: { model: 't', layerIds: ['pool1', 'relu2'] }, student: { model: 's', layerIds: ['pool1', 'relu2'] } }],
  relations: (['sp', 'rkd', 'pkt'] as const).map((kind) => ({
    id: kind, label: kind.toUpperCase(), kind, teacher: { model: 't', layerId: 'relu2' }, student: { model: 's', layerId: 'pool1' }, excludeSelf: kind === 'pkt',
  })),
};
const taps = ['relu1', 'pool1', 'relu2'];
const networks = (teacher: tf.LayersModel, student: tf.LayersModel): ProbeNetwork[] => [
  { id: 't', label: 'Teacher', role: 'teacher', model: teacher, taps },
  { id: 's', label: 'Student', role: 'student', model: student, taps },
];
const phase = { phaseId: 'distill:s', kind: 'student' as const };
let data: LoadedDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await loadDataset(datasetOptions({ trainSubset: 32, validationSize: 0, testSubset: 64 }), nodeAssetReader());
});

describe('captureProbeSnapshot', () => {
  it('shows identical maps and zero distances when teacher and student are the same network', async () => {
    const model = buildModel(tinyCnn(4), { taps, seed: 1 });
    const batch = probeBatch(data.test, data.info, plan.count);
    const before = tf.memory().numTensors;
    const snapshot = await captureProbeSnapshot(
      networks(model, model), plan, batch,
      probeImages(data.test, batch.indices, data.info.shape), data.info.shape, phase, 7,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(snapshot.step).toBe(7);
    expect(snapshot.labels).toEqual(batch.labels);
    expect(snapshot.logits.map((l) => [l.modelId, l.label, l.role])).toEqual([['t', 'Teacher', 'teacher'], ['s', 'Student', 'student']]);
    expect(snapshot.logits[0].values).toEqual(snapshot.logits[1].values);
    expect(snapshot.attention.every((pair) => pair.teacherModel === 't' && pair.studentModel === 's')).toBe(true);
    expect(snapshot.attention.map((pair) => pair.id)).toEqual(['at:0', 'at:1', 'at:2']);
    for (const pair of snapshot.attention) {
      expect([pair.rows, pair.cols]).toEqual([28, 28]);
      expect(pair.distance).toBe(0);
      // Attention maps are unit-norm per image.
      expect(pair.teacher.flat().reduce((sum, v) => sum + v * v, 0)).toBeCloseTo(1, 5);
    }
    expect(snapshot.fsp).toHaveLength(1);
    expect([snapshot.fsp[0].rows, snapshot.fsp[0].cols]).toEqual([4, 4]);
    expect(snapshot.fsp[0].distance).toBe(0);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('compares maps of different widths and reports a positive distance', async () => {
    const teacher = buildModel(tinyCnn(8), { taps, seed: 1 });
    const student = buildModel(tinyCnn(2), { taps, seed: 2 });
    const batch = probeBatch(data.test, data.info, plan.count);
    const snapshot = await captureProbeSnapshot(
      networks(teacher, student), plan, batch, [], data.info.shape, phase, 0,
    );
    expect(snapshot.attention[0].distance).toBeGreaterThan(0);
    // 8 x 4 against 2 x 4 matrices: no distance (validation demands matching FSP shapes).
    expect(snapshot.fsp[0].distance).toBeNaN();
    const sameWidth = buildModel(tinyCnn(8), { taps, seed: 3 });
    const comparable = await captureProbeSnapshot(
      networks(teacher, sameWidth), plan, batch, [], data.info.shape, phase, 0,
    );
    expect(comparable.fsp[0].distance).toBeGreaterThan(0);
    // The distance is the FSP loss (paper form) on the probe images, not a distance of averages.
    const [direct] = tf.tidy(() => {
      const [, , tPool, tRelu] = teacher.predict(batch.xs) as tf.Tensor[];
      const [, , sPool, sRelu] = sameWidth.predict(batch.xs) as tf.Tensor[];
      return fspLoss([tPool, tRelu], [sPool, sRelu], { form: 'paper' });
    }).dataSync();
    expect(comparable.fsp[0].distance).toBeCloseTo(direct, 4);
    sameWidth.dispose();
    // Teacher FSP of pool1 (8 channels) x relu2 (4 channels).
    expect(snapshot.fsp[0].teacher).toHaveLength(8);
    expect(snapshot.fsp[0].teacher[0]).toHaveLength(4);
    tf.dispose([batch.xs, batch.ys]);
    teacher.dispose();
    student.dispose();
  });

  it('draws attention maps with the AT block\'s power p', async () => {
    const model = buildModel(tinyCnn(4), { taps, seed: 1 });
    const batch = probeBatch(data.test, data.info, plan.count);
    const withP = (p: number): ProbePlan => ({ ...plan, attention: [{ ...plan.attention[0], p }] });
    const capture = (p: number) => captureProbeSnapshot(
      networks(model, model), withP(p), batch, [], data.info.shape, phase, 0,
    );
    const [squared, fourth] = [await capture(2), await capture(4)];
    const expected = tf.tidy(() => attentionMap((model.predict(batch.xs) as tf.Tensor[])[1], 4).arraySync()[0]);
    expect(fourth.attention[0].teacher.flat().map((v) => Number(v.toFixed(5)))).toEqual(expected.map((v) => Number(v.toFixed(5))));
    expect(fourth.attention[0].teacher).not.toEqual(squared.attention[0].teacher);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('names probe layers that are not tapped', () => {
    const arch = tinyCnn(4);
    expect(probeTapProblems({ ...plan, relations: [] }, [
      { id: 't', label: 'T', role: 'teacher', architecture: arch, taps: ['relu1'], seed: 1 },
      { id: 's', label: 'S', role: 'student', architecture: arch, taps, seed: 1 },
    ])).toEqual([
      "Probe 'FSP' shows layer 'pool1' of 't', which is not tapped.",
      "Probe 'FSP' shows layer 'relu2' of 't', which is not tapped.",
    ]);
    expect(probeTapProblems({ ...plan, relations: [] }, [])[0]).toBe("Probe 'AT relu1' shows model 't', which the plan does not have.");
  });

  it('shows only the pairs whose two networks are in the snapshot', async () => {
    const model = buildModel(tinyCnn(4), { taps, seed: 1 });
    const batch = probeBatch(data.test, data.info, plan.count);
    const alone = await captureProbeSnapshot(networks(model, model).slice(1), plan, batch, [], data.info.shape, phase, 0);
    expect(alone.logits.map((l) => l.modelId)).toEqual(['s']);
    expect([alone.attention, alone.fsp, alone.relations]).toEqual([[], [], []]);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('shows the B x B matrices the relational losses compare, for teacher and student', async () => {
    const teacher = buildModel(tinyCnn(8), { taps, seed: 1 });
    const student = buildModel(tinyCnn(2), { taps, seed: 2 });
    const batch = probeBatch(data.test, data.info, plan.count);
    const snapshot = await captureProbeSnapshot(networks(teacher, student), plan, batch, [], data.info.shape, phase, 0);
    expect(snapshot.relations.map((pair) => [pair.id, pair.rows, pair.cols, pair.teacherModel, pair.studentModel])).toEqual([
      ['sp', 3, 3, 't', 's'], ['rkd', 3, 3, 't', 's'], ['pkt', 3, 3, 't', 's'],
    ]);
    const [sp, rkd, pkt] = snapshot.relations;
    // SP: rows of the Gram matrix L2-normalised; the same matrix the loss computes on the teacher's relu2.
    const direct = tf.tidy(() => similarityMatrix((teacher.predict(batch.xs) as tf.Tensor[])[3]).arraySync());
    sp.teacher.flat().forEach((value, i) => expect(value).toBeCloseTo(direct.flat()[i], 5));
    for (const row of sp.student) expect(row.reduce((sum, v) => sum + v * v, 0)).toBeCloseTo(1, 5);
    // RKD: distances over their mean (zero diagonal, off-diagonal mean 1); PKT (paper): columns sum to 1, no self-pairs.
    expect(rkd.teacher.map((row, i) => row[i])).toEqual([0, 0, 0]);
    expect(rkd.teacher.flat().reduce((a, b) => a + b, 0) / 6).toBeCloseTo(1, 5);
    for (let j = 0; j < 3; j++) expect(pkt.student.reduce((sum, row) => sum + row[j], 0)).toBeCloseTo(1, 5);
    expect(pkt.student.map((row, i) => row[i])).toEqual([0, 0, 0]);
    expect(sp.distance).toBeGreaterThan(0);
    tf.dispose([batch.xs, batch.ys]);
    teacher.dispose();
    student.dispose();
  });
});


import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import katex from 'katex';
import { beforeAll, describe, expect, it } from 'vitest';
import { getLoss, lossRegistry } from './registry';
import { disposeInputs, fixtures, makeInputs, moduleFor, relativeError } from './testing';
import { VidModule } from './vid';
import type { LossInputs } from './types';

interface GoldenTensor { shape: number[]; dtype: 'float32' | 'int32'; data: number[] }
interface GoldenCase {
  name: string;
  lossId: string;
  params: Record<string, number>;
  expected: number;
  inputs: Record<string, GoldenTensor>;
  /** Values of a learned module's variables, in its `variables` order. */
  module?: GoldenTensor[];
}

const golden = JSON.parse(readFileSync(new URL('./golden/golden.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function studentPorts(id: string): string[] {
  return getLoss(id).ports.filter((p) => p.side === 'student').map((p) => p.name);
}

describe('loss registry', () => {
  it('lists the implemented losses with unique ids', () => {
    expect(lossRegistry.map((d) => d.id)).toEqual(['ce', 'kd', 'tfkd', 'dkd', 'tsd', 'adversarial', 'fitnet', 'at', 'fsp', 'nst', 'vid', 'ft', 'sp', 'rkd', 'pkt', 'irg', 'cc', 'crd']);
  });

  it('getLoss names the known ids for an unknown one', () => {
    expect(getLoss('kd').label).toContain('KD');
    expect(() => getLoss('no-such-loss')).toThrow(/Unknown loss 'no-such-loss'.*ce, kd, tfkd, dkd, tsd, adversarial, fitnet, at, fsp, nst, vid, ft, sp, rkd, pkt, irg, cc, crd/);
  });

  it.each(lossRegistry.map((d) => d.id))('%s has complete metadata and params inside their ranges', (id) => {
    const definition = getLoss(id);
    expect(definition.formula.length).toBeGreaterThan(10);
    if (definition.family !== 'task') expect(definition.citation).toMatch(/\(\d{4}\)/);
    expect(definition.summary.length).toBeGreaterThan(40);
    expect(definition.defaultWeight).toBeGreaterThan(0);
    for (const param of definition.params) {
      expect(param.default).toBeGreaterThanOrEqual(param.min);
      expect(param.default).toBeLessThanOrEqual(param.max);
      if (param.choices) expect(param.choices.length).toBe(param.max + 1);
    }
  });

  it.each(lossRegistry.map((d) => d.id))('%s formula is valid KaTeX', (id) => {
    expect(() => katex.renderToString(getLoss(id).formula, { throwOnError: true })).not.toThrow();
  });

  it.each(lossRegistry.map((d) => d.id))('%s checkShapes accepts a good wiring and refuses a bad one with a reason', (id) => {
    const definition = getLoss(id);
    const fixture = fixtures[id];
    expect(definition.checkShapes(fixture.good, fixture.params ?? {})).toBeNull();
    const reason = definition.checkShapes(fixture.bad.shapes, fixture.bad.params ?? {});
    expect(reason).toEqual(expect.stringContaining(fixture.bad.mentions));
  });

  it('at accepts different H, W once resize is on', () => {
    const shapes = fixtures.at.bad.shapes;
    expect(getLoss('at').checkShapes(shapes, { resize: 1 })).toBeNull();
  });

  it('fsp names the teacher pair whose spatial sizes differ', () => {
    const reason = getLoss('fsp').checkShapes({ guide1: [4, 4, 2], guide2: [2, 2, 3], guided1: [3, 3, 2], guided2: [3, 3, 3] }, {});
    expect(reason).toMatch(/teacher's FSP layers 'guide1' \(4x4\) and 'guide2' \(2x2\)/);
  });

  it('irg drops the equal-channels rule when its transformation is off, and needs two samples only for edges', () => {
    expect(getLoss('irg').checkShapes(fixtures.irg.bad.shapes, { transformWeight: 0 })).toBeNull();
    expect(getLoss('irg').minBatch?.({})).toBe(2);
    expect(getLoss('irg').minBatch?.({ edgeWeight: 0 })).toBe(1);
  });
});

describe('golden values (numpy, float64)', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_name, goldenCase) => {
    const inputs: LossInputs = {};
    for (const [port, t] of Object.entries(goldenCase.inputs)) inputs[port] = tf.tensor(t.data, t.shape, t.dtype);
    const shapes = Object.fromEntries(Object.entries(goldenCase.inputs).map(([port, t]) => [port, t.shape.slice(1)]));
    const module = moduleFor(goldenCase.lossId, shapes, goldenCase.params);
    const learned = [...(module?.variables ?? []), ...(module?.own?.variables ?? [])];
    goldenCase.module?.forEach((t, i) => learned[i].assign(tf.tensor(t.data, t.shape, t.dtype)));
    const loss = getLoss(goldenCase.lossId).compute(inputs, goldenCase.params, module);
    const [value] = await loss.data();
    loss.dispose();
    module?.dispose();
    disposeInputs(inputs);
    expect(relativeError(value, goldenCase.expected)).toBeLessThan(1e-5);
  });
});

describe('every registry entry: gradients, identity and memory', () => {
  it.each(lossRegistry.map((d) => d.id))('%s: gradients w.r.t. student inputs are finite and non-zero', async (id) => {
    const definition = getLoss(id);
    const fixture = fixtures[id];
    const inputs = makeInputs(fixture.good, 11);
    const ports = studentPorts(id);
    const module = moduleFor(id, fixture.good, fixture.params);
    const grads = tf.grads((...students: tf.Tensor[]) => {
      const replaced = { ...inputs };
      ports.forEach((port, i) => { replaced[port] = students[i]; });
      return definition.compute(replaced, fixture.params ?? {}, module);
    })(ports.map((port) => inputs[port]));
    module?.dispose();
    for (const grad of grads) {
      const values = await grad.data();
      expect(values.every(Number.isFinite)).toBe(true);
      expect(values.some((v) => v !== 0)).toBe(true);
    }
    grads.forEach((g) => g.dispose());
    disposeInputs(inputs);
  });

  const teacherStudentPairs: Record<string, [string, string][]> = {
    kd: [['teacherLogits', 'studentLogits']],
    dkd: [['teacherLogits', 'studentLogits']],
    fitnet: [['guide', 'guided']],
    at: [['guide', 'guided']],
    fsp: [['guide1', 'guided1'], ['guide2', 'guided2']],
    nst: [['guide', 'guided']],
    sp: [['guide', 'guided']],
    rkd: [['guide', 'guided']],
    pkt: [['guide', 'guided']],
    irg: [['teacherLogits', 'studentLogits'], ['guide1', 'guided1'], ['guide2', 'guided2']],
  };
  it.each(Object.keys(teacherStudentPairs))('%s is zero when the student equals the teacher', async (id) => {
    const shapes = { ...fixtures[id].good };
    for (const [teacherPort, studentPort] of teacherStudentPairs[id]) shapes[studentPort] = shapes[teacherPort];
    const inputs = makeInputs(shapes, 5);
    for (const [teacherPort, studentPort] of teacherStudentPairs[id]) {
      inputs[studentPort].dispose();
      inputs[studentPort] = inputs[teacherPort].clone();
    }
    const loss = getLoss(id).compute(inputs, {});
    expect(Math.abs((await loss.data())[0])).toBeLessThan(1e-6);
    loss.dispose();
    disposeInputs(inputs);
  });

  it.each(lossRegistry.map((d) => d.id))('%s leaves no tensors behind, inside and outside tf.tidy', async (id) => {
    const definition = getLoss(id);
    const inputs = makeInputs(fixtures[id].good, 3);
    const start = tf.memory().numTensors;
    const module = moduleFor(id, fixtures[id].good);
    // A module may hold the step's state until the step ends (CRD keeps its embeddings for the memory update).
    definition.compute(inputs, {}, module).dispose();
    const before = tf.memory().numTensors;
    const outside = definition.compute(inputs, {}, module);
    expect(tf.memory().numTensors).toBe(before + 1);
    outside.dispose();
    const inside = tf.tidy(() => definition.compute(inputs, {}, module));
    expect(tf.memory().numTensors).toBe(before + 1);
    inside.dispose();
    tf.tidy(() => { definition.compute(inputs, {}, module); });
    expect(tf.memory().numTensors).toBe(before);
    module?.dispose();
    expect(tf.memory().numTensors).toBe(start);
    disposeInputs(inputs);
  });
});

describe('VID (learned regressor and variances)', () => {
  it('is 1/2 t^2 per element, summed over channels, for a zero regressor and unit variance (hand-computed)', async () => {
    const module = moduleFor('vid', { guide: [1, 1, 2], guided: [1, 1, 3] }) as VidModule;
    for (const variable of module.variables) variable.assign(tf.zerosLike(variable));
    // softplus(alpha) + eps = 1: alpha = log(e^(1 - eps) - 1).
    module.alpha.assign(tf.fill([2], Math.log(Math.expm1(1 - 1e-5))));
    const guide = tf.tensor4d([1, 2, 3, 4], [2, 1, 1, 2]);
    const guided = tf.ones([2, 1, 1, 3]);
    const paper = getLoss('vid').compute({ guide, guided }, {}, module);
    const repdistiller = getLoss('vid').compute({ guide, guided }, { form: 1 }, module);
    // Per image: 1/2 (1 + 4) and 1/2 (9 + 16); the mean over images of the channel sums is 7.5.
    expect((await paper.data())[0]).toBeCloseTo(7.5, 5);
    expect((await repdistiller.data())[0]).toBeCloseTo(7.5 / 2, 5);
    tf.dispose([guide, guided, paper, repdistiller]);
    module.dispose();
  });

  it('starts with variance 5 (RepDistiller) and sends gradients to the regressor, the variances and the student feature only', async () => {
    const shapes = { guide: [3, 3, 4], guided: [3, 3, 2] };
    const module = moduleFor('vid', shapes) as VidModule;
    expect(Array.from(await module.variance().data()).map((v) => Number(v.toFixed(4)))).toEqual([5, 5, 5, 5]);
    const inputs = makeInputs(shapes, 8);
    const { grads } = tf.variableGrads(() => getLoss('vid').compute(inputs, {}, module) as tf.Scalar, module.variables);
    for (const variable of module.variables) {
      const values = await grads[variable.name].data();
      expect(values.every(Number.isFinite) && values.some((v) => v !== 0)).toBe(true);
    }
    const [teacherGrad] = tf.grads((guide: tf.Tensor) => getLoss('vid').compute({ ...inputs, guide }, {}, module))([inputs.guide]);
    // The teacher feature is a fixed target in training (the trainer never differentiates it); its own gradient exists but is not used.
    expect(teacherGrad.shape).toEqual([4, 3, 3, 4]);
    tf.dispose([...Object.values(grads), teacherGrad]);
    disposeInputs(inputs);
    module.dispose();
  });

  it('refuses to run without its module, and refuses features at different positions', () => {
    const inputs = makeInputs(fixtures.vid.good, 2);
    expect(() => getLoss('vid').compute(inputs, {})).toThrow(/learned regressor/);
    expect(() => moduleFor('vid', { guide: [4, 4, 3], guided: [2, 2, 3] })).toThrow(/same H x W/);
    disposeInputs(inputs);
  });
});

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import katex from 'katex';
import { beforeAll, describe, expect, it } from 'vitest';
import { getLoss, lossRegistry } from './registry';
import { disposeInputs, fixtures, makeInputs, relativeError } from './testing';
import type { LossInputs } from './types';

interface GoldenTensor { shape: number[]; dtype: 'float32' | 'int32'; data: number[] }
interface GoldenCase {
  name: string;
  lossId: string;
  params: Record<string, number>;
  expected: number;
  inputs: Record<string, GoldenTensor>;
}

const golden = JSON.parse(readFileSync(new URL('./golden/golden.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function studentPorts(id: string): string[] {
  return getLoss(id).ports.filter((p) => p.side === 'student').map((p) => p.name);
}

describe('loss registry', () => {
  it('lists the ten implemented losses with unique ids', () => {
    expect(lossRegistry.map((d) => d.id)).toEqual(['ce', 'kd', 'tfkd', 'fitnet', 'at', 'fsp', 'nst', 'sp', 'rkd', 'pkt']);
  });

  it('getLoss names the known ids for an unknown one', () => {
    expect(getLoss('kd').label).toContain('KD');
    expect(() => getLoss('vid')).toThrow(/Unknown loss 'vid'.*ce, kd, tfkd, fitnet, at, fsp, nst, sp, rkd, pkt/);
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
});

describe('golden values (numpy, float64)', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_name, goldenCase) => {
    const inputs: LossInputs = {};
    for (const [port, t] of Object.entries(goldenCase.inputs)) inputs[port] = tf.tensor(t.data, t.shape, t.dtype);
    const loss = getLoss(goldenCase.lossId).compute(inputs, goldenCase.params);
    const [value] = await loss.data();
    loss.dispose();
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
    const grads = tf.grads((...students: tf.Tensor[]) => {
      const replaced = { ...inputs };
      ports.forEach((port, i) => { replaced[port] = students[i]; });
      return definition.compute(replaced, fixture.params ?? {});
    })(ports.map((port) => inputs[port]));
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
    fitnet: [['guide', 'guided']],
    at: [['guide', 'guided']],
    fsp: [['guide1', 'guided1'], ['guide2', 'guided2']],
    nst: [['guide', 'guided']],
    sp: [['guide', 'guided']],
    rkd: [['guide', 'guided']],
    pkt: [['guide', 'guided']],
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
    const before = tf.memory().numTensors;
    const outside = definition.compute(inputs, {});
    expect(tf.memory().numTensors).toBe(before + 1);
    outside.dispose();
    const inside = tf.tidy(() => definition.compute(inputs, {}));
    expect(tf.memory().numTensors).toBe(before + 1);
    inside.dispose();
    tf.tidy(() => { definition.compute(inputs, {}); });
    expect(tf.memory().numTensors).toBe(before);
    disposeInputs(inputs);
  });
});

import { describe, expect, it } from 'vitest';
import { buildPresetExperiment } from './presetExperiments';
import type { ExperimentFile, NodeOf } from './schema';
import {
  applySweepValue, describeSweepValues, expandSweep, parseSweepValues, sweepParameterChoices, sweepParameterId,
  type SweepAxis, type SweepParameterChoice,
} from './sweepVariants';
import { sweepProblemMessage, type SweepProblem } from './sweepProblems';
import { validateGraph } from './validate';

const hinton = (): ExperimentFile => buildPresetExperiment('hinton-mnist.json');
/** A result with its problem worded in English, as the headless tools print it. */
const worded = <T extends object>(file: ExperimentFile, result: T | { problem: SweepProblem }): T | { error: string } =>
  'problem' in result ? { error: sweepProblemMessage(result.problem, file) } : result;
const node = <K extends 'loss' | 'trainer' | 'model'>(file: ExperimentFile, id: string, kind: K): NodeOf<K> => {
  const found = file.nodes.find((n) => n.id === id);
  if (found?.kind !== kind) throw new Error(`no ${kind} '${id}'`);
  return found as NodeOf<K>;
};
const choiceOf = (file: ExperimentFile, id: string): SweepParameterChoice => {
  const choice = sweepParameterChoices(file).find((c) => sweepParameterId(c.parameter) === id);
  if (choice === undefined) throw new Error(`no choice ${id}`);
  return choice;
};
const temperature = (values: number[]): SweepAxis => ({ parameter: { kind: 'lossParam', nodeId: 'kd', key: 'T' }, symbol: 'T', values });

describe('sweep parameters', () => {
  it('offers the loss parameters and weights, the learning rate and the student width, not the teacher', () => {
    const ids = sweepParameterChoices(hinton()).map((c) => sweepParameterId(c.parameter));
    expect(ids).toEqual(expect.arrayContaining(['lossParam:kd:T', 'lossWeight:kd', 'lossWeight:ce', 'learningRate:trainer', 'width:student']));
    expect(ids).not.toContain('width:teacher');
    expect(choiceOf(hinton(), 'lossParam:kd:T').current).toBe(20);
  });

  it('patches one node and leaves the file it came from alone', () => {
    const file = hinton();
    const hotter = applySweepValue(file, { kind: 'lossParam', nodeId: 'kd', key: 'T' }, 4);
    expect(node(hotter, 'kd', 'loss').params.params.T).toBe(4);
    expect(node(file, 'kd', 'loss').params.params.T).toBe(20);
    expect(node(applySweepValue(file, { kind: 'lossWeight', nodeId: 'ce' }, 0.5), 'ce', 'loss').params.weight).toBe(0.5);
    expect(node(applySweepValue(file, { kind: 'learningRate', nodeId: null }, 0.01), 'trainer', 'trainer').params.learningRate).toBe(0.01);
  });

  it('scales the student\'s hidden widths and keeps its logits', () => {
    const narrow = applySweepValue(hinton(), { kind: 'width', nodeId: 'student' }, 0.5);
    const units = node(narrow, 'student', 'model').params.architecture.layers.flatMap((l) => (l.kind === 'dense' ? [l.units] : []));
    expect(units).toEqual([400, 400, 10]);
    expect(validateGraph(narrow).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('sweeps a pruning trainer\'s target sparsity (accuracy against sparsity), within the pruning limits, and only where it prunes', () => {
    const file = buildPresetExperiment('prune-kd-mnist.json');
    const ids = sweepParameterChoices(file).map((c) => sweepParameterId(c.parameter));
    expect(ids).toContain('pruningTarget:stage-prune');
    expect(ids).not.toContain('pruningTarget:stage-tune');
    expect(choiceOf(file, 'pruningTarget:stage-prune').current).toBe(0.9);
    const sparser = applySweepValue(file, { kind: 'pruningTarget', nodeId: 'stage-prune' }, 0.95);
    expect(node(sparser, 'stage-prune', 'trainer').params.pruning).toMatchObject({ method: 'magnitude', targetSparsity: 0.95, schedule: 'gradual' });
    expect(node(file, 'stage-prune', 'trainer').params.pruning?.targetSparsity).toBe(0.9);
    expect(() => applySweepValue(file, { kind: 'pruningTarget', nodeId: 'stage-tune' }, 0.5)).toThrowError('has no pruningTarget');
    const choice = choiceOf(file, 'pruningTarget:stage-prune');
    expect(parseSweepValues(file, choice, '0.5, 0.8 0.95')).toEqual({ values: [0.5, 0.8, 0.95] });
    expect(worded(file, parseSweepValues(file, choice, '0.5, 1'))).toEqual({ error: 'A target sparsity is 0 to 0.99, not 1.' });
    const sweep = expandSweep(file, [{ parameter: choice.parameter, symbol: 'sparsity', values: [0.5, 0.8] }]);
    expect('variants' in sweep && sweep.variants.map((v) => node(v.experiment, 'stage-prune', 'trainer').params.pruning?.targetSparsity)).toEqual([0.5, 0.8]);
  });

  it('refuses a node that is missing or of another kind', () => {
    expect(() => applySweepValue(hinton(), { kind: 'lossWeight', nodeId: 'nowhere' }, 1)).toThrowError('not in the graph');
    expect(() => applySweepValue(hinton(), { kind: 'lossWeight', nodeId: 'trainer' }, 1)).toThrowError('has no lossWeight');
  });

  it('offers only the layers a guide can tap without a graph error', () => {
    const file = buildPresetExperiment('fitnet-mnist.json');
    const choice = choiceOf(file, 'tapLayer:guide-relu4');
    // The hint must keep the guided layer's 7 x 7 size: the teacher's last block, not its first.
    expect(choice.layerChoices).toEqual(['pool2', 'conv4', 'bn4', 'relu4']);
    for (const layerId of choice.layerChoices ?? []) {
      const variant = applySweepValue(file, choice.parameter, layerId);
      expect(validateGraph(variant).filter((p) => p.severity === 'error'), layerId).toEqual([]);
    }
    expect(worded(file, parseSweepValues(file, choice, 'no-such-layer'))).toEqual({ error: expect.stringContaining('not a layer this tap can take') });
  });
});

describe('sweep values', () => {
  const file = hinton();

  it('reads a list separated by commas or spaces', () => {
    expect(parseSweepValues(file, choiceOf(file, 'lossParam:kd:T'), '1, 4 20')).toEqual({ values: [1, 4, 20] });
  });

  it('names the first value out of range, not a number, or repeated', () => {
    const t = choiceOf(file, 'lossParam:kd:T');
    // As data, for the page to word in its language.
    expect(parseSweepValues(file, t, '4, 0')).toEqual({ problem: { code: 'lossParamRange', nodeId: 'kd', key: 'T', min: expect.any(Number), max: expect.any(Number), value: 0 } });
    expect(parseSweepValues(file, t, ' ')).toEqual({ problem: { code: 'noValues', symbol: 'T' } });
    expect(worded(file, parseSweepValues(file, t, '4, 0'))).toEqual({ error: expect.stringMatching(/takes .* not 0/) });
    expect(worded(file, parseSweepValues(file, t, '4, hot'))).toEqual({ error: "'hot' is not a number." });
    expect(worded(file, parseSweepValues(file, t, '4, 4'))).toEqual({ error: '4 is listed twice.' });
    expect(worded(file, parseSweepValues(file, t, ' '))).toEqual({ error: 'Give T at least one value.' });
    expect(worded(file, parseSweepValues(file, choiceOf(file, 'learningRate:trainer'), '0.01, -1'))).toEqual({ error: expect.stringContaining('not -1') });
    expect(worded(file, parseSweepValues(file, choiceOf(file, 'lossWeight:kd'), '-0.5'))).toEqual({ error: expect.stringContaining('0 or more') });
  });
});

describe('expanding a sweep', () => {
  it('makes one validated variant per value, in order', () => {
    const result = expandSweep(hinton(), [temperature([2, 8])]);
    if (!('variants' in result)) throw new Error(sweepProblemMessage(result.problem, hinton()));
    expect(result.variants.map((v) => v.values)).toEqual([[2], [8]]);
    expect(result.variants.map((v) => node(v.experiment, 'kd', 'loss').params.params.T)).toEqual([2, 8]);
  });

  it('makes a grid of two parameters, the first varying slowest', () => {
    const lr: SweepAxis = { parameter: { kind: 'learningRate', nodeId: 'trainer' }, symbol: 'lr', values: [0.001, 0.01] };
    const result = expandSweep(hinton(), [temperature([2, 8, 20]), lr]);
    if (!('variants' in result)) throw new Error(sweepProblemMessage(result.problem, hinton()));
    expect(result.variants.map((v) => v.values)).toEqual([[2, 0.001], [2, 0.01], [8, 0.001], [8, 0.01], [20, 0.001], [20, 0.01]]);
    const last = result.variants[5].experiment;
    expect([node(last, 'kd', 'loss').params.params.T, node(last, 'trainer', 'trainer').params.learningRate]).toEqual([20, 0.01]);
  });

  it('refuses one run, too many, the same parameter twice, and a variant the graph check rejects', () => {
    expect(worded(hinton(), expandSweep(hinton(), [temperature([4])]))).toEqual({ error: expect.stringContaining('at least two runs') });
    const many = Array.from({ length: 25 }, (_, i) => i + 1);
    expect(worded(hinton(), expandSweep(hinton(), [temperature(many)]))).toEqual({ error: expect.stringContaining('25 runs') });
    expect(worded(hinton(), expandSweep(hinton(), [temperature([2, 4]), temperature([8])]))).toEqual({ error: expect.stringContaining('the same') });
    // Both weights 0: the trainer has nothing to minimise.
    const zero = (nodeId: string): SweepAxis => ({ parameter: { kind: 'lossWeight', nodeId }, symbol: nodeId, values: [0, 1] });
    expect(worded(hinton(), expandSweep(hinton(), [zero('ce'), zero('kd')]))).toEqual({ error: expect.stringMatching(/^With ce = 0, kd = 0: Distil: /) });
  });

  it('names a run\'s values', () => {
    expect(describeSweepValues([{ symbol: 'T' }, { symbol: 'lr' }], [4, 0.01])).toBe('T = 4, lr = 0.01');
  });
});

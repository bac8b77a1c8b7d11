import { describe, expect, it } from 'vitest';
import { buildPresetExperiment } from '../../src/graph/presetExperiments';
import { sweepProblemMessage, type SweepProblem } from '../../src/graph/sweepProblems';
import { validateGraph } from '../../src/graph/validate';
import { sweepProblemText } from './sweepProblemText';

const file = buildPresetExperiment('hinton-mnist.json');
// A graph problem from a real check: the Hinton graph with its dataset removed.
const graphProblem = validateGraph({ ...file, nodes: file.nodes.filter((node) => node.kind !== 'dataset') }).find((p) => p.severity === 'error');

/** One problem of every code (the Record's type makes a new code a type error here until it is added). */
const everyCode: Record<SweepProblem['code'], SweepProblem> = {
  noValues: { code: 'noValues', symbol: 'T' },
  notANumber: { code: 'notANumber', entry: 'hot' },
  listedTwice: { code: 'listedTwice', entry: '4' },
  notATapLayer: { code: 'notATapLayer', entry: 'conv9', layers: ['pool2', 'conv4'] },
  noSuchLossParam: { code: 'noSuchLossParam', key: 'beta' },
  lossParamRange: { code: 'lossParamRange', nodeId: 'kd', key: 'T', min: 1, max: 100, value: 0 },
  lossParamWhole: { code: 'lossParamWhole', nodeId: 'kd', key: 'T', value: 2.5 },
  lossWeightRange: { code: 'lossWeightRange', value: -1 },
  learningRateRange: { code: 'learningRateRange', max: 10, value: 20 },
  widthRange: { code: 'widthRange', max: 8, value: 0 },
  pruningTargetRange: { code: 'pruningTargetRange', min: 0, max: 0.99, value: 1 },
  axisCount: { code: 'axisCount' },
  sameParameter: { code: 'sameParameter' },
  tooFewRuns: { code: 'tooFewRuns' },
  tooManyRuns: { code: 'tooManyRuns', count: 25, max: 24 },
  variantInvalid: { code: 'variantInvalid', values: 'ce = 0, kd = 0', nodeLabel: 'Distil', problem: graphProblem! },
  notApplied: { code: 'notApplied', message: "The swept node 'x' is not in the graph." },
};

describe('sweep problems on the page', () => {
  it('come from a real graph check', () => {
    expect(graphProblem).toBeDefined();
  });

  it.each(Object.values(everyCode))('$code: English is the core\'s text, Chinese is written in Chinese', (problem) => {
    expect(sweepProblemText(problem, file, 'en')).toBe(problem.code === 'notApplied'
      ? `The value could not be applied: ${problem.message}` : sweepProblemMessage(problem, file));
    const zh = sweepProblemText(problem, file, 'zh');
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    // No English words besides what the problem echoes (the user's entries, layer ids, node labels).
    const echoed = Object.values(problem).flatMap((value) => (Array.isArray(value) ? value : [value])).filter((value): value is string => typeof value === 'string' && value !== problem.code);
    const rest = echoed.reduce((text, value) => text.split(value).join(''), zh);
    if (problem.code !== 'variantInvalid' && problem.code !== 'notApplied') expect(rest).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('names a loss parameter by its Chinese block text', () => {
    const text = sweepProblemText(everyCode.lossParamRange, file, 'zh');
    expect(text).toContain('温度');
    expect(text).not.toContain('Temperature');
  });
});

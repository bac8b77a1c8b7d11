import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/protocol';
import type { PhaseKind, TrainingPlan } from '../../src/train/plan';
import {
  accuracyDomain, accuracyKey, accuracyRows, argmax, fspDistanceRows, fspSeries, latestValue, logDomain, lossTermLabels, magnitudeSpread,
  phaseTabs, positiveRows, probabilityCeiling, softmaxWithTemperature,
} from './chartData';

describe('softmaxWithTemperature', () => {
  it('matches a hand-computed case and flattens as T grows', () => {
    // softmax([ln 1, ln 3]) = [1/4, 3/4]
    const p = softmaxWithTemperature([0, Math.log(3)], 1);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    // At T = 2 the logits halve: [1, sqrt 3] / (1 + sqrt 3).
    const soft = softmaxWithTemperature([0, Math.log(3)], 2);
    expect(soft[1]).toBeCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)), 12);
  });

  it('stays finite for large logits', () => {
    const p = softmaxWithTemperature([1000, 999], 1);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});

describe('accuracyRows', () => {
  const epoch = (modelId: string, test: number, kind: EpochMetrics['kind'] = 'student'): EpochMetrics => ({
    type: 'epoch', phaseId: `phase-of-${modelId}`, kind, modelId, stageIndex: 0, epoch: 1, trainAccuracy: test + 0.1, validationAccuracy: test, testAccuracy: test,
  });

  it('counts epochs within each model and reports percent', () => {
    const rows = accuracyRows({ teacher: [epoch('teacher', 0.5, 'teacher'), epoch('teacher', 0.75, 'teacher')], student: [epoch('student', 0.25)] });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ epoch: 1, 'test:teacher': 50, 'test:student': 25 });
    expect(rows[1]).toEqual({ epoch: 2, 'test:teacher': 75, 'train:teacher': 85 });
  });

  it('gives two peers trained in one phase a series each', () => {
    const rows = accuracyRows({ 'peer-a': [epoch('peer-a', 0.5), epoch('peer-a', 0.6)], 'peer-b': [epoch('peer-b', 0.4), epoch('peer-b', 0.7)] });
    expect(rows.map((row) => [row[accuracyKey('peer-a', 'test')], row[accuracyKey('peer-b', 'test')]])).toEqual([[50, 40], [60, 70]]);
    expect(rows[1][accuracyKey('peer-b', 'train')]).toBeCloseTo(80, 12);
  });
});

describe('fspDistanceRows', () => {
  it('keys distances by phase so the baseline and distillation lines stay apart', () => {
    const history = {
      'baseline:student': [{ step: 5, distances: { f: 0.5 } }],
      'distill:trainer': [{ step: 5, distances: { f: 0.25 } }],
    };
    expect(fspDistanceRows(history)).toEqual([{ step: 5, 'baseline:student|f': 0.5 }, { step: 5, 'distill:trainer|f': 0.25 }]);
    expect(fspSeries(history)).toEqual([
      { key: 'baseline:student|f', phaseId: 'baseline:student', pairId: 'f' },
      { key: 'distill:trainer|f', phaseId: 'distill:trainer', pairId: 'f' },
    ]);
  });
});

describe('phaseTabs', () => {
  const phase = (id: string, kind: PhaseKind, label: string, frozen: string[] = [], trains: string[] = [id]) =>
    ({ id, kind, label, trains, frozen, teachers: {}, stages: [], augmentShift: 0 });
  const plan = {
    phases: [
      phase('teacher:t', 'teacher', 'Teacher', [], ['t']),
      phase('baseline:s', 'baseline', 'Baseline'),
      phase('distill:a', 'student', 'Assistant', ['t'], ['a']),
      phase('distill:s', 'student', 'Student', ['a'], ['s']),
    ],
  } as unknown as TrainingPlan;
  const series = (phaseId: string, kind: PhaseKind, label: string, points = 1) =>
    ({ phaseId, kind, label, stride: 1, points: Array.from({ length: points }, (_, step) => ({ step, epoch: 1, total: 1, terms: {}, metrics: {} })) });

  it('lists the selected phases with what a distillation needs, marking those with data', () => {
    const tabs = phaseTabs(plan, { teacher: false, baseline: false, student: true }, { 'teacher:t': series('teacher:t', 'teacher', 'Teacher') });
    expect(tabs.map((tab) => [tab.phaseId, tab.label, tab.hasData])).toEqual([
      ['teacher:t', 'Teacher', true], ['distill:a', 'Assistant', false], ['distill:s', 'Student', false],
    ]);
  });

  it('falls back to the series alone without a plan', () => {
    expect(phaseTabs(null, null, { x: series('x', 'student', 'Peers', 0) })).toEqual([{ phaseId: 'x', kind: 'student', label: 'Peers', hasData: false }]);
  });
});

describe('lossTermLabels', () => {
  it('names terms from the plan, then the graph, and cross-entropy terms as such', () => {
    const plan = {
      phases: [{ stages: [{ terms: [{ term: { nodeId: 'ce:teacher', label: 'Cross-entropy' } }, { term: { nodeId: 'kd', label: 'KD (plan)' } }] }] }],
    } as unknown as TrainingPlan;
    const labelOf = lossTermLabels(plan, [{ id: 'kd', label: 'KD (graph)' }, { id: 'at', label: 'Attention' }]);
    expect(['ce:teacher', 'kd', 'at', 'ce:student/baseline', 'other'].map(labelOf)).toEqual(['Cross-entropy', 'KD (plan)', 'Attention', 'Cross-entropy', 'other']);
    expect(lossTermLabels(plan, [], '交叉熵')('ce:student/baseline')).toBe('交叉熵');
  });
});

describe('accuracyDomain', () => {
  it('zooms onto values in the 90s instead of showing 0-100%', () => {
    // min 92, max 98.5, pad = max(1, 6.5 * 0.15) = 1: [floor(91 / 5) * 5, ceil(99.5 / 5) * 5] = [90, 100]
    expect(accuracyDomain([{ epoch: 1, teacherTest: 98.5, studentTest: 92 }])).toEqual([90, 100]);
  });

  it('keeps a low, wide spread inside [0, 100] and ignores the epoch column', () => {
    // min 8, max 26, pad = 2.7: [floor(5.3 / 5) * 5, ceil(28.7 / 5) * 5] = [5, 30]
    expect(accuracyDomain([{ epoch: 40, a: 26, b: 8 }])).toEqual([5, 30]);
    expect(accuracyDomain([{ epoch: 1, a: 0.5 }])).toEqual([0, 5]);
    expect(accuracyDomain([])).toEqual([0, 100]);
  });
});

describe('latestValue and argmax', () => {
  it('finds the last row that has the key', () => {
    expect(latestValue([{ epoch: 1, a: 3 }, { epoch: 2, a: 4 }, { epoch: 3 }], 'a')).toBe(4);
    expect(latestValue([{ epoch: 1 }], 'a')).toBeNull();
  });

  it('returns the first index of the maximum', () => {
    expect(argmax([0.1, 0.7, 0.2, 0.7])).toBe(1);
    expect(argmax([])).toBe(-1);
  });
});

describe('magnitudeSpread', () => {
  it('measures orders of magnitude between series medians, robust to one spike', () => {
    const rows = [
      { step: 1, total: 2, at: 0.002 },
      { step: 2, total: 3, at: 0.5 },
      { step: 3, total: 2, at: 0.002 },
    ];
    // medians: total 2, at 0.002 -> log10(1000) = 3
    expect(magnitudeSpread(rows, ['total', 'at'])).toBeCloseTo(3, 12);
    expect(magnitudeSpread(rows, ['total'])).toBe(0);
  });
});

describe('positiveRows', () => {
  it('turns values a log axis cannot show into gaps and keeps the step', () => {
    expect(positiveRows([{ step: 0, total: 1.5, kd: 0, at: -1 }])).toEqual([{ step: 0, total: 1.5, kd: null, at: null }]);
  });
});

describe('probabilityCeiling', () => {
  it('rounds the largest probability up to a tenth, or a hundredth below 10%', () => {
    expect(probabilityCeiling([0.13, 0.05], [0.11])).toBeCloseTo(0.2, 12);
    expect(probabilityCeiling([0.3])).toBeCloseTo(0.3, 12);
    expect(probabilityCeiling([0.097, 0.0903])).toBeCloseTo(0.1, 12);
    expect(probabilityCeiling([0.999])).toBe(1);
    expect(probabilityCeiling([0, 0])).toBe(1);
  });
});

describe('logDomain', () => {
  it('covers every positive value with whole decades', () => {
    expect(logDomain([{ step: 1, total: 4.6, ce: 0.24 }, { step: 2, total: 3.4, ce: 0.2, kd: 0 }], ['total', 'ce', 'kd'])).toEqual([0.1, 10]);
    expect(logDomain([{ step: 1, total: 1 }], ['total'])).toEqual([1, 10]);
    expect(logDomain([{ step: 1, total: 0 }], ['total'])).toEqual([0.1, 1]);
  });
});

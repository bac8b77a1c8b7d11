import { describe, expect, it } from 'vitest';
import { withGuidancePairing } from '../../src/graph/guidancePaths';
import { createNode } from '../../src/graph/factory';
import { TestGraph, tinyMlp } from '../../src/graph/testFixtures';
import type { GuidanceWorkerMessage } from '../../src/protocol';
import { spread } from '../../src/seedStatistics';
import type { GuidanceReport, GuidanceResult } from '../../src/train/guidanceSearch';
import {
  applyGuidanceMessage, crashedGuidance, currentRunText, drawnPairing, formatSpread, idleGuidance, searchFraction, startedGuidance,
  type GuidanceSearchState,
} from './guidanceState';
import { guidanceTexts } from '../i18n/catalogs/guidance';

const result = (index: number): GuidanceResult => ({
  rank: 0, index, teacherLayerId: `t${index}`, studentLayerId: `s${index}`, teacherShape: [4], studentShape: [4], adapter: 'dense',
  current: index === 0, runs: [], validation: spread([0.9]), test: spread([0.8]), withinSpreadOfBest: null, error: null,
});

const run = (index: number, seedOffset = 0, seeds = 1): GuidanceWorkerMessage => ({
  type: 'pairing', searchId: 's1',
  progress: { type: 'run', index, total: 3, seedOffset, seeds, teacherLayerId: `t${index}`, studentLayerId: `s${index}` },
});

const fold = (state: GuidanceSearchState, messages: GuidanceWorkerMessage[]): GuidanceSearchState => messages.reduce(applyGuidanceMessage, state);

describe('guidance search state', () => {
  it('folds the worker messages into progress, the pairings done so far and the report', () => {
    let state = fold(startedGuidance('s1', 'hint', 4), [
      { type: 'backend', searchId: 's1', backend: 'wasm', reason: 'chosen' },
      run(0),
      { type: 'step', searchId: 's1', phaseLabel: 'Teacher', fractionDone: 0.5 },
    ]);
    expect(state).toMatchObject({ status: 'running', lossNodeId: 'hint', generation: 4, backend: { name: 'wasm' }, step: { fractionDone: 0.5 } });
    expect(currentRunText(state.current!, guidanceTexts.en)).toBe('Pairing 1 of 3: teacher t0 → student s0');
    expect(currentRunText(state.current!, guidanceTexts.zh)).toBe('第 1 种配对，共 3 种：教师 t0 → 学生 s0');
    expect(searchFraction(state)).toBeCloseTo(0.5 / 3, 12);

    state = fold(state, [
      { type: 'pairing', searchId: 's1', progress: { type: 'candidate', index: 0, total: 3, result: result(0) } },
      run(1),
      { type: 'log', searchId: 's1', message: 'teacher retrained' },
    ]);
    // A new run resets the step: its fraction is of the new run.
    expect(state.step).toBeNull();
    expect(state.finished.map((r) => r.index)).toEqual([0]);
    expect(state.warnings).toEqual(['teacher retrained']);
    expect(searchFraction(state)).toBeCloseTo(1 / 3, 12);

    const report = { ranked: [result(0)], notes: ['No baseline was trained'] } as unknown as GuidanceReport;
    state = applyGuidanceMessage(state, { type: 'report', searchId: 's1', report });
    expect(state).toMatchObject({ status: 'done', report, current: null, step: null });
    expect(searchFraction(state)).toBe(1);
    // Once done, nothing more changes it, not even a crash of the worker being closed.
    expect(applyGuidanceMessage(state, run(2))).toBe(state);
    expect(crashedGuidance(state, 'gone')).toBe(state);
  });

  it('ignores messages of another search and counts seeds in the progress', () => {
    const state = startedGuidance('s1', 'hint', 0);
    expect(applyGuidanceMessage(state, { ...run(0), searchId: 'old' })).toBe(state);
    expect(applyGuidanceMessage(idleGuidance(), run(0)).current).toBeNull();
    const seeded = applyGuidanceMessage(state, run(1, 1, 2));
    expect(currentRunText(seeded.current!, guidanceTexts.en)).toBe('Pairing 2 of 3: teacher t1 → student s1 (seed 2 of 2)');
    expect(searchFraction(seeded)).toBeCloseTo(3 / 6, 12);
  });

  it('ends with the error and what to do: a refused request, an internal failure or a crashed worker', () => {
    const failed = applyGuidanceMessage(startedGuidance('s1', 'hint', 0), { type: 'failed', searchId: 's1', kind: 'request', message: 'Fix the experiment' });
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'request', message: 'Fix the experiment' } });
    const crashed = crashedGuidance({ ...startedGuidance('s1', 'hint', 0), status: 'stopping' }, 'out of memory');
    expect(crashed.status).toBe('failed');
    expect(crashed.error).toMatchObject({ kind: 'crash' });
    expect(crashed.error!.message).toMatch(/crashed: out of memory\. Your graph is kept; search again/);
  });

  it('reads the pairing drawn now, which follows an applied pairing', () => {
    const graph = new TestGraph();
    graph.add(createNode('dataset', { id: 'dataset' }));
    graph.model('teacher', 'teacher', tinyMlp);
    graph.model('student', 'student', tinyMlp);
    graph.trainer('trainer', 'Hints');
    graph.crossEntropy('ce', 'student', 'trainer');
    graph.pairLoss('hint', 'fitnet', 'relu', 'relu');
    expect(drawnPairing(graph.file, 'hint')).toBe('relu>relu');
    expect(drawnPairing(withGuidancePairing(graph.file, 'hint', 'fc', 'relu'), 'hint')).toBe('fc>relu');
    expect(drawnPairing(graph.file, 'ce')).toBeNull();
  });

  it('formats accuracies as the table shows them', () => {
    expect(formatSpread(spread([0.952]))).toBe('95.20%');
    expect(formatSpread(spread([0.95, 0.96]))).toBe('95.50 ± 0.71%');
    expect(formatSpread(null)).toBe('--');
  });
});

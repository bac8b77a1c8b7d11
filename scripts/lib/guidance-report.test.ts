import { describe, expect, it } from 'vitest';
import { spread } from '../../src/seedStatistics';
import type { GuidanceReport, GuidanceResult } from '../../src/train/guidanceSearch';
import { parseGuidanceArgs } from '../guidance';
import { formatAccuracy, formatGuidanceReport, formatProgress } from './guidance-report';

const result = (overrides: Partial<GuidanceResult>): GuidanceResult => ({
  rank: 1, index: 0, teacherLayerId: 'relu4', studentLayerId: 'pool2', teacherShape: [7, 7, 16], studentShape: [7, 7, 8], adapter: 'conv1x1',
  current: true, runs: [{ seedOffset: 0, seed: 1, validationAccuracy: 0.9, testAccuracy: 0.8, seconds: 12 }],
  validation: spread([0.9]), test: spread([0.8]), withinSpreadOfBest: null, error: null, ...overrides,
});

const report = (ranked: GuidanceResult[], seeds = 1): GuidanceReport => ({
  experimentName: 'FitNet', backend: 'cpu', lossNodeId: 'hint', lossId: 'fitnet', teacherModelId: 'teacher', studentModelId: 'student',
  totalPairs: 65, candidates: 2, rejected: [], seeds, layers: 'all',
  data: { trainSubset: 500, validationSize: 200, testSubset: 500, epochs: 1, teacherEpochs: null },
  teacher: { validationAccuracy: 0.95, testAccuracy: 0.94 }, ranked, stopped: false, notes: ['No baseline was trained.'],
});

describe('guidance report', () => {
  it('prints a ranked table with the drawn pairing marked, failures and the notes', () => {
    const text = formatGuidanceReport(report([
      result({}),
      result({ rank: 2, index: 1, teacherLayerId: 'relu5', studentLayerId: 'flatten', teacherShape: [128], studentShape: [392], adapter: 'dense', current: false, validation: null, test: null, error: 'The loss diverged.' }),
    ]));
    expect(text).toContain("2 of 65 pairings, 1 seed each, network that learns: 'student'");
    expect(text).toContain("Teacher 'teacher': validation 95.00%  test 94.00%");
    expect(text).toMatch(/1 {2}relu4 \[7, 7, 16\] +pool2 \[7, 7, 8\] +conv1x1 +90\.00% +80\.00% +\(as drawn\)/);
    expect(text).toMatch(/2 {2}relu5 \[128\] +flatten \[392\] +dense +failed/);
    expect(text).toContain('relu5 -> flatten failed: The loss diverged.');
    expect(text).toContain('Note: No baseline was trained.');
  });

  it('shows mean ± sd and the comparison with the best over several seeds', () => {
    const best = result({ validation: spread([0.9, 0.92]), test: spread([0.8, 0.8]), withinSpreadOfBest: true });
    expect(formatAccuracy(best.validation)).toBe('91.00 ± 1.41%');
    const text = formatGuidanceReport(report([best], 2));
    expect(text).toMatch(/vs best/);
    expect(text).toMatch(/≈ best/);
    expect(formatProgress({ type: 'run', index: 2, total: 12, seedOffset: 1, seeds: 2, teacherLayerId: 'a', studentLayerId: 'b' }))
      .toBe('[3/12] training teacher a -> student b (seed +1)...');
    expect(formatProgress({ type: 'candidate', index: 0, total: 12, result: best })).toBe('[1/12] relu4 -> pool2: validation 91.00 ± 1.41%  test 80.00 ± 0.00%  (12 s)');
  });

  it('parses the command line, refusing what it cannot use', () => {
    const options = parseGuidanceArgs(['x.json', '--loss', 'hint', '--train-subset=all', '--seeds', '3', '--max', '5', '--layers', 'blocks', '--epochs', '1']);
    expect(options).toMatchObject({ file: 'x.json', loss: 'hint', backend: 'cpu', search: { trainSubset: null, seeds: 3, maxCandidates: 5, layers: 'blockOutputs', epochs: 1 } });
    expect(() => parseGuidanceArgs(['x.json'])).toThrowError(/--loss <nodeId>/);
    expect(() => parseGuidanceArgs(['x.json', '--loss', 'hint', '--seeds', '0'])).toThrowError(/--seeds needs a whole number >= 1/);
    expect(() => parseGuidanceArgs(['x.json', '--loss', 'hint', '--layers', 'some'])).toThrowError(/all or blocks/);
  });
});

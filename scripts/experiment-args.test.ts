import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../src/graph/compile';
import { buildPresetExperiment } from '../src/graph/presetExperiments';
import { applyOverrides, parseExperimentArgs } from './experiment';

const none = { epochs: null, studentSeed: null, trainSubset: undefined, testSubset: undefined } as const;

describe('headless runner arguments', () => {
  it('parses the options, with values after the flag or after =', () => {
    const options = parseExperimentArgs(['x.json', '--epochs', '3', '--student-seed=0', '--train-subset', 'all', '--only', 'baseline,student']);
    expect(options).toMatchObject({
      file: 'x.json', epochs: 3, studentSeed: 0, trainSubset: null, runs: { teacher: false, baseline: true, student: true },
    });
    expect(parseExperimentArgs(['x.json']).studentSeed).toBeNull();
  });

  it('reads the shipped pretrained teachers unless told otherwise', () => {
    expect(parseExperimentArgs(['x.json']).pretrained).toMatch(/public[\\/]teachers$/);
    expect(parseExperimentArgs(['x.json', '--pretrained', 'off']).pretrained).toBeNull();
    expect(parseExperimentArgs(['x.json', '--pretrained=elsewhere']).pretrained).toBe('elsewhere');
    expect(() => parseExperimentArgs(['x.json', '--teacher-cache', 'off', '--pretrained=elsewhere'])).toThrowError(/drop one of them/);
  });

  it('refuses malformed values with the flag named', () => {
    for (const value of ['-1', '1.5', 'seven', String(2 ** 31)]) {
      expect(() => parseExperimentArgs(['x.json', '--student-seed', value]))
        .toThrowError(`--student-seed needs a whole number from 0 to 2^31 - 1, got '${value}'.`);
    }
    expect(() => parseExperimentArgs(['x.json', '--epochs', '0'])).toThrowError("--epochs needs a whole number >= 1, got '0'.");
    expect(() => parseExperimentArgs(['x.json', '--seed', '1'])).toThrowError(/^Unknown option '--seed'/);
  });
});

describe('applyOverrides', () => {
  const preset = buildPresetExperiment('cnn-mnist-at-full.json');
  const plain = compileExperiment(applyOverrides(preset, none));

  it('--student-seed reseeds every student stage and the baseline, and keeps the same cached teacher', () => {
    const reseeded = compileExperiment(applyOverrides(preset, { ...none, studentSeed: 7 }));
    expect(reseeded.stages.map((stage) => stage.settings.seed)).toEqual([7, 7]);
    expect(reseeded.baseline.seed).toBe(7);
    expect(reseeded.teacher.settings.seed).toBe(plain.teacher.settings.seed);
    expect(reseeded.teacher.cacheKey).toBe(plain.teacher.cacheKey);
    expect(plain.stages.map((stage) => stage.settings.seed)).toEqual([1, 1]);
  });

  it('--epochs sets every trainer and the teacher; subsets reach the dataset; the file itself is untouched', () => {
    const short = compileExperiment(applyOverrides(preset, { ...none, epochs: 2, trainSubset: 500, testSubset: null }));
    expect(short.stages.map((stage) => stage.settings.epochs)).toEqual([2, 2]);
    expect(short.baseline.epochs).toBe(4);
    expect(short.teacher.settings.epochs).toBe(2);
    expect(short.dataset).toMatchObject({ trainSubset: 500, testSubset: null });
    expect(short.teacher.cacheKey).not.toBe(plain.teacher.cacheKey);
    expect(compileExperiment(preset)).toEqual(plain);
  });
});

import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../src/graph/compile';
import { buildPresetExperiment } from '../src/graph/presetExperiments';
import type { ExperimentFile, TrainerSettings } from '../src/graph/schema';
import type { PhaseKind, TrainingPlan } from '../src/train/plan';
import { applyOverrides, exportableModel, parseExperimentArgs } from './experiment';

const none = { epochs: null, studentSeed: null, trainSubset: undefined, testSubset: undefined } as const;

/** Per phase kind, each phase's stage values (`pick`), in plan order. */
const stagesOf = (plan: TrainingPlan, kind: PhaseKind, pick: (settings: TrainerSettings) => number): number[][] =>
  plan.phases.filter((phase) => phase.kind === kind).map((phase) => phase.stages.map((stage) => pick(stage.settings)));
const seedOf = (plan: TrainingPlan, modelId: string): number | undefined => plan.models.find((model) => model.id === modelId)?.seed;
const cacheKeys = (plan: TrainingPlan): (string | undefined)[] => plan.phases.filter((phase) => phase.kind === 'teacher').map((phase) => phase.cacheKey);

describe('headless runner arguments', () => {
  it('parses the options, with values after the flag or after =', () => {
    const options = parseExperimentArgs(['x.json', '--epochs', '3', '--student-seed=0', '--train-subset', 'all', '--only', 'baseline,student']);
    expect(options).toMatchObject({
      file: 'x.json', epochs: 3, studentSeed: 0, trainSubset: null, runs: { teacher: false, baseline: true, student: true },
    });
    expect(parseExperimentArgs(['x.json']).studentSeed).toBeNull();
    expect(parseExperimentArgs(['x.json', '--only', 'teacher']).runs).toEqual({ teacher: true, baseline: false, student: false });
    expect(parseExperimentArgs(['x.json', '--onnx', 'a.onnx', '--model', 'student/baseline']))
      .toMatchObject({ onnx: 'a.onnx', exportModel: 'student/baseline' });
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
    expect(() => parseExperimentArgs(['x.json', '--only', 'teacher,assistant'])).toThrowError("--only takes teacher, baseline and/or student, got 'assistant'.");
    expect(() => parseExperimentArgs(['x.json', '--model', 'student'])).toThrowError('--model chooses what --onnx or --bundle export');
  });
});

describe('applyOverrides', () => {
  const preset = buildPresetExperiment('cnn-mnist-at-full.json');
  const plain = compileExperiment(applyOverrides(preset, none));

  it('--student-seed reseeds every phase but the teachers\', and keeps the same cached teacher', () => {
    const reseeded = compileExperiment(applyOverrides(preset, { ...none, studentSeed: 7 }));
    expect(stagesOf(reseeded, 'student', (s) => s.seed)).toEqual([[7, 7]]);
    expect(stagesOf(reseeded, 'baseline', (s) => s.seed)).toEqual([[7]]);
    expect([seedOf(reseeded, 'student'), seedOf(reseeded, 'student/baseline')]).toEqual([7, 7]);
    expect(stagesOf(reseeded, 'teacher', (s) => s.seed)).toEqual(stagesOf(plain, 'teacher', (s) => s.seed));
    expect(seedOf(reseeded, 'teacher')).toBe(seedOf(plain, 'teacher'));
    expect(cacheKeys(reseeded)).toEqual(cacheKeys(plain));
    expect(cacheKeys(plain)).toEqual([expect.stringMatching(/^teacher-/)]);
    expect(stagesOf(plain, 'student', (s) => s.seed)).toEqual([[1, 1]]);
  });

  it('--epochs sets every trainer and the teacher; subsets reach the dataset; the file itself is untouched', () => {
    const short = compileExperiment(applyOverrides(preset, { ...none, epochs: 2, trainSubset: 500, testSubset: null }));
    expect(stagesOf(short, 'student', (s) => s.epochs)).toEqual([[2, 2]]);
    expect(stagesOf(short, 'baseline', (s) => s.epochs)).toEqual([[4]]);
    expect(stagesOf(short, 'teacher', (s) => s.epochs)).toEqual([[2]]);
    expect(short.dataset).toMatchObject({ trainSubset: 500, testSubset: null });
    expect(cacheKeys(short)).not.toEqual(cacheKeys(plain));
    expect(compileExperiment(preset)).toEqual(plain);
  });
});

describe('exportableModel', () => {
  const preset: ExperimentFile = buildPresetExperiment('hinton-mnist.json');
  const plan = compileExperiment(preset);

  it('is the student by default, or the model named, baselines included', () => {
    expect(exportableModel(preset, plan, null)).toBe('student');
    expect(exportableModel(preset, plan, 'student/baseline')).toBe('student/baseline');
  });

  it('refuses teachers and models the plan does not have, before anything trains', () => {
    expect(() => exportableModel(preset, plan, 'teacher')).toThrowError("--model: 'teacher' is a teacher");
    expect(() => exportableModel(preset, plan, 'nobody')).toThrowError(/the model 'nobody'/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headlineDistillation, modelResultById, type ExperimentResults, type ModelResult } from './results';
import { readResultsFile, ResultsFileError } from './resultsFile';

const committed = (file: string): unknown => JSON.parse(readFileSync(new URL(`../docs/results/${file}`, import.meta.url), 'utf8'));

const measured = (seed: number, testAccuracy: number): Omit<ModelResult, 'modelId' | 'label' | 'role'> => ({
  testAccuracy, validationAccuracy: 0.98, trainAccuracy: 1, params: 10, bytes: 40, flops: 20, epochs: 1, trainingSeconds: 1,
  inferenceMsPerSample: 0.1, seed,
});

/** A v2 object with a teacher-assistant chain: only the student has a baseline. */
const current = (): ExperimentResults => ({
  resultsVersion: 2, experimentName: 'TA chain', backend: 'wasm', datasetId: 'mnist', trainCount: 100, testCount: 50,
  models: [
    { modelId: 'teacher', label: 'Teacher', role: 'teacher', ...measured(1, 0.99), fromCache: true, pretrained: false },
    { modelId: 'ta', label: 'Assistant', role: 'assistant', ...measured(1, 0.985) },
    { modelId: 'student/baseline', label: 'Baseline', role: 'baseline', baselineOf: 'student', ...measured(3, 0.97) },
    { modelId: 'student', label: 'Student', role: 'student', ...measured(3, 0.975) },
  ],
  distillations: [
    { studentId: 'ta', teacherId: 'teacher', baselineId: null, compressionRatio: 2, accuracyDrop: 0.005, distillationGain: null },
    { studentId: 'student', teacherId: 'ta', baselineId: 'student/baseline', compressionRatio: 3, accuracyDrop: 0.01, distillationGain: 0.005 },
  ],
  finishedAt: '2026-12-03T00:00:00.000Z',
});

describe('readResultsFile: the first format', () => {
  it('upgrades a committed distilled-student file: teacher and student under their preset ids, the report with the v1 numbers', () => {
    const v1 = committed('hinton-mnist-full/student-s3.json') as Record<string, Record<string, unknown>>;
    const results = readResultsFile(v1);
    expect(results.resultsVersion).toBe(2);
    expect(results.experimentName).toBe('Hinton KD on MNIST (full MNIST)');
    expect(results.models.map((m) => [m.modelId, m.label, m.role])).toEqual([['teacher', 'Teacher', 'teacher'], ['student', 'Student', 'student']]);
    const { testAccuracy, seed, fromCache, pretrained } = v1.student;
    expect(modelResultById(results, 'student')).toMatchObject({ testAccuracy, seed });
    expect(modelResultById(results, 'student')).not.toHaveProperty('fromCache');
    expect(modelResultById(results, 'teacher')).toMatchObject({ testAccuracy: v1.teacher.testAccuracy, fromCache: true, pretrained: true });
    expect(fromCache).toBeUndefined();
    expect(pretrained).toBeUndefined();
    expect(results.distillations).toEqual([{
      studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline',
      compressionRatio: v1.compressionRatio, accuracyDrop: v1.accuracyDrop, distillationGain: null,
    }]);
  });

  it('upgrades a baseline-only file (--only baseline): the baseline twin of the student, and the report still names the student', () => {
    const results = readResultsFile(committed('hinton-mnist-full/baseline-s2.json'));
    expect(results.models).toEqual([expect.objectContaining({ modelId: 'student/baseline', label: 'Baseline', role: 'baseline', baselineOf: 'student', seed: 2 })]);
    expect(headlineDistillation(results)).toMatchObject({ studentId: 'student', baselineId: 'student/baseline', compressionRatio: 1.875932989246638 });
  });

  it('reads every committed results file', () => {
    for (const file of ['hinton-mnist-full-teacher.json', 'article-mnist-full/student-s1.json', 'cnn-mnist-at-full-12/baseline-s10.json']) {
      expect(readResultsFile(committed(file)).distillations, file).toHaveLength(1);
    }
  });

  it('upgrades a file with all three models, in the order they ran', () => {
    const v1 = {
      experimentName: 'x', backend: 'cpu', datasetId: 'mnist', trainCount: 1, testCount: 1, finishedAt: 'then',
      teacher: measured(1, 0.99), baseline: measured(4, 0.97), student: measured(4, 0.98),
      compressionRatio: 2, accuracyDrop: 0.01, distillationGain: 0.01,
    };
    const results = readResultsFile(v1);
    expect(results.models.map((m) => m.modelId)).toEqual(['teacher', 'student/baseline', 'student']);
    expect(results.distillations[0].distillationGain).toBe(0.01);
  });

  it('names what is missing or malformed', () => {
    const v1 = committed('hinton-mnist-full/student-s1.json') as Record<string, unknown>;
    const without = (key: string): Record<string, unknown> => Object.fromEntries(Object.entries(v1).filter(([k]) => k !== key));
    expect(() => readResultsFile(without('accuracyDrop'))).toThrowError('accuracyDrop is missing, expected a number or null (first results format).');
    expect(() => readResultsFile(without('baseline'))).toThrowError('baseline is missing, expected a result or null');
    expect(() => readResultsFile({ ...v1, student: { ...(v1.student as object), testAccuracy: '98%' } }))
      .toThrowError('student.testAccuracy is a string, expected a number.');
    const { seed: _seed, ...unseeded } = v1.student as Record<string, unknown>;
    expect(() => readResultsFile({ ...v1, student: unseeded })).toThrowError(/student\.seed is missing: results written before seeds were recorded/);
    expect(() => readResultsFile(without('finishedAt'))).toThrowError('finishedAt is missing, expected a string.');
    expect(() => readResultsFile({ ...v1, teacher: 'cached' })).toThrowError('teacher is a string, expected an object.');
  });
});

describe('readResultsFile: the current format', () => {
  it('returns a valid object as it is, after JSON', () => {
    const results = current();
    expect(readResultsFile(JSON.parse(JSON.stringify(results)))).toEqual(results);
  });

  it('keeps a pruned model\'s measurements and real ONNX file sizes, and refuses an unknown pruned file form', () => {
    const pruned = { sparsity: 0.5, nonzeroParams: 6, sparseBytes: 26, onnxBytes: 21617, prunedOnnxBytes: 10910, prunedOnnxForm: 'slimmed' as const };
    const results = { ...current(), models: current().models.map((m) => (m.modelId === 'student' ? { ...m, ...pruned } : m)) };
    expect(readResultsFile(JSON.parse(JSON.stringify(results)))).toEqual(results);
    const odd = { ...results, models: results.models.map((m) => (m.modelId === 'student' ? { ...m, prunedOnnxForm: 'zipped' } : m)) };
    expect(() => readResultsFile(odd)).toThrowError("models[3].prunedOnnxForm is 'zipped', expected 'slimmed' or 'sparse'.");
  });

  it('drops fields it does not know', () => {
    const results = { ...current(), extra: 1, models: current().models.map((m) => ({ ...m, note: 'x' })) };
    expect(readResultsFile(results)).toEqual(current());
  });

  it('names the missing or malformed field, with its place in the lists', () => {
    const broken = (patch: (results: ExperimentResults) => unknown) => () => readResultsFile(patch(current()));
    expect(broken((r) => ({ ...r, models: r.models.map((m, i) => (i === 1 ? { ...m, modelId: undefined } : m)) })))
      .toThrowError('Not a readable results object: models[1].modelId is missing, expected a string.');
    expect(broken((r) => ({ ...r, models: r.models.map((m, i) => (i === 2 ? { ...m, role: 'mentor' } : m)) })))
      .toThrowError("models[2].role is 'mentor', expected one of teacher, assistant, student, peer, baseline.");
    expect(broken((r) => ({ ...r, distillations: [{ ...r.distillations[0], teacherId: 3 }] })))
      .toThrowError('distillations[0].teacherId is a number, expected a string or null.');
    expect(broken((r) => ({ ...r, distillations: [{ ...r.distillations[0], distillationGain: undefined }] })))
      .toThrowError('distillations[0].distillationGain is missing, expected a number or null.');
    expect(broken((r) => ({ ...r, models: null }))).toThrowError('models is null, expected a list.');
    expect(broken((r) => ({ ...r, models: [r.models[0], r.models[0]] }))).toThrowError("models lists 'teacher' twice.");
    expect(broken((r) => ({ ...r, models: [...r.models, 7] }))).toThrowError('models[4] is a number, expected an object.');
    expect(broken((r) => ({ ...r, trainCount: '100' }))).toThrowError('trainCount is a string, expected a number.');
    expect(broken((r) => ({ ...r, models: r.models.map((m) => ({ ...m, fromCache: 'yes' })) })))
      .toThrowError('models[0].fromCache is a string, expected true or false.');
  });

  it('reads the ensembles of a run with Ensemble nodes; files without them (written before ensembles) have none', () => {
    const ensemble = {
      ensembleId: 'ensemble-all', label: 'BAN ensemble', members: ['teacher', 'ta', 'student'],
      testAccuracy: 0.991, validationAccuracy: 0.99, params: 1234,
    };
    const results: ExperimentResults = { ...current(), ensembles: [ensemble] };
    expect(readResultsFile(JSON.parse(JSON.stringify(results)))).toEqual(results);
    expect(readResultsFile({ ...current(), ensembles: [] })).toEqual({ ...current(), ensembles: [] });
    expect(readResultsFile(current())).not.toHaveProperty('ensembles');
    const broken = (patch: Record<string, unknown>) => () => readResultsFile({ ...current(), ensembles: [{ ...ensemble, ...patch }] });
    expect(broken({ members: 'teacher' })).toThrowError('ensembles[0].members is a string, expected a list of model ids.');
    expect(broken({ members: ['teacher', 2] })).toThrowError('ensembles[0].members[1] is a number, expected a model id.');
    expect(broken({ testAccuracy: null })).toThrowError('ensembles[0].testAccuracy is null, expected a number.');
    expect(() => readResultsFile({ ...current(), ensembles: {} })).toThrowError('ensembles is an object, expected a list.');
  });

  it('refuses other versions and things that are not results at all', () => {
    expect(() => readResultsFile({ ...current(), resultsVersion: 3 })).toThrowError('resultsVersion 3 is newer than this studio reads (up to 2)');
    expect(() => readResultsFile({ ...current(), resultsVersion: '2' })).toThrowError('resultsVersion is "2", expected 2');
    expect(() => readResultsFile({ schemaVersion: 1, nodes: [] })).toThrowError('resultsVersion is missing, and it has no teacher, baseline or student');
    expect(() => readResultsFile([current()])).toThrowError('the top level is a list, expected an object.');
    expect(() => readResultsFile(null)).toThrowError(ResultsFileError);
  });
});

import { describe, expect, it } from 'vitest';
import type { ModelResult } from '../results';
import type { ModelPlan, PhasePlan } from './plan';
import { assembleResults, compressionRatio, modelResult, type ResultsInput } from './summary';

const measured = (testAccuracy: number) => ({
  testAccuracy, validationAccuracy: testAccuracy - 0.01, trainAccuracy: testAccuracy + 0.01, epochs: 3, trainingSeconds: 12.5, inferenceMsPerSample: 0.2, seed: 7,
});
const model = (id: string, role: ModelPlan['role'], baselineOf?: string): ModelPlan => ({
  id, label: id, role, architecture: { name: id, inputShape: [1, 1, 1], layers: [] }, taps: [], seed: 7, ...(baselineOf ? { baselineOf } : {}),
});
const phase = (id: string, kind: PhasePlan['kind'], trains: string[], teachers: Record<string, string[]> = {}): PhasePlan => ({
  id, kind, label: id, trains, frozen: [], teachers, stages: [], augmentShift: 0,
});

function input(models: ModelPlan[], phases: PhasePlan[], results: ModelResult[], params: Record<string, number>): ResultsInput {
  return {
    experimentName: 'x', backend: 'cpu', datasetId: 'mnist', trainCount: 55000, testCount: 10000,
    models, phases, results: new Map(results.map((result) => [result.modelId, result])), paramsOf: (id) => params[id] ?? 0,
    finishedAt: new Date('2026-01-02T03:04:05Z'),
  };
}

describe('results arithmetic', () => {
  const teacherPlan = model('teacher', 'teacher');
  const studentPlan = model('student', 'student');
  const baselinePlan = model('student/baseline', 'baseline', 'student');
  const teacher = modelResult(teacherPlan, { params: 2_395_210, bytes: 9_580_840, flops: 4_790_000 }, { ...measured(0.9832), fromCache: true });
  const student = modelResult(studentPlan, { params: 42_310, bytes: 169_240, flops: 84_000 }, measured(0.9163));
  const baseline = modelResult(baselinePlan, { params: 42_310, bytes: 169_240, flops: 84_000 }, measured(0.8968));
  const pairPhases = [phase('t', 'teacher', ['teacher']), phase('b', 'baseline', ['student/baseline']), phase('s', 'student', ['student'], { student: ['teacher'] })];
  const pairParams = { teacher: 2_395_210, student: 42_310, 'student/baseline': 42_310 };

  it('copies identity, architecture figures and measurements into a model result', () => {
    expect(teacher).toEqual({
      modelId: 'teacher', label: 'teacher', role: 'teacher',
      testAccuracy: 0.9832, validationAccuracy: 0.9732, trainAccuracy: 0.9932, params: 2_395_210, bytes: 9_580_840, flops: 4_790_000,
      epochs: 3, trainingSeconds: 12.5, inferenceMsPerSample: 0.2, seed: 7, fromCache: true,
    });
    expect(baseline.baselineOf).toBe('student');
    expect('fromCache' in student).toBe(false);
    expect('pretrained' in teacher).toBe(false);
    const shipped = modelResult(teacherPlan, { params: 1, bytes: 4, flops: 2 }, { ...measured(0.99), fromCache: true, pretrained: true });
    expect(shipped).toMatchObject({ fromCache: true, pretrained: true });
    expect('pretrained' in modelResult(teacherPlan, { params: 1, bytes: 4, flops: 2 }, { ...measured(0.99), fromCache: true, pretrained: false })).toBe(false);
  });

  it('computes compression, accuracy drop and distillation gain per distilled model, models in plan order', () => {
    const results = assembleResults(input([teacherPlan, baselinePlan, studentPlan], pairPhases, [student, teacher, baseline], pairParams));
    expect(results.models.map((m) => m.modelId)).toEqual(['teacher', 'student/baseline', 'student']);
    expect(results.distillations).toHaveLength(1);
    const [report] = results.distillations;
    expect(report).toMatchObject({ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline' });
    expect(report.compressionRatio).toBeCloseTo(56.611, 3);
    expect(report.accuracyDrop).toBeCloseTo(0.0669, 12);
    expect(report.distillationGain).toBeCloseTo(0.0195, 12);
    expect(results.finishedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(results.resultsVersion).toBe(2);
  });

  it('lists the ensembles it is given (none yet: an empty list), and no `ensembles` for a plan without them', () => {
    const ensemble = { ensembleId: 'ens', label: 'Pair', members: ['teacher', 'student'], testAccuracy: 0.99, validationAccuracy: 0.98, params: 125 };
    const base = input([teacherPlan, baselinePlan, studentPlan], pairPhases, [student, teacher, baseline], pairParams);
    expect(assembleResults({ ...base, ensembles: [ensemble] }).ensembles).toEqual([ensemble]);
    expect(assembleResults({ ...base, ensembles: [] }).ensembles).toEqual([]);
    expect(assembleResults(base)).not.toHaveProperty('ensembles');
  });

  it('leaves a comparison null when one side did not run, and compression known from the architectures', () => {
    const results = assembleResults(input([teacherPlan, baselinePlan, studentPlan], pairPhases, [student], { teacher: 100, student: 25 }));
    expect(results.distillations[0]).toMatchObject({ compressionRatio: 4, accuracyDrop: null, distillationGain: null });
    expect(compressionRatio(100, 0)).toBeNull();
  });

  it('a teacher-assistant chain reports both steps, the student first; each against its direct teacher', () => {
    const assistantPlan = model('assistant', 'assistant');
    const models = [teacherPlan, assistantPlan, baselinePlan, studentPlan];
    const phases = [
      phase('t', 'teacher', ['teacher']),
      phase('a', 'student', ['assistant'], { assistant: ['teacher'] }),
      phase('b', 'baseline', ['student/baseline']),
      phase('s', 'student', ['student'], { student: ['assistant'] }),
    ];
    const results = assembleResults(input(models, phases, [teacher, student, baseline], { teacher: 1000, assistant: 100, student: 10 }));
    expect(results.distillations.map((r) => [r.studentId, r.teacherId, r.baselineId, r.compressionRatio]))
      .toEqual([['student', 'assistant', 'student/baseline', 10], ['assistant', 'teacher', null, 10]]);
    // The assistant has not finished: the student's drop against it is unknown.
    expect(results.distillations[0].accuracyDrop).toBeNull();
  });

  it('mutual learning: each peer is taught by the other and measured against its own baseline', () => {
    const peers = [model('p1', 'peer'), model('p2', 'peer')];
    const phases = [phase('dml', 'student', ['p1', 'p2'], { p1: ['p2'], p2: ['p1'] })];
    const results = assembleResults(input([model('p1/baseline', 'baseline', 'p1'), ...peers], phases, [], { p1: 50, p2: 200 }));
    expect(results.distillations.map((r) => [r.studentId, r.teacherId, r.baselineId, r.compressionRatio]))
      .toEqual([['p1', 'p2', 'p1/baseline', 4], ['p2', 'p1', null, 0.25]]);
  });

  it('teacher-free KD: a student with a baseline but no teacher network still reports its gain', () => {
    const plans = [model('student/baseline', 'baseline', 'student'), model('student', 'student')];
    const phases = [phase('b', 'baseline', ['student/baseline']), phase('s', 'student', ['student'], { student: [] })];
    const [report] = assembleResults(input(plans, phases, [student, baseline], { student: 10 })).distillations;
    expect(report).toMatchObject({ studentId: 'student', teacherId: null, baselineId: 'student/baseline', compressionRatio: null, accuracyDrop: null });
    expect(report.distillationGain).toBeCloseTo(0.0195, 12);
    // A learner with neither a teacher nor a baseline (an assistant taught by nobody) has nothing to report.
    expect(assembleResults(input([model('a', 'assistant')], [phase('a', 'student', ['a'], { a: [] })], [], {})).distillations).toEqual([]);
  });
});


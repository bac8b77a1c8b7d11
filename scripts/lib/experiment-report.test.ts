import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../../src/graph/compile';
import { buildPresetExperiment } from '../../src/graph/presetExperiments';
import type { TrainedModel } from '../../src/protocol';
import type { ExperimentResults, ModelResult } from '../../src/results';
import type { TrainingPlan } from '../../src/train/plan';
import { formatResults, terminalReporter } from './experiment-report';

const plan = compileExperiment(buildPresetExperiment('hinton-mnist.json'));
const phase = (kind: string) => plan.phases.find((candidate) => candidate.kind === kind)!;

const result = (modelId: string, label: string, role: ModelResult['role'], testAccuracy: number, extra: Partial<ModelResult> = {}): ModelResult => ({
  modelId, label, role, testAccuracy, validationAccuracy: testAccuracy, trainAccuracy: 1, params: 1000, bytes: 4000, flops: 2000,
  epochs: 2, trainingSeconds: 12.34, inferenceMsPerSample: 0.0123, seed: 3, ...extra,
});

describe('terminal reporter', () => {
  it('labels progress, epochs and phase ends as the plan labels its phases, and keeps the weights by model id', () => {
    const lines: string[] = [];
    const reporter = terminalReporter((line) => lines.push(line), plan);
    const distill = phase('student');
    const ref = { phaseId: distill.id, kind: 'student' as const };
    reporter.emit({ type: 'step', ...ref, stageIndex: 0, step: 10, epoch: 1, terms: {}, total: 0.25, metrics: {} });
    reporter.emit({
      type: 'progress', ...ref, phaseLabel: distill.label, stageIndex: 0, stageName: 'KD', epoch: 1, epochs: 2, step: 10, stepsTotal: 10,
      fractionDone: 0.5, secondsLeft: 75,
    });
    reporter.emit({ type: 'epoch', ...ref, modelId: 'student', stageIndex: 0, epoch: 1, trainAccuracy: 0.9, validationAccuracy: 0.8, testAccuracy: 0.85 });
    reporter.emit({ type: 'phaseDone', phaseId: phase('teacher').id, kind: 'teacher', label: 'Teacher', models: [{ modelId: 'teacher', testAccuracy: 0.97 }], fromCache: true });
    const trained: TrainedModel = { modelId: 'student/baseline', label: 'Baseline', role: 'baseline', experimentName: 'x', spec: plan.models[0].architecture, datasetId: 'mnist', weights: [] };
    reporter.emit({ type: 'weights', model: trained });
    reporter.emit({ type: 'error', message: 'NaN loss', kind: 'diverged' });
    expect(lines).toEqual([
      `[${distill.label}] KD epoch 1/2 step 10/10 loss 0.2500  run 50.0%  left 1m15s`,
      `[${distill.label}] epoch 1: train 90.00%  validation 80.00%  test 85.00%`,
      '[Teacher] done: test accuracy 97.00% (cached teacher)',
      'ERROR (diverged): NaN loss',
    ]);
    expect(reporter.weights.get('student/baseline')).toBe(trained);
    expect(reporter.errors).toHaveLength(1);
  });

  it('names the model on epoch lines and phase ends of a phase that trains several (mutual learning)', () => {
    const peers: TrainingPlan = {
      ...plan,
      models: [{ ...plan.models[0], id: 'a', label: 'Peer A', role: 'peer' }, { ...plan.models[0], id: 'b', label: 'Peer B', role: 'peer' }],
      phases: [{ ...phase('student'), id: 'dml', label: 'Mutual', trains: ['a', 'b'], frozen: [] }],
    };
    const lines: string[] = [];
    const reporter = terminalReporter((line) => lines.push(line), peers);
    reporter.emit({ type: 'epoch', phaseId: 'dml', kind: 'student', modelId: 'b', stageIndex: 0, epoch: 2, trainAccuracy: 1, validationAccuracy: 1, testAccuracy: 1 });
    reporter.emit({ type: 'phaseDone', phaseId: 'dml', kind: 'student', label: 'Mutual', models: [{ modelId: 'a', testAccuracy: 0.5 }, { modelId: 'b', testAccuracy: 0.25 }], fromCache: false });
    expect(lines).toEqual([
      '[Mutual] Peer B epoch 2: train 100.00%  validation 100.00%  test 100.00%',
      '[Mutual] done: test accuracy Peer A 50.00%, Peer B 25.00%',
    ]);
  });
});

describe('formatResults', () => {
  const results: ExperimentResults = {
    resultsVersion: 2, experimentName: 'Hinton', backend: 'wasm', datasetId: 'mnist', trainCount: 100, testCount: 50,
    models: [result('teacher', 'Teacher', 'teacher', 0.99, { fromCache: true }), result('student', 'Student', 'student', 0.975)],
    distillations: [{ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline', compressionRatio: 1.875, accuracyDrop: 0.015, distillationGain: null }],
    finishedAt: 'now',
  };

  it('lists every model of the plan (those that did not run too) and every distillation\'s three numbers', () => {
    const lines = formatResults(results, plan).split('\n');
    expect(lines[0]).toBe("Results of 'Hinton' on wasm (100 training / 50 test images):");
    plan.models.forEach((model, i) => expect(lines[1 + i].trim().startsWith(`${model.label} (${model.role}) `), lines[1 + i]).toBe(true));
    expect(lines.find((line) => line.includes('(teacher)'))).toContain('test 99.00%  params 1,000  seed 3  12.3 s  0.012 ms/sample  (cached)');
    expect(lines.find((line) => line.includes('(baseline)'))).toMatch(/\(baseline\)\s+\(not run\)$/);
    const [teacher, student] = ['teacher', 'student'].map((id) => plan.models.find((model) => model.id === id)!.label);
    expect(lines.slice(-2)).toEqual(['Distillations:', `  ${student} from ${teacher}: compression 1.88x  accuracy drop +1.50 points  distillation gain n/a`]);
  });

  it('ends with the ensembles, their members by label', () => {
    const ensemble = { ensembleId: 'ens', label: 'Both', members: ['teacher', 'student'], testAccuracy: 0.9912, validationAccuracy: 0.98, params: 2000 };
    const lines = formatResults({ ...results, ensembles: [ensemble] }).split('\n');
    expect(lines.slice(-2)).toEqual(['Ensembles (averaged probabilities):', '  Both (Teacher + Student): test 99.12%  validation 98.00%  params 2,000']);
  });

  it('without a plan, lists the models of the results, and says when a distillation has no baseline', () => {
    const text = formatResults({ ...results, distillations: [{ ...results.distillations[0], baselineId: null, compressionRatio: null }] });
    expect(text.split('\n').slice(1, 3).map((line) => line.trim().slice(0, 18))).toEqual(['Teacher (teacher) ', 'Student (student) ']);
    expect(text).toContain('Student from Teacher: compression n/a  accuracy drop +1.50 points  distillation gain n/a (no baseline)');
  });
});

import { describe, expect, it } from 'vitest';
import type { ExperimentResults, ModelResult } from '../results';
import type { BundleFacts } from './bundleFacts';
import { bundleReadme } from './bundleReadme';

const facts: BundleFacts = {
  folder: 'cnn-student_atlas200dk', modelName: 'cnn-student', inputName: 'input', inputDims: [1, 1, 28, 28], classes: 10,
  labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], socVersion: 'Ascend310', aipp: false, softmaxOutput: false, opset: 11,
  irVersion: 6, normalization: { mean: [0.1307], std: [0.3081] }, sampleFiles: ['data/sample_0.bin'], calibrationFiles: ['calibration/calibration_0.bin'],
};

const model = (modelId: string, label: string, role: ModelResult['role'], testAccuracy: number, params: number, seed: number): ModelResult => ({
  modelId, label, role, testAccuracy, validationAccuracy: testAccuracy, trainAccuracy: 1, params, bytes: 4 * params, flops: 2 * params,
  epochs: 1, trainingSeconds: 1, inferenceMsPerSample: 0.1, seed,
});

/** A teacher-assistant chain: the teacher teaches the assistant, the assistant teaches the student. */
const results: ExperimentResults = {
  resultsVersion: 2, experimentName: 'TA chain', backend: 'wasm', datasetId: 'mnist', trainCount: 55000, testCount: 10000,
  models: [
    model('teacher', 'Big teacher', 'teacher', 0.992, 2_000_000, 1),
    model('ta', 'Assistant', 'assistant', 0.989, 400_000, 1),
    { ...model('student/baseline', 'Baseline', 'baseline', 0.981, 50_000, 7), baselineOf: 'student' },
    model('student', 'Small student', 'student', 0.985, 50_000, 7),
  ],
  distillations: [
    { studentId: 'ta', teacherId: 'teacher', baselineId: null, compressionRatio: 5, accuracyDrop: 0.003, distillationGain: null },
    { studentId: 'student', teacherId: 'ta', baselineId: 'student/baseline', compressionRatio: 8, accuracyDrop: 0.004, distillationGain: 0.004 },
  ],
  finishedAt: '2026-12-03T00:00:00.000Z',
};

/** The README's results section, up to the next heading. */
const section = (modelId: string, attached: ExperimentResults | null = results): string => {
  const readme = bundleReadme(facts, attached, modelId);
  return readme.slice(readme.indexOf('## Results of the experiment'), readme.indexOf('## Versions that matter'));
};

describe('bundle README results', () => {
  it('shows the exported model with its direct teacher and its baseline, and the report numbers', () => {
    const text = section('student');
    expect(text).toContain('| Small student (`student`, this model) | 98.50 % | 50,000 | 7 |');
    expect(text).toContain('| Assistant (its teacher) | 98.90 % | 400,000 | 1 |');
    expect(text).toContain('| Baseline (the same network without distillation) | 98.10 % | 50,000 | 7 |');
    expect(text).not.toContain('Big teacher');
    expect(text).toContain('Against its teacher: compression 8.00x, accuracy drop +0.40 points. Distillation gain over its baseline: +0.40 points.');
    expect(text).toContain('Dataset mnist (55000 training, 10000 test images), trained on wasm.');
  });

  it('warns when distillation did not beat the baseline, and not when it did', () => {
    expect(section('student')).not.toContain('did not help');
    const worse: ExperimentResults = {
      ...results,
      models: results.models.map((entry) => (entry.modelId === 'student' ? { ...entry, testAccuracy: 0.978 } : entry)),
      distillations: results.distillations.map((entry) => (entry.studentId === 'student' ? { ...entry, distillationGain: -0.003 } : entry)),
    };
    const text = section('student', worse);
    expect(text).toContain('Distillation gain over its baseline: -0.30 points.');
    expect(text).toContain('**Distillation did not help this time:** the same network trained without a teacher reached 98.10 %, more than this model.');
    expect(text).toContain('deploy the baseline');
    // No baseline, no verdict.
    expect(section('ta', worse)).not.toContain('did not help');
  });

  it('shows an assistant with its own teacher and no baseline row', () => {
    const text = section('ta');
    expect(text).toContain('| Assistant (`ta`, this model) |');
    expect(text).toContain('| Big teacher (its teacher) | 99.20 % |');
    expect(text).not.toContain('without distillation) |');
    expect(text).toContain('compression 5.00x, accuracy drop +0.30 points. It has no baseline in this experiment, so no distillation gain.');
  });

  it('says so when the model learned from no teacher, or the results do not have it', () => {
    expect(section('student/baseline')).toContain('Baseline has no distillation report in these results: it did not learn from a teacher');
    expect(section('student/baseline')).toContain('| Baseline (`student/baseline`, this model) | 98.10 % |');
    expect(section('peer')).toContain('The attached results of "TA chain" have no result for this model (`peer`).');
    expect(section('student', null)).toContain('No experiment results were attached to this export.');
  });
});

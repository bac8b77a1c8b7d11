import { describe, expect, it } from 'vitest';
import type { TrainedModel } from '../../src/protocol';
import type { ExperimentResults } from '../../src/results';
import { exportedModelId } from './exportedModel';

const trained = (modelId: string, role: TrainedModel['role']): TrainedModel => ({
  modelId, label: modelId, role, experimentName: 'X', spec: { name: modelId, inputShape: [28, 28, 1], layers: [] }, datasetId: 'mnist', weights: [],
});

const results = (headline: string): ExperimentResults => ({
  resultsVersion: 2, experimentName: 'X', backend: 'cpu', datasetId: 'mnist', trainCount: 1, testCount: 1, models: [],
  distillations: [{ studentId: headline, teacherId: 't', baselineId: null, compressionRatio: null, accuracyDrop: null, distillationGain: null }],
  finishedAt: '',
});

describe('exportedModelId', () => {
  const models = { 'student/baseline': trained('student/baseline', 'baseline'), student: trained('student', 'student') };

  it('takes the chosen model while it is trained, else the headline student, else a trained network before a baseline', () => {
    expect(exportedModelId(models, results('student'), 'student/baseline')).toBe('student/baseline');
    expect(exportedModelId(models, results('student'), 'gone')).toBe('student');
    expect(exportedModelId(models, results('student'), null)).toBe('student');
    expect(exportedModelId(models, results('assistant'), null)).toBe('student');
    expect(exportedModelId(models, null, null)).toBe('student');
    expect(exportedModelId({ 'student/baseline': models['student/baseline'] }, null, null)).toBe('student/baseline');
    expect(exportedModelId({}, results('student'), 'student')).toBeNull();
  });
});

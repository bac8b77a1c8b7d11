import type { DatasetOptions } from '../data/types';
import type { TrainerSettings } from '../graph/schema';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import type { TrainEvent } from '../protocol';
import type { LossTermPlan, StagePlan, TrainingPlan } from './plan';
import type { TeacherCache } from './runner';

/**
 * Small real plans for the trainer's tests: MNIST subsets and MLPs small enough that a handful of
 * steps take well under a second on the Node cpu backend. Hand-written rather than compiled so the
 * trainer's tests do not depend on the graph compiler.
 */

export const tinyTeacher: ArchitectureSpec = {
  name: 'tiny-teacher',
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'flatten', id: 'flatten' },
    { kind: 'dense', id: 'fc1', units: 64 },
    { kind: 'relu', id: 'relu1' },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

export const tinyStudent: ArchitectureSpec = {
  name: 'tiny-student',
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'flatten', id: 'flatten' },
    { kind: 'dense', id: 'fc1', units: 16 },
    { kind: 'relu', id: 'relu1' },
    { kind: 'dense', id: 'fc2', units: 16 },
    { kind: 'relu', id: 'relu2' },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

export function trainerSettings(overrides: Partial<TrainerSettings> = {}): TrainerSettings {
  return {
    optimizer: 'adam', learningRate: 0.003, momentum: 0.9, lrSchedule: { kind: 'constant' }, epochs: 1, batchSize: 32, seed: 7,
    ...overrides,
  };
}

export function datasetOptions(overrides: Partial<DatasetOptions> = {}): DatasetOptions {
  return { datasetId: 'mnist', trainSubset: 256, validationSize: 64, testSubset: 128, augmentShift: 0, ...overrides };
}

export const ceTerm: LossTermPlan = {
  nodeId: 'loss-ce', lossId: 'ce', label: 'Cross-entropy', weight: 0.1, params: {},
  inputs: { logits: { kind: 'logits', side: 'student' }, labels: { kind: 'labels' } },
};

export const kdTerm: LossTermPlan = {
  nodeId: 'loss-kd', lossId: 'kd', label: 'KD (soft targets)', weight: 0.9, params: { T: 4 },
  inputs: { teacherLogits: { kind: 'logits', side: 'teacher' }, studentLogits: { kind: 'logits', side: 'student' } },
};

/** FitNet hint from the student's relu1 [16] through a dense adapter to the teacher's relu1 [64]. */
export const hintTerm: LossTermPlan = {
  nodeId: 'loss-hint', lossId: 'fitnet', label: 'FitNet hint', weight: 1, params: {},
  inputs: {
    guide: { kind: 'feature', side: 'teacher', layerId: 'relu1', adapterId: null },
    guided: { kind: 'feature', side: 'student', layerId: 'relu1', adapterId: 'adapter-hint' },
  },
};

export function kdStage(settings: Partial<TrainerSettings> = {}): StagePlan {
  return {
    nodeId: 'trainer-kd', name: 'KD', settings: trainerSettings(settings), trainUpTo: null,
    terms: [{ term: ceTerm, schedule: { kind: 'constant' } }, { term: kdTerm, schedule: { kind: 'constant' } }],
  };
}

export function tinyPlan(overrides: Partial<TrainingPlan> = {}): TrainingPlan {
  return {
    planVersion: 1,
    experimentName: 'tiny test',
    dataset: datasetOptions(),
    teacher: { architecture: tinyTeacher, settings: trainerSettings(), augmentShift: 0, cacheKey: 'tiny-teacher-key' },
    student: { architecture: tinyStudent },
    teacherTaps: ['relu1'],
    studentTaps: ['relu1'],
    adapters: [{ id: 'adapter-hint', kind: 'dense', studentLayerId: 'relu1', inputShape: [16], outputShape: [64] }],
    stages: [kdStage()],
    baseline: trainerSettings(),
    probes: { count: 4, temperature: 4, attention: [], fsp: [] },
    ...overrides,
  };
}

/** Collects events, with helpers to pick them by type. */
export class EventLog {
  readonly events: TrainEvent[] = [];
  readonly emit = (event: TrainEvent): void => {
    this.events.push(event);
  };
  ofType<K extends TrainEvent['type']>(type: K): Extract<TrainEvent, { type: K }>[] {
    return this.events.filter((event): event is Extract<TrainEvent, { type: K }> => event.type === type);
  }
}

/** A teacher cache in memory; counts its writes. */
export class MemoryCache implements TeacherCache {
  readonly store = new Map<string, LayerWeights[]>();
  puts = 0;
  async get(key: string): Promise<LayerWeights[] | null> {
    return this.store.get(key) ?? null;
  }
  async put(key: string, weights: LayerWeights[]): Promise<void> {
    this.puts += 1;
    this.store.set(key, weights);
  }
}

import type { DatasetOptions } from '../data/types';
import type { ExperimentFile, TrainerSettings } from '../graph/schema';
import { buildPresetExperiment } from '../graph/presetExperiments';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import type { TrainEvent } from '../protocol';
import { PLAN_VERSION, baselineIdFor, crossEntropyTerm, type LossTermPlan, type StagePlan, type TrainingPlan } from './plan';
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
  inputs: { logits: { kind: 'logits', model: 'student', detach: false }, labels: { kind: 'labels' } },
};

export const kdTerm: LossTermPlan = {
  nodeId: 'loss-kd', lossId: 'kd', label: 'KD (soft targets)', weight: 0.9, params: { T: 4 },
  inputs: { teacherLogits: { kind: 'logits', model: 'teacher', detach: false }, studentLogits: { kind: 'logits', model: 'student', detach: false } },
};

/** FitNet hint from the student's relu1 [16] through a dense adapter to the teacher's relu1 [64]. */
export const hintTerm: LossTermPlan = {
  nodeId: 'loss-hint', lossId: 'fitnet', label: 'FitNet hint', weight: 1, params: {},
  inputs: {
    guide: { kind: 'feature', model: 'teacher', layerId: 'relu1', adapterId: null, detach: false },
    guided: { kind: 'feature', model: 'student', layerId: 'relu1', adapterId: 'adapter-hint', detach: false },
  },
};

/** VID from the teacher's relu1 [64] to the student's relu1 [16] (vectors: the regressor acts as dense layers). */
export const vidTerm: LossTermPlan = {
  nodeId: 'loss-vid', lossId: 'vid', label: 'VID', weight: 1, params: {},
  inputs: {
    guide: { kind: 'feature', model: 'teacher', layerId: 'relu1', adapterId: null, detach: false },
    guided: { kind: 'feature', model: 'student', layerId: 'relu1', adapterId: null, detach: false },
  },
  moduleShapes: { guide: [64], guided: [16] },
};

export function kdStage(settings: Partial<TrainerSettings> = {}): StagePlan {
  return {
    nodeId: 'trainer-kd', name: 'KD', settings: trainerSettings(settings), trainUpTo: null,
    terms: [{ term: ceTerm, schedule: { kind: 'constant' } }, { term: kdTerm, schedule: { kind: 'constant' } }],
  };
}

export interface TinyPlanOptions {
  dataset?: DatasetOptions;
  teacher?: Partial<{ architecture: ArchitectureSpec; settings: TrainerSettings; augmentShift: number; cacheKey: string; trainSubset: number | null }>;
  /** The distilled student's stages (default: one KD stage). */
  stages?: StagePlan[];
  baseline?: TrainerSettings;
}

/** Teacher 'teacher' -> student 'student' with its baseline, as compile would plan them (tapped relu1 on both sides). */
export function tinyPlan(options: TinyPlanOptions = {}): TrainingPlan {
  const teacher = { architecture: tinyTeacher, settings: trainerSettings(), augmentShift: 0, cacheKey: 'tiny-teacher-key', ...options.teacher };
  const stages = options.stages ?? [kdStage()];
  const baseline = options.baseline ?? trainerSettings();
  const baselineId = baselineIdFor('student');
  const dataset = options.dataset ?? datasetOptions();
  return {
    planVersion: PLAN_VERSION,
    experimentName: 'tiny test',
    dataset,
    models: [
      { id: 'teacher', label: 'Teacher', role: 'teacher', architecture: teacher.architecture, taps: ['relu1'], seed: teacher.settings.seed },
      { id: baselineId, label: 'Baseline', role: 'baseline', architecture: tinyStudent, taps: ['relu1'], seed: baseline.seed, baselineOf: 'student' },
      { id: 'student', label: 'Student', role: 'student', architecture: tinyStudent, taps: ['relu1'], seed: stages[0].settings.seed },
    ],
    phases: [
      {
        id: 'teacher:teacher', kind: 'teacher', label: 'Teacher', trains: ['teacher'], frozen: [], teachers: {},
        stages: [{ nodeId: 'teacher', name: 'Teacher', settings: teacher.settings, terms: [{ term: crossEntropyTerm('teacher'), schedule: { kind: 'constant' } }], trainUpTo: null }],
        augmentShift: teacher.augmentShift, cacheKey: teacher.cacheKey,
        ...(teacher.trainSubset !== undefined ? { trainSubset: teacher.trainSubset } : {}),
      },
      {
        id: 'baseline:student', kind: 'baseline', label: 'Baseline', trains: [baselineId], frozen: [], teachers: {},
        stages: [{ nodeId: 'trainer-kd', name: 'Baseline', settings: baseline, terms: [{ term: crossEntropyTerm(baselineId), schedule: { kind: 'constant' } }], trainUpTo: null }],
        augmentShift: dataset.augmentShift,
      },
      {
        id: 'distill:trainer-kd', kind: 'student', label: 'Student', trains: ['student'], frozen: ['teacher'], teachers: { student: ['teacher'] },
        stages, augmentShift: dataset.augmentShift,
      },
    ],
    adapters: [{ id: 'adapter-hint', kind: 'dense', modelId: 'student', layerId: 'relu1', inputShape: [16], outputShape: [64] }],
    ensembles: [],
    probes: { count: 4, temperature: 4, attention: [], fsp: [], relations: [] },
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

const logits = (model: string, detach = false) => ({ kind: 'logits' as const, model, detach });
const kdFrom = (teacher: string, student: string, detach: boolean): LossTermPlan => ({
  nodeId: `kd-${teacher}-${student}`, lossId: 'kd', label: `KD ${teacher} -> ${student}`, weight: 1, params: { T: 1 },
  inputs: { teacherLogits: logits(teacher, detach), studentLogits: logits(student) },
});
const ceOf = (model: string): LossTermPlan => ({ ...crossEntropyTerm(model), nodeId: `ce-${model}` });
const constant = (term: LossTermPlan) => ({ term, schedule: { kind: 'constant' as const } });

/** Deep mutual learning: peers 'p1' and 'p2' (different seeds) trained together, each the other's detached target. */
export function mutualLearningPlan(): TrainingPlan {
  const peer = (id: string, seed: number) => ({ id, label: id.toUpperCase(), role: 'peer' as const, architecture: tinyStudent, taps: [], seed });
  return {
    ...tinyPlan(),
    models: [peer('p1', 7), peer('p2', 1007)],
    phases: [{
      id: 'distill:dml', kind: 'student', label: 'P1 + P2', trains: ['p1', 'p2'], frozen: [], teachers: { p1: ['p2'], p2: ['p1'] },
      stages: [{
        nodeId: 'dml', name: 'Mutual', settings: trainerSettings(), trainUpTo: null,
        terms: [constant(ceOf('p1')), constant(ceOf('p2')), constant(kdFrom('p2', 'p1', true)), constant(kdFrom('p1', 'p2', true))],
      }],
      augmentShift: 0,
    }],
    adapters: [],
  };
}

/** Teacher -> assistant -> student, each step a phase of its own (Mirzadeh et al.'s chain). */
export function assistantChainPlan(): TrainingPlan {
  const base = tinyPlan();
  const distil = (teacher: string, student: string) => ({
    id: `distill:${student}`, kind: 'student' as const, label: student, trains: [student], frozen: [teacher], teachers: { [student]: [teacher] },
    stages: [{ nodeId: `trainer-${student}`, name: student, settings: trainerSettings(), trainUpTo: null, terms: [constant(ceOf(student)), constant(kdFrom(teacher, student, false))] }],
    augmentShift: 0,
  });
  return {
    ...base,
    models: [
      base.models[0],
      { id: 'assistant', label: 'Assistant', role: 'assistant', architecture: { ...tinyStudent, name: 'tiny-assistant' }, taps: [], seed: 7 },
      { id: 'student', label: 'Student', role: 'student', architecture: tinyStudent, taps: [], seed: 7 },
    ],
    phases: [base.phases[0], distil('teacher', 'assistant'), distil('assistant', 'student')],
    adapters: [],
  };
}

/**
 * A teacher -> student plan read the way its tests think of it (the teacher, the student, the
 * distillation's stages, the baseline's settings, the taps of each side); throws for other plans.
 */
export function pairView(plan: TrainingPlan) {
  const teacherPhase = plan.phases.find((phase) => phase.kind === 'teacher');
  const distill = plan.phases.find((phase) => phase.kind === 'student');
  const baselinePhase = plan.phases.find((phase) => phase.kind === 'baseline');
  const teacher = plan.models.find((model) => model.role === 'teacher');
  const student = plan.models.find((model) => model.role === 'student');
  if (!teacherPhase || !distill || !baselinePhase || !teacher || !student) throw new Error(`'${plan.experimentName}' is not a teacher -> student plan.`);
  return {
    ...plan,
    teacher: { architecture: teacher.architecture, settings: teacherPhase.stages[0].settings, augmentShift: teacherPhase.augmentShift, cacheKey: teacherPhase.cacheKey as string },
    student: { architecture: student.architecture },
    stages: distill.stages,
    baseline: baselinePhase.stages[0].settings,
    teacherTaps: teacher.taps,
    studentTaps: student.taps,
  };
}

/**
 * A preset on 256 training images with one epoch of batch 64 everywhere, teachers included: a quick
 * preset's teacher trains on all the images, so here it is brought back to the dataset's few.
 */
export function tinyPreset(file: string): ExperimentFile {
  const experiment = buildPresetExperiment(file);
  for (const node of experiment.nodes) {
    if (node.kind === 'dataset') node.params = { ...node.params, trainSubset: 256, validationSize: 64, testSubset: 64, probeCount: 2 };
    if (node.kind === 'trainer') node.params = { ...node.params, epochs: 1, batchSize: 64 };
    if (node.kind === 'model' && node.params.teacherTraining) {
      const { trainSubset: _allImages, ...training } = node.params.teacherTraining;
      node.params.teacherTraining = { ...training, epochs: 1, batchSize: 64 };
    }
  }
  return experiment;
}

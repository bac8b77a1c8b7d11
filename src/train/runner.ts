import * as tf from '@tensorflow/tfjs';
import { probeBatch, type ProbeBatch } from '../data/batches';
import { loadDataset } from '../data/loader';
import type { AssetReader, LoadedDataset } from '../data/types';
import { getLoss } from '../losses/registry';
import { buildAdapter } from '../models/adapters';
import { buildModel, getLayerWeightsAsync } from '../models/builder';
import { summarizeArchitecture, trySummarizeArchitecture } from '../models/shapes';
import { ArchitectureError, type ArchitectureSpec, type LayerWeights } from '../models/spec';
import type { TrainerSettings } from '../graph/schema';
import type { TrainedModel, TrainEvent } from '../protocol';
import type { ExperimentResults, ModelResult } from '../results';
import type { RunControl } from './control';
import { evaluateAccuracy, measureInferenceMs } from './evaluate';
import { phaseSteps, trainPhase, type PhaseOutcome, type PhaseProbes, type PhaseServices, type PhaseStage } from './phase';
import type { LossTermPlan, RunPhase, RunSelection, TrainingPlan } from './plan';
import { probeImages, probeTapProblems } from './probes';
import type { TeacherSource } from './pretrained';
import { ProgressTracker } from './progress';
import { restoreTeacher, storeTeacher } from './teacherStore';
import { DivergenceError, type Adapter } from './step';
import { assembleResults, modelResult } from './summary';

/**
 * Runs a compiled plan: teacher (trained, or restored from the cache) -> baseline -> distilled
 * student, as selected. Everything platform-specific comes in through TrainEnv, so the worker, the
 * headless runner and the tests drive the same code.
 *
 * Failures a user can act on (divergence, bad data options, an inconsistent plan) are reported as
 * one 'error' event followed by status 'stopped', and the promise resolves with the results so far.
 * Anything else (a bug) rejects, for the caller to report as an internal error.
 */

export interface TeacherCache {
  get(key: string): Promise<LayerWeights[] | null>;
  put(key: string, weights: LayerWeights[]): Promise<void>;
}

export interface TrainEnv {
  readAsset: AssetReader;
  emit(event: TrainEvent): void;
  control: RunControl;
  teacherCache?: TeacherCache;
  /** Read-only teachers shipped with the studio, consulted when the cache misses (see pretrained.ts). */
  pretrainedTeachers?: TeacherSource;
  /** Reported in the results (the backend tfjs runs on). */
  backend: string;
  /** Milliseconds, monotonic (performance.now). */
  now(): number;
  /** Probe snapshot interval in steps (default 25); snapshots are also taken at epoch ends. */
  probeEverySteps?: number;
  /** Train the teacher even when the cache or the pretrained teachers hold one for this plan. */
  ignoreTeacherCache?: boolean;
}

export const DEFAULT_PROBE_EVERY_STEPS = 25;
/** Train accuracy of a cached teacher is measured on at most this many training images. */
export const CACHED_TEACHER_TRAIN_EVAL_LIMIT = 5000;

type UserErrorKind = 'invalid-plan' | 'data';

/** An error the user can fix; classified for the 'error' event. */
export class RunError extends Error {
  override readonly name = 'RunError';
  constructor(readonly kind: UserErrorKind, message: string) {
    super(message);
  }
}

export const CROSS_ENTROPY_TERM_ID = 'ce';

/** The single term of teacher and baseline training. */
export function crossEntropyTerm(): LossTermPlan {
  return {
    nodeId: CROSS_ENTROPY_TERM_ID,
    lossId: 'ce',
    label: 'Cross-entropy',
    weight: 1,
    params: {},
    inputs: { logits: { kind: 'logits', side: 'student' }, labels: { kind: 'labels' } },
  };
}

function crossEntropyStage(name: string, settings: TrainerSettings): PhaseStage {
  return { name, settings, trainUpTo: null, terms: [{ plan: crossEntropyTerm(), definition: getLoss('ce'), schedule: { kind: 'constant' } }] };
}

function distillationStages(plan: TrainingPlan): PhaseStage[] {
  return plan.stages.map((stage) => ({
    name: stage.name,
    settings: stage.settings,
    trainUpTo: stage.trainUpTo,
    terms: stage.terms.map(({ term, schedule }) => ({ plan: term, definition: getLoss(term.lossId), schedule })),
  }));
}

function checkPlan(plan: TrainingPlan, runs: RunSelection): void {
  if (plan.planVersion !== 1) throw new RunError('invalid-plan', `This plan has version ${String(plan.planVersion)}; the trainer reads version 1. Recompile the experiment.`);
  if (!runs.teacher && !runs.baseline && !runs.student) throw new RunError('invalid-plan', 'Nothing to run: select the teacher, the baseline or the student.');
  if (runs.student && plan.stages.length === 0) throw new RunError('invalid-plan', 'The student has no training stage: connect a Trainer node to the student.');
  const problems = probeTapProblems(plan.probes, plan.teacherTaps, plan.studentTaps);
  if (problems.length > 0) throw new RunError('invalid-plan', problems.join(' '));
  for (const stage of plan.stages) {
    for (const { term } of stage.terms) {
      try {
        getLoss(term.lossId);
      } catch (error) {
        throw new RunError('invalid-plan', `Stage '${stage.name}': ${(error as Error).message}`);
      }
    }
  }
}

async function loadData(plan: TrainingPlan, read: AssetReader): Promise<LoadedDataset> {
  try {
    return await loadDataset(plan.dataset, read);
  } catch (error) {
    throw new RunError('data', `The dataset could not be loaded: ${(error as Error).message}`);
  }
}

/** Owns every tensor-holding object of a run so one finally disposes them all. */
class RunResources {
  private readonly disposables: { dispose(): void }[] = [];
  track<T extends { dispose(): void }>(item: T): T {
    this.disposables.push(item);
    return item;
  }
  release<T extends { dispose(): void }>(item: T): void {
    const index = this.disposables.indexOf(item);
    if (index >= 0) this.disposables.splice(index, 1);
    item.dispose();
  }
  disposeAll(): void {
    for (const item of this.disposables.splice(0).reverse()) item.dispose();
  }
}

/** 0 for an invalid architecture, so partial results can still be reported. */
function paramsOf(spec: ArchitectureSpec): number {
  const summary = trySummarizeArchitecture(spec);
  return summary.ok ? summary.summary.params : 0;
}

/** The trained student or baseline with the experiment, architecture and data set it was trained in, for export. */
async function trainedModel(model: tf.LayersModel, plan: TrainingPlan): Promise<TrainedModel> {
  const spec = plan.student.architecture;
  return { experimentName: plan.experimentName, spec, datasetId: plan.dataset.datasetId, weights: await getLayerWeightsAsync(model, spec) };
}

/**
 * Plans a phase's steps with their relative cost, for the progress estimate: floating-point operations per
 * batch, with a backward pass counted as twice the forward one and a frozen teacher running
 * forward only. Measured time per step follows it to within a few times (small models pay more
 * per-operation overhead), which is enough to weigh a teacher's steps against a student's.
 */
function planPhase(
  progress: ProgressTracker, phase: RunPhase, stages: readonly PhaseStage[], trainCount: number, trainedFlops: number, teacherForwardFlops = 0,
): void {
  const steps = phaseSteps(stages, trainCount);
  const samples = stages.reduce((sum, stage) => sum + stage.settings.epochs * trainCount, 0);
  progress.plan(phase, steps, Math.max(1, (samples / Math.max(1, steps)) * (3 * trainedFlops + teacherForwardFlops)));
}

async function finalResult(
  model: tf.LayersModel, spec: ArchitectureSpec, outcome: PhaseOutcome, data: LoadedDataset, now: () => number, seed: number,
  fromCache?: boolean, pretrained?: boolean,
): Promise<ModelResult> {
  return modelResult(summarizeArchitecture(spec), {
    testAccuracy: outcome.testAccuracy,
    validationAccuracy: outcome.validationAccuracy,
    trainAccuracy: outcome.trainAccuracy,
    epochs: outcome.epochs,
    trainingSeconds: outcome.trainingSeconds,
    inferenceMsPerSample: await measureInferenceMs(model, data.test, data.info, now),
    seed,
    fromCache,
    pretrained,
  });
}

export async function runExperiment(plan: TrainingPlan, runs: RunSelection, env: TrainEnv): Promise<ExperimentResults> {
  const { emit, control, now } = env;
  const resources = new RunResources();
  const results: Record<RunPhase, ModelResult | null> = { teacher: null, baseline: null, student: null };
  let data: LoadedDataset | null = null;
  const finish = (): ExperimentResults => assembleResults({
    experimentName: plan.experimentName,
    backend: env.backend,
    datasetId: plan.dataset.datasetId,
    trainCount: data?.train.count ?? 0,
    testCount: data?.test.count ?? 0,
    ...results,
    teacherParams: paramsOf(plan.teacher.architecture),
    studentParams: paramsOf(plan.student.architecture),
    finishedAt: new Date(),
  });

  /** A phase is done: say so, and send the results so far, which a later crash or closed tab keeps. */
  const phaseDone = (phase: RunPhase, testAccuracy: number, fromCache: boolean): void => {
    emit({ type: 'phaseDone', phase, testAccuracy, fromCache });
    emit({ type: 'result', results: finish() });
  };

  try {
    checkPlan(plan, runs);
    data = await loadData(plan, env.readAsset);
    const loaded = data;
    const progress = new ProgressTracker(now);
    const services: PhaseServices = { data: loaded, augmentShift: plan.dataset.augmentShift, emit, control, progress, now };
    const trainCount = loaded.train.count;
    const studentFlops = summarizeArchitecture(plan.student.architecture).flops;
    const teacherFlops = summarizeArchitecture(plan.teacher.architecture).flops;
    const baselineStages = [crossEntropyStage('Baseline', plan.baseline)];
    const planBaseline = (): void => planPhase(progress, 'baseline', baselineStages, trainCount, studentFlops);
    emit({ type: 'log', message: `Data: ${trainCount} training, ${loaded.validation.count} validation, ${loaded.test.count} test images.` });

    // ---- teacher ----
    let teacher: tf.LayersModel | null = null;
    if (runs.teacher || runs.student) {
      teacher = resources.track(buildModel(plan.teacher.architecture, { taps: plan.teacherTaps, seed: plan.teacher.settings.seed }));
      const restored = env.ignoreTeacherCache ? null : await restoreTeacher(teacher, plan.teacher.architecture, plan.teacher.cacheKey, env);
      const teacherStage = crossEntropyStage('Teacher', plan.teacher.settings);
      if (!restored) planPhase(progress, 'teacher', [teacherStage], trainCount, teacherFlops);
      if (runs.baseline) planBaseline();
      if (runs.student) planPhase(progress, 'student', distillationStages(plan), trainCount, studentFlops, teacherFlops);

      if (restored) {
        emit({ type: 'log', message: restored.pretrained
          ? 'Teacher loaded from the pretrained teachers shipped with the studio (this preset\'s recipe, same architecture, data and seed): not retrained.'
          : 'Teacher restored from the cache (same architecture, data and seed): not retrained.' });
        const shouldStop = (): boolean => control.stopRequested;
        const outcome: PhaseOutcome = {
          completed: true,
          epochs: plan.teacher.settings.epochs,
          trainingSeconds: 0,
          trainAccuracy: await evaluateAccuracy(teacher, loaded.train, loaded.info, { limit: CACHED_TEACHER_TRAIN_EVAL_LIMIT, shouldStop }),
          validationAccuracy: await evaluateAccuracy(teacher, loaded.validation, loaded.info, { shouldStop }),
          testAccuracy: await evaluateAccuracy(teacher, loaded.test, loaded.info, { shouldStop }),
        };
        if (control.stopRequested) return stopped(emit, finish);
        results.teacher = await finalResult(teacher, plan.teacher.architecture, outcome, loaded, now, plan.teacher.settings.seed, true, restored.pretrained);
        phaseDone('teacher', outcome.testAccuracy, true);
      } else {
        const outcome = await trainPhase({
          phase: 'teacher', model: teacher, spec: plan.teacher.architecture, taps: plan.teacherTaps,
          teacher: null, teacherTaps: [], adapters: new Map(), stages: [teacherStage], probes: null,
        }, { ...services, augmentShift: plan.teacher.augmentShift });
        if (!outcome.completed) return stopped(emit, finish);
        results.teacher = await finalResult(teacher, plan.teacher.architecture, outcome, loaded, now, plan.teacher.settings.seed, false);
        await storeTeacher(plan.teacher.cacheKey, await getLayerWeightsAsync(teacher, plan.teacher.architecture), env);
        phaseDone('teacher', outcome.testAccuracy, false);
      }
      // Frozen from here on: the teacher only ever runs forward, outside the gradient tape.
      teacher.trainable = false;
    } else {
      planBaseline();
    }

    const probes = teacher && plan.probes.count > 0 ? makeProbes(plan, loaded, resources, env) : null;

    // ---- baseline: the same student trained on labels alone ----
    if (runs.baseline) {
      const baseline = resources.track(buildModel(plan.student.architecture, { taps: plan.studentTaps, seed: plan.baseline.seed }));
      const outcome = await trainPhase({
        phase: 'baseline', model: baseline, spec: plan.student.architecture, taps: plan.studentTaps,
        teacher, teacherTaps: plan.teacherTaps, adapters: new Map(), stages: baselineStages, probes,
      }, services);
      if (!outcome.completed) return stopped(emit, finish);
      results.baseline = await finalResult(baseline, plan.student.architecture, outcome, loaded, now, plan.baseline.seed);
      emit({ type: 'weights', phase: 'baseline', model: await trainedModel(baseline, plan) });
      phaseDone('baseline', outcome.testAccuracy, false);
      resources.release(baseline);
    }

    // ---- distilled student ----
    if (runs.student && teacher) {
      const stages = distillationStages(plan);
      const seed = stages[0].settings.seed;
      const student = resources.track(buildModel(plan.student.architecture, { taps: plan.studentTaps, seed }));
      const adapters = new Map<string, Adapter>();
      plan.adapters.forEach((adapterPlan, index) => {
        adapters.set(adapterPlan.id, resources.track(buildAdapter(adapterPlan, seed + 1 + index)));
      });
      const outcome = await trainPhase({
        phase: 'student', model: student, spec: plan.student.architecture, taps: plan.studentTaps,
        teacher, teacherTaps: plan.teacherTaps, adapters, stages, probes,
      }, services);
      if (!outcome.completed) return stopped(emit, finish);
      results.student = await finalResult(student, plan.student.architecture, outcome, loaded, now, seed);
      emit({ type: 'weights', phase: 'student', model: await trainedModel(student, plan) });
      phaseDone('student', outcome.testAccuracy, false);
    }

    const final = finish();
    emit({ type: 'result', results: final });
    emit({ type: 'status', state: 'finished' });
    return final;
  } catch (error) {
    if (error instanceof DivergenceError) {
      emit({ type: 'error', kind: 'diverged', message: error.message, lossTerm: error.termId });
    } else if (error instanceof RunError) {
      emit({ type: 'error', kind: error.kind, message: error.message });
    } else if (error instanceof ArchitectureError) {
      emit({ type: 'error', kind: 'invalid-plan', message: `${error.message} Fix the model in the graph and run again.` });
    } else {
      throw error;
    }
    emit({ type: 'status', state: 'stopped' });
    return finish();
  } finally {
    resources.disposeAll();
  }
}

function stopped(emit: (event: TrainEvent) => void, finish: () => ExperimentResults): ExperimentResults {
  const partial = finish();
  emit({ type: 'result', results: partial });
  emit({ type: 'status', state: 'stopped' });
  return partial;
}

function makeProbes(plan: TrainingPlan, data: LoadedDataset, resources: RunResources, env: TrainEnv): PhaseProbes {
  const count = Math.min(plan.probes.count, data.test.count);
  const batch: ProbeBatch = probeBatch(data.test, data.info, count);
  resources.track({ dispose: () => tf.dispose([batch.xs, batch.ys]) });
  return {
    plan: plan.probes,
    batch,
    images: probeImages(data.test, batch.indices, data.info.shape),
    everySteps: Math.max(1, env.probeEverySteps ?? DEFAULT_PROBE_EVERY_STEPS),
  };
}

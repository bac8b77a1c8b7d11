import { loadDataset, widestTrainSubset, withTrainSubset } from '../data/loader';
import type { AssetReader, LoadedDataset } from '../data/types';
import { trySummarizeArchitecture } from '../models/shapes';
import { ArchitectureError, type LayerWeights } from '../models/spec';
import type { RunErrorDetail, TrainEvent } from '../protocol';
import type { EnsembleResult, ExperimentResults, ModelResult } from '../results';
import type { RunControl } from './control';
import { PLAN_VERSION, selectedPhases, type PhasePlan, type RunSelection, type TrainingPlan } from './plan';
import { probeTapProblems } from './probes';
import type { TeacherSource } from './pretrained';
import { ProgressTracker } from './progress';
import { DivergenceError } from './step';
import { assembleResults } from './summary';
import { PhaseRunner } from './phaseRunner';
import { getLoss } from '../losses/registry';

/**
 * Runs a compiled plan: its phases in order (teachers trained or restored, baselines, distillations),
 * as selected. Everything platform-specific comes in through TrainEnv, so the worker, the headless
 * runner and the tests drive the same code.
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
  constructor(readonly kind: UserErrorKind, message: string, readonly detail?: RunErrorDetail) {
    super(message);
  }
}


function checkPlan(plan: TrainingPlan, runs: RunSelection): void {
  if (plan.planVersion !== PLAN_VERSION) {
    throw new RunError('invalid-plan', `This plan has version ${String(plan.planVersion)}; the trainer reads version ${PLAN_VERSION}. Recompile the experiment.`);
  }
  if (!runs.teacher && !runs.baseline && !runs.student) throw new RunError('invalid-plan', 'Nothing to run: select the teacher, the baseline or the student.');
  if (selectedPhases(plan, runs).length === 0) throw new RunError('invalid-plan', 'The experiment has no phase of the selected kind: select another, or run all.');
  const ids = new Set(plan.models.map((model) => model.id));
  for (const phase of plan.phases) {
    for (const id of [...phase.trains, ...phase.frozen]) {
      if (!ids.has(id)) throw new RunError('invalid-plan', `Phase '${phase.label}' uses the model '${id}', which the plan does not have.`);
    }
    if (phase.trains.length === 0) throw new RunError('invalid-plan', `Phase '${phase.label}' trains no model: connect a student to its losses.`);
    if (phase.stages.length === 0) throw new RunError('invalid-plan', `Phase '${phase.label}' has no training stage: connect a Trainer node.`);
    for (const stage of phase.stages) {
      for (const { term } of stage.terms) {
        try {
          getLoss(term.lossId);
        } catch (error) {
          throw new RunError('invalid-plan', `Stage '${stage.name}': ${(error as Error).message}`);
        }
      }
    }
  }
  for (const ensemble of plan.ensembles) {
    const unknown = ensemble.members.find((id) => !ids.has(id));
    if (unknown !== undefined) throw new RunError('invalid-plan', `The ensemble '${ensemble.label}' averages the model '${unknown}', which the plan does not have.`);
  }
  const problems = probeTapProblems(plan.probes, plan.models);
  if (problems.length > 0) throw new RunError('invalid-plan', problems.join(' '));
}

/** Loads the widest training subset the phases to run need (a teacher may train on more than its students). */
async function loadData(plan: TrainingPlan, phases: readonly PhasePlan[], read: AssetReader): Promise<LoadedDataset> {
  const subsets = phases.map((phase) => (phase.trainSubset === undefined ? plan.dataset.trainSubset : phase.trainSubset));
  try {
    return await loadDataset({ ...plan.dataset, trainSubset: widestTrainSubset([plan.dataset.trainSubset, ...subsets]) }, read);
  } catch (error) {
    const reason = (error as Error).message;
    throw new RunError('data', `The dataset could not be loaded: ${reason}`, { code: 'dataUnloadable', error: reason });
  }
}

/** 0 for an invalid architecture, so partial results can still be reported. */
function paramsOf(plan: TrainingPlan, modelId: string): number {
  const model = plan.models.find((candidate) => candidate.id === modelId);
  const summary = model === undefined ? null : trySummarizeArchitecture(model.architecture);
  return summary?.ok ? summary.summary.params : 0;
}

export async function runExperiment(plan: TrainingPlan, runs: RunSelection, env: TrainEnv): Promise<ExperimentResults> {
  const { emit } = env;
  const results = new Map<string, ModelResult>();
  const ensembles = new Map<string, EnsembleResult>();
  let data: LoadedDataset | null = null;
  let phaseRunner: PhaseRunner | null = null;
  const finish = (): ExperimentResults => assembleResults({
    experimentName: plan.experimentName,
    backend: env.backend,
    datasetId: plan.dataset.datasetId,
    trainCount: data?.train.count ?? 0,
    testCount: data?.test.count ?? 0,
    models: plan.models,
    phases: plan.phases,
    results,
    paramsOf: (modelId) => paramsOf(plan, modelId),
    ensembles: plan.ensembles.length === 0 ? undefined : plan.ensembles.flatMap((ensemble) => ensembles.get(ensemble.id) ?? []),
    finishedAt: new Date(),
  });
  const stopped = (): ExperimentResults => {
    const partial = finish();
    emit({ type: 'result', results: partial });
    emit({ type: 'status', state: 'stopped' });
    return partial;
  };

  try {
    checkPlan(plan, runs);
    const phases = selectedPhases(plan, runs);
    const loaded = await loadData(plan, phases, env.readAsset);
    data = withTrainSubset(loaded, plan.dataset.trainSubset);
    const counts = { train: data.train.count, validation: data.validation.count, test: data.test.count };
    emit({ type: 'log', message: `Data: ${counts.train} training, ${counts.validation} validation, ${counts.test} test images.`, detail: { code: 'dataCounts', ...counts } });
    const progress = new ProgressTracker(env.now);
    phaseRunner = new PhaseRunner(plan, loaded, env, progress, {
      // A phase is done: send the results so far, which a later crash or closed tab keeps.
      modelDone: (result) => results.set(result.modelId, result),
      ensembleDone: (result) => ensembles.set(result.ensembleId, result),
      phaseDone: () => emit({ type: 'result', results: finish() }),
    });
    for (const phase of phases) phaseRunner.planProgress(phase);
    for (const phase of phases) {
      if (!(await phaseRunner.run(phase))) return stopped();
    }
    const final = finish();
    emit({ type: 'result', results: final });
    emit({ type: 'status', state: 'finished' });
    return final;
  } catch (error) {
    if (error instanceof DivergenceError) {
      emit({
        type: 'error', kind: 'diverged', message: error.message, lossTerm: error.termId,
        detail: { code: 'diverged', term: error.termLabel, value: error.value, step: error.step },
      });
    } else if (error instanceof RunError) {
      emit({ type: 'error', kind: error.kind, message: error.message, ...(error.detail && { detail: error.detail }) });
    } else if (error instanceof ArchitectureError) {
      emit({ type: 'error', kind: 'invalid-plan', message: `${error.message} Fix the model in the graph and run again.` });
    } else {
      throw error;
    }
    emit({ type: 'status', state: 'stopped' });
    return finish();
  } finally {
    phaseRunner?.dispose();
  }
}

import * as tf from '@tensorflow/tfjs';
import { batchesPerEpoch, epochBatches, type ProbeBatch } from '../data/batches';
import { createRng } from '../data/rng';
import type { LoadedDataset } from '../data/types';
import type { TrainerSettings, WeightSchedule } from '../graph/schema';
import type { LossDefinition } from '../losses/types';
import { trainableVariablesUpTo } from '../models/builder';
import type { ArchitectureSpec } from '../models/spec';
import type { TrainEvent } from '../protocol';
import { yieldToEventLoop, type RunControl } from './control';
import { evaluateAccuracy } from './evaluate';
import { createOptimizer } from './optimizer';
import type { LossTermPlan, ProbePlan, RunPhase } from './plan';
import { captureProbeSnapshot } from './probes';
import type { ProgressTracker } from './progress';
import { learningRateAt, weightFactorAt, type SchedulePosition } from './schedules';
import { adapterVariables, trainStep, type ActiveTerm, type Adapter, type StepModels, type StepOutcome } from './step';

/**
 * Trains one model through its stages (the teacher and the baseline have one stage; the distilled
 * student has the experiment's stages), with evaluation and probes at epoch ends.
 */

export interface PhaseTerm {
  plan: LossTermPlan;
  definition: LossDefinition;
  schedule: WeightSchedule;
}

export interface PhaseStage {
  name: string;
  settings: TrainerSettings;
  terms: PhaseTerm[];
  trainUpTo: string | null;
}

export interface PhaseProbes {
  plan: ProbePlan;
  batch: ProbeBatch;
  images: number[][];
  /** Snapshot every this many steps (and always at epoch ends). */
  everySteps: number;
}

export interface PhaseSetup {
  phase: RunPhase;
  model: tf.LayersModel;
  spec: ArchitectureSpec;
  taps: readonly string[];
  teacher: tf.LayersModel | null;
  teacherTaps: readonly string[];
  adapters: ReadonlyMap<string, Adapter>;
  stages: PhaseStage[];
  /** Present when a teacher exists to compare against. */
  probes: PhaseProbes | null;
}

export interface PhaseServices {
  data: LoadedDataset;
  augmentShift: number;
  emit(event: TrainEvent): void;
  control: RunControl;
  progress: ProgressTracker;
  now(): number;
}

export interface PhaseOutcome {
  /** False when the user stopped the run during this phase. */
  completed: boolean;
  epochs: number;
  trainingSeconds: number;
  trainAccuracy: number;
  validationAccuracy: number;
  testAccuracy: number;
}

/** Yield at least this often (ms) so pause/stop messages and the page are served. */
const YIELD_INTERVAL_MS = 30;

export function phaseSteps(stages: readonly PhaseStage[], trainCount: number): number {
  return stages.reduce((sum, stage) => sum + stage.settings.epochs * Math.ceil(trainCount / stage.settings.batchSize), 0);
}

function stageVariables(setup: PhaseSetup, stage: PhaseStage): tf.Variable[] {
  const variables = trainableVariablesUpTo(setup.model, setup.spec, stage.trainUpTo);
  const adapterIds = new Set<string>();
  for (const { plan } of stage.terms) {
    for (const ref of Object.values(plan.inputs)) {
      if (ref.kind === 'feature' && ref.adapterId !== null) adapterIds.add(ref.adapterId);
    }
  }
  for (const id of adapterIds) {
    const adapter = setup.adapters.get(id);
    if (adapter) variables.push(...adapterVariables(adapter));
  }
  return variables;
}

export async function trainPhase(setup: PhaseSetup, services: PhaseServices): Promise<PhaseOutcome> {
  const { data, emit, control, progress, now } = services;
  const info = data.info;
  const stepModels: StepModels = {
    student: setup.model,
    studentTaps: setup.taps,
    teacher: setup.teacher,
    teacherTaps: setup.teacherTaps,
    adapters: setup.adapters,
  };
  const outcome: PhaseOutcome = {
    completed: false, epochs: 0, trainingSeconds: 0, trainAccuracy: Number.NaN, validationAccuracy: Number.NaN, testAccuracy: Number.NaN,
  };
  const started = now();
  let lastYield = started;
  let step = 0;
  progress.startPhase(setup.phase);

  const snapshot = async (): Promise<void> => {
    if (!setup.probes || !setup.teacher) return;
    const { plan, batch, images } = setup.probes;
    emit(await captureProbeSnapshot(
      { teacher: setup.teacher, teacherTaps: setup.teacherTaps, student: setup.model, studentTaps: setup.taps },
      plan, batch, images, info.shape, setup.phase, step,
    ));
  };

  await snapshot();
  for (const [stageIndex, stage] of setup.stages.entries()) {
    const { settings } = stage;
    const stepsPerEpoch = batchesPerEpoch(data.train, settings.batchSize);
    const variables = stageVariables(setup, stage);
    const optimizer = createOptimizer(settings);
    const rng = createRng(settings.seed);
    try {
      for (let epoch = 0; epoch < settings.epochs; epoch++) {
        let correct = 0;
        let seen = 0;
        let stepInEpoch = 0;
        for (const batch of epochBatches(data.train, info, { batchSize: settings.batchSize, rng, augmentShift: services.augmentShift })) {
          if (!(await control.checkpoint())) {
            tf.dispose([batch.xs, batch.ys]);
            outcome.trainingSeconds = (now() - started) / 1000;
            return outcome;
          }
          const position: SchedulePosition = { epoch, stepInEpoch, stepsPerEpoch, totalEpochs: settings.epochs };
          const terms: ActiveTerm[] = stage.terms.map(({ plan, definition, schedule }) => ({
            plan, definition, weight: plan.weight * weightFactorAt(schedule, position),
          }));
          step += 1;
          let result: StepOutcome;
          try {
            result = await trainStep(stepModels, terms, batch, variables, optimizer, learningRateAt(settings.learningRate, settings.lrSchedule, position), step);
          } finally {
            tf.dispose([batch.xs, batch.ys]);
          }
          correct += result.correct;
          seen += result.count;
          stepInEpoch += 1;
          progress.stepDone(setup.phase);
          const epochNumber = outcome.epochs + 1;
          emit({ type: 'step', phase: setup.phase, stageIndex, step, epoch: epochNumber, terms: result.terms, total: result.total });
          emit(progress.event({
            phase: setup.phase, stageIndex, stageName: stage.name, epoch: epochNumber, epochs: totalEpochs(setup.stages), step, stepsTotal: phaseSteps(setup.stages, data.train.count),
          }));
          if (setup.probes && step % setup.probes.everySteps === 0) await snapshot();
          if (now() - lastYield > YIELD_INTERVAL_MS) {
            await yieldToEventLoop();
            lastYield = now();
          }
        }
        outcome.epochs += 1;
        outcome.trainAccuracy = seen > 0 ? correct / seen : Number.NaN;
        const shouldStop = (): boolean => control.stopRequested;
        outcome.validationAccuracy = await evaluateAccuracy(setup.model, data.validation, info, { shouldStop });
        outcome.testAccuracy = await evaluateAccuracy(setup.model, data.test, info, { shouldStop });
        if (control.stopRequested) {
          outcome.trainingSeconds = (now() - started) / 1000;
          return outcome;
        }
        emit({
          type: 'epoch', phase: setup.phase, stageIndex, epoch: outcome.epochs,
          trainAccuracy: outcome.trainAccuracy, validationAccuracy: outcome.validationAccuracy, testAccuracy: outcome.testAccuracy,
        });
        await snapshot();
      }
    } finally {
      optimizer.dispose();
    }
  }
  outcome.completed = true;
  outcome.trainingSeconds = (now() - started) / 1000;
  return outcome;
}

function totalEpochs(stages: readonly PhaseStage[]): number {
  return stages.reduce((sum, stage) => sum + stage.settings.epochs, 0);
}

import * as tf from '@tensorflow/tfjs';
import { batchesPerEpoch, epochBatches } from '../data/batches';
import { createRng } from '../data/rng';
import type { BatchSampler, LoadedDataset } from '../data/types';
import type { QuantizationMethod, QuantizationSettings, TrainerSettings, WeightSchedule } from '../graph/schema';
import type { ActivationQuant } from '../compress/fakeQuant';
import { ptqOutcome, QatSession, quantizationAt } from '../compress/qat';
import type { LossDefinition, LossModule } from '../losses/types';
import { trainableVariablesUpTo } from '../models/builder';
import type { ArchitectureSpec } from '../models/spec';
import type { TrainEvent } from '../protocol';
import { yieldToEventLoop, type RunControl } from './control';
import { evaluateAccuracy } from './evaluate';
import { createOptimizer, type TrainingOptimizer } from './optimizer';
import type { LossTermPlan, PhaseKind } from './plan';
import type { ProgressTracker } from './progress';
import { learningRateAt, weightFactorAt, type SchedulePosition } from './schedules';
import { pretrainingSteps, pretrainModules } from './pretrain';
import type { PhasePruner } from '../compress/pruner';
import type { PruningSettings } from '../compress/types';
import { adapterVariables, trainStep, type ActiveTerm, type Adapter, type Network, type StepModels, type StepOutcome } from './step';

/**
 * Trains the networks of one phase through its stages, together (a teacher or a baseline alone; a
 * student, or peers learning from each other), with every trained network evaluated at epoch ends.
 */

export interface PhaseTerm {
  plan: LossTermPlan;
  definition: LossDefinition;
  schedule: WeightSchedule;
  module?: LossModule;
  ownOptimizer?: TrainingOptimizer;
}

export interface PhaseStage {
  name: string;
  settings: TrainerSettings;
  terms: PhaseTerm[];
  trainUpTo: string | null;
  pruning?: PruningSettings;
  /** QAT from this stage on (absent = as the stage before; none before = FP32). */
  quantization?: QuantizationSettings;
}

/** A network the phase trains, with the architecture its layers are selected from. */
export interface TrainedNetwork extends Network {
  id: string;
  spec: ArchitectureSpec;
}

export interface PhaseSetup {
  phaseId: string;
  kind: PhaseKind;
  label: string;
  /** Every network the phase's terms may read (trained and frozen), by model id. */
  networks: ReadonlyMap<string, Network>;
  trains: readonly TrainedNetwork[];
  adapters: ReadonlyMap<string, Adapter>;
  stages: PhaseStage[];
  augmentShift: number;
  /** Random horizontal flips (the dataset's setting). */
  augmentFlip: boolean;
  /** The dataset's batch sampler; absent = shuffled. */
  sampler?: BatchSampler;
  /** Live views of the phase, called with the step count (after step 0, every few steps and at epoch ends). */
  snapshot: ((step: number) => Promise<void>) | null;
  snapshotEverySteps: number;
  /** Masks of the trained networks when a stage prunes (kept across stages; the caller disposes it). */
  pruner?: PhasePruner;
}

export interface PhaseServices {
  data: LoadedDataset;
  emit(event: TrainEvent): void;
  control: RunControl;
  progress: ProgressTracker;
  now(): number;
}

export interface ModelOutcome {
  trainAccuracy: number;
  validationAccuracy: number;
  testAccuracy: number;
  /** Networks quantised to INT8 (trained with QAT, or after the phase by PTQ): the fake-quant model's test accuracy, size and activation parameters. */
  int8?: { method: QuantizationMethod; testAccuracy: number; bytes: number; activations: Record<string, ActivationQuant> };
}

export interface PhaseOutcome {
  /** False when the user stopped the run during this phase. */
  completed: boolean;
  epochs: number;
  trainingSeconds: number;
  /** Per trained network. */
  models: Map<string, ModelOutcome>;
}

/** Yield at least this often (ms) so pause/stop messages and the page are served. */
const YIELD_INTERVAL_MS = 30;

export function phaseSteps(stages: readonly { settings: TrainerSettings }[], trainCount: number): number {
  return stages.reduce((sum, stage) => sum + stage.settings.epochs * Math.ceil(trainCount / stage.settings.batchSize), 0);
}

function stageVariables(setup: PhaseSetup, stage: PhaseStage): tf.Variable[] {
  const variables: tf.Variable[] = [];
  for (const trained of setup.trains) {
    const upTo = stage.trainUpTo !== null && trained.spec.layers.some((layer) => layer.id === stage.trainUpTo) ? stage.trainUpTo : null;
    variables.push(...trainableVariablesUpTo(trained.model, trained.spec, upTo));
  }
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
  // A loss's learned parts train in the stages that use it.
  for (const { module } of stage.terms) if (module) variables.push(...module.variables);
  return variables;
}

/** The step's networks with the trained ones running QAT's fake-quantised forward (begun once per network). */
async function quantizedModels(setup: PhaseSetup, qat: QatSession, settings: QuantizationSettings, data: LoadedDataset, models: StepModels): Promise<StepModels> {
  const networks = new Map(models.networks);
  for (const trained of setup.trains) {
    const network = { model: trained.model, spec: trained.spec, taps: trained.taps };
    await qat.begin(trained.id, network, settings, data);
    networks.set(trained.id, { model: trained.model, taps: trained.taps, forward: qat.forward(trained.id, network, settings) });
  }
  return { ...models, networks };
}

export async function trainPhase(setup: PhaseSetup, services: PhaseServices): Promise<PhaseOutcome> {
  const qat = new QatSession();
  try {
    return await trainPhaseWith(setup, services, qat);
  } finally {
    qat.dispose();
  }
}

async function trainPhaseWith(setup: PhaseSetup, services: PhaseServices, qat: QatSession): Promise<PhaseOutcome> {
  const { data, emit, control, progress, now } = services;
  const info = data.info;
  const trainIds = setup.trains.map((trained) => trained.id);
  const stepModels: StepModels = { networks: setup.networks, trains: trainIds, adapters: setup.adapters };
  const outcome: PhaseOutcome = { completed: false, epochs: 0, trainingSeconds: 0, models: new Map() };
  const started = now();
  const finish = (completed: boolean): PhaseOutcome => {
    outcome.completed = completed;
    outcome.trainingSeconds = (now() - started) / 1000;
    return outcome;
  };
  const ref = { phaseId: setup.phaseId, kind: setup.kind };
  const pretrained = new Set<LossModule>();
  const pretrainSteps = pretrainingSteps(setup, data.train.count);
  if (pretrainSteps > 0) progress.extend(setup.phaseId, pretrainSteps);
  const stepsTotal = phaseSteps(setup.stages, data.train.count);
  const epochsTotal = setup.stages.reduce((sum, stage) => sum + stage.settings.epochs, 0);
  let lastYield = started;
  let step = 0;
  progress.startPhase(setup.phaseId);

  await setup.snapshot?.(step);
  for (const [stageIndex, stage] of setup.stages.entries()) {
    const { settings } = stage;
    const stepsPerEpoch = batchesPerEpoch(data.train, settings.batchSize);
    const reportPretraining = (what: string): void => {
      emit(progress.event({ ...ref, phaseLabel: setup.label, stageIndex, stageName: `${stage.name} (${what})`, epoch: outcome.epochs + 1, epochs: epochsTotal, step, stepsTotal }));
    };
    if (!(await pretrainModules(setup, stage, pretrained, services, reportPretraining))) return finish(false);
    const variables = stageVariables(setup, stage);
    const quantization = quantizationAt(setup.stages, stageIndex);
    const stageModels = quantization && quantization.method !== 'ptq' ? await quantizedModels(setup, qat, quantization, data, stepModels) : stepModels;
    const optimizer = setup.pruner?.beginStage(stage.pruning, stepsPerEpoch * settings.epochs, createOptimizer(settings)) ?? createOptimizer(settings);
    const rng = createRng(settings.seed);
    try {
      for (let epoch = 0; epoch < settings.epochs; epoch++) {
        const correct = new Map(trainIds.map((id) => [id, 0]));
        let seen = 0;
        let stepInEpoch = 0;
        for (const batch of epochBatches(data.train, info, { batchSize: settings.batchSize, rng, augmentShift: setup.augmentShift, augmentFlip: setup.augmentFlip, sampler: setup.sampler })) {
          if (!(await control.checkpoint())) {
            tf.dispose([batch.xs, batch.ys]);
            return finish(false);
          }
          const position: SchedulePosition = { epoch, stepInEpoch, stepsPerEpoch, totalEpochs: settings.epochs };
          const terms: ActiveTerm[] = stage.terms.map(({ plan, definition, schedule, module, ownOptimizer }) => ({
            plan, definition, module, ownOptimizer, weight: plan.weight * weightFactorAt(schedule, position),
          }));
          step += 1;
          let result: StepOutcome;
          try {
            await setup.pruner?.beforeStep(epoch * stepsPerEpoch + stepInEpoch);
            result = await trainStep(stageModels, terms, batch, variables, optimizer, learningRateAt(settings.learningRate, settings.lrSchedule, position), step);
          } finally {
            tf.dispose([batch.xs, batch.ys]);
          }
          for (const id of trainIds) correct.set(id, (correct.get(id) ?? 0) + (result.correct[id] ?? 0));
          seen += result.count;
          stepInEpoch += 1;
          progress.stepDone(setup.phaseId);
          const epochNumber = outcome.epochs + 1;
          emit({ type: 'step', ...ref, stageIndex, step, epoch: epochNumber, terms: result.terms, total: result.total, metrics: result.metrics });
          emit(progress.event({ ...ref, phaseLabel: setup.label, stageIndex, stageName: stage.name, epoch: epochNumber, epochs: epochsTotal, step, stepsTotal }));
          if (setup.snapshot && step % setup.snapshotEverySteps === 0) await setup.snapshot(step);
          if (now() - lastYield > YIELD_INTERVAL_MS) {
            await yieldToEventLoop();
            lastYield = now();
          }
        }
        outcome.epochs += 1;
        const shouldStop = (): boolean => control.stopRequested;
        const evaluated: [string, ModelOutcome][] = [];
        for (const trained of setup.trains) {
          const validationAccuracy = await evaluateAccuracy(trained.model, data.validation, info, { shouldStop });
          const testAccuracy = await evaluateAccuracy(trained.model, data.test, info, { shouldStop });
          evaluated.push([trained.id, { trainAccuracy: seen > 0 ? (correct.get(trained.id) ?? 0) / seen : Number.NaN, validationAccuracy, testAccuracy }]);
        }
        if (control.stopRequested) return finish(false);
        for (const [modelId, accuracies] of evaluated) {
          outcome.models.set(modelId, accuracies);
          emit({ type: 'epoch', ...ref, modelId, stageIndex, epoch: outcome.epochs, ...accuracies });
        }
        await setup.snapshot?.(step);
      }
    } finally {
      optimizer.dispose();
    }
  }
  const last = quantizationAt(setup.stages, setup.stages.length - 1);
  for (const trained of setup.trains) {
    const accuracies = outcome.models.get(trained.id);
    const method = qat.active(trained.id) ? 'qat' : last?.method === 'ptq' ? 'ptq' : null;
    if (!accuracies || method === null) continue;
    const shouldStop = () => control.stopRequested;
    const int8 = method === 'qat' ? await qat.outcome(trained.id, trained, data, shouldStop) : await ptqOutcome(trained, last!, data, shouldStop);
    if (control.stopRequested) return finish(false);
    accuracies.int8 = { method, testAccuracy: int8.testAccuracy, bytes: int8.bytes, activations: Object.fromEntries(int8.params) };
  }
  return finish(true);
}

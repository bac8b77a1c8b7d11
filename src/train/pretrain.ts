import * as tf from '@tensorflow/tfjs';
import { epochBatches } from '../data/batches';
import { createRng } from '../data/rng';
import type { LossInputs, LossModule, ModulePretraining } from '../losses/types';
import { layerSeed } from '../models/seedHash';
import { yieldToEventLoop } from './control';
import { createOptimizer } from './optimizer';
import type { PhaseServices, PhaseSetup, PhaseStage, PhaseTerm } from './phase';
import { DivergenceError, frozenForward, tapOutput } from './step';

/**
 * Loss modules that train alone before distillation (FT's paraphraser on the teacher feature): each
 * runs its epochs over the training images before the first stage that uses it, on the inputs of
 * its loss's teacher-side ports, which must come from networks the phase keeps frozen. Nothing
 * else changes meanwhile. Progress counts these steps; the log reports the objective per epoch.
 */

/** Seeds the pre-training's own shuffle, so the stage that follows draws the batches it would without it. */
const PRETRAINING_SHUFFLE_INDEX = 7_001;

interface Pending {
  term: PhaseTerm;
  module: LossModule;
  pretraining: ModulePretraining;
}

/** The modules of a stage still to pre-train (each once per phase). */
export function pendingPretraining(stage: PhaseStage, done: ReadonlySet<LossModule>): Pending[] {
  return stage.terms.flatMap((term) => {
    const { module } = term;
    return module?.pretraining && !done.has(module) ? [{ term, module, pretraining: module.pretraining }] : [];
  });
}

/** Steps every module of the phase will pre-train, for the progress estimate. */
export function pretrainingSteps(setup: PhaseSetup, trainCount: number): number {
  const counted = new Set<LossModule>();
  let steps = 0;
  for (const stage of setup.stages) {
    for (const { module, pretraining } of pendingPretraining(stage, counted)) {
      counted.add(module);
      steps += pretraining.epochs * Math.ceil(trainCount / stage.settings.batchSize);
    }
  }
  return steps;
}

/** The teacher-side inputs of the term, from frozen networks only. Caller disposes the returned tensors. */
function teacherInputs(setup: PhaseSetup, term: PhaseTerm, xs: tf.Tensor): LossInputs {
  const inputs: LossInputs = {};
  const trained = new Set(setup.trains.map((network) => network.id));
  for (const port of term.definition.ports.filter((p) => p.side === 'teacher')) {
    const ref = term.plan.inputs[port.name];
    if (!ref || ref.kind === 'labels' || ref.kind === 'ensemble' || trained.has(ref.model) || !setup.networks.has(ref.model)) {
      throw new Error(`'${term.plan.label}' pre-trains on its ${port.label.toLowerCase()}, which must come from a network this phase keeps frozen (a teacher).`);
    }
    const network = setup.networks.get(ref.model)!;
    const outputs = frozenForward(network.model, xs);
    inputs[port.name] = tf.keep(ref.kind === 'logits' ? outputs[0] : tapOutput(outputs, network.taps, ref.layerId, ref.model));
    tf.dispose(outputs.filter((output) => output !== inputs[port.name]));
  }
  return inputs;
}

/** Runs the pending pre-training of a stage; false when the user stopped the run. */
export async function pretrainModules(
  setup: PhaseSetup, stage: PhaseStage, done: Set<LossModule>, services: PhaseServices, onStep: (what: string) => void,
): Promise<boolean> {
  const { data, emit, control, progress, now } = services;
  for (const { term, module, pretraining } of pendingPretraining(stage, done)) {
    const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
    const rng = createRng(layerSeed(stage.settings.seed, PRETRAINING_SHUFFLE_INDEX));
    let lastYield = now();
    let step = 0;
    try {
      for (let epoch = 1; epoch <= pretraining.epochs; epoch++) {
        let sum = 0;
        let count = 0;
        for (const batch of epochBatches(data.train, data.info, { batchSize: stage.settings.batchSize, rng, augmentShift: setup.augmentShift, augmentFlip: setup.augmentFlip, sampler: setup.sampler })) {
          if (!(await control.checkpoint())) {
            tf.dispose(batch);
            return false;
          }
          let inputs: LossInputs = {};
          try {
            inputs = teacherInputs(setup, term, batch.xs);
            const { value, grads } = tf.variableGrads(() => pretraining.loss(inputs), pretraining.variables);
            let loss: number;
            try {
              optimizer.apply(pretraining.variables, grads, pretraining.learningRate);
              loss = (await value.data())[0];
            } finally {
              tf.dispose([value, ...Object.values(grads)]);
            }
            step += 1;
            if (!Number.isFinite(loss)) throw new DivergenceError(`${term.plan.nodeId}:pretraining`, `${term.plan.label}: ${pretraining.label}`, loss, step);
            sum += loss * batch.ys.shape[0];
            count += batch.ys.shape[0];
          } finally {
            tf.dispose([batch, ...Object.values(inputs)]);
          }
          progress.stepDone(setup.phaseId);
          onStep(`pre-training the ${pretraining.label}`);
          if (now() - lastYield > 30) {
            await yieldToEventLoop();
            lastYield = now();
          }
        }
        const loss = sum / Math.max(1, count);
        emit({
          type: 'log', message: `${term.plan.label}: ${pretraining.label}, epoch ${epoch} of ${pretraining.epochs}, loss ${loss.toPrecision(4)}.`,
          detail: { code: 'pretrainEpoch', term: term.plan.label, part: pretraining.label, epoch, epochs: pretraining.epochs, loss },
        });
      }
    } finally {
      optimizer.dispose();
    }
    done.add(module);
  }
  return true;
}

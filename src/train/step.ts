import * as tf from '@tensorflow/tfjs';
import type { LossDefinition, LossInputs, LossModule } from '../losses/types';
import { modelsReadBy, type LossTermPlan, type TensorRef } from './plan';
import { ensembleLogits } from './ensembleLogits';
import type { TrainingOptimizer } from './optimizer';

/**
 * One training step over any number of networks. Frozen networks (teachers) run first in their own
 * tf.tidy (inference mode, outside any gradient tape); then tf.variableGrads differentiates the
 * weighted sum of the active loss terms with respect to the selected variables of the trained
 * networks and adapters only, and the optimiser applies the gradients. A teacher-side input read
 * from a network that is itself trained (mutual learning) is detached: it is a target, so no
 * gradient flows into that network through it. All reported numbers come back in one `await data()`.
 */

/** A tfjs layer or model mapping a student feature to the guide's shape (trained with the student). */
export type Adapter = tf.layers.Layer;

/** A built network and its tapped layers, in the order of the model's extra outputs. */
export interface Network {
  model: tf.LayersModel;
  taps: readonly string[];
  /** Replaces model.apply when the network trains (QAT's fake-quantised forward): [logits, ...taps]. */
  forward?: (xs: tf.Tensor, training: boolean) => tf.Tensor[];
}

export interface StepModels {
  /** Every network a term may read, by model id. */
  networks: ReadonlyMap<string, Network>;
  /** The networks this step trains (forward in training mode, inside the tape). */
  trains: readonly string[];
  adapters: ReadonlyMap<string, Adapter>;
}

export interface ActiveTerm {
  plan: LossTermPlan;
  definition: LossDefinition;
  /** The plan's weight times the schedule's factor at this step. */
  weight: number;
  /** The loss's learned parts, when it has any. */
  module?: LossModule;
  /** Updates the module's own objective (a discriminator), when it has one. */
  ownOptimizer?: TrainingOptimizer;
}

export interface StepBatch {
  xs: tf.Tensor;
  /** int32 class indices. */
  ys: tf.Tensor;
  /** Index of each row in the training split; losses with a per-sample memory (CRD) need it. */
  indices?: Int32Array;
}

export interface StepOutcome {
  /** Weighted value of each term, keyed by the term's node id. */
  terms: Record<string, number>;
  total: number;
  /** Training-mode predictions that matched the label, per trained network (running train accuracy). */
  correct: Record<string, number>;
  count: number;
  /** Numbers of the loss modules' own steps, keyed `<loss node id>:<name>` (e.g. discriminator accuracy). */
  metrics: Record<string, number>;
}

/** A loss term became NaN or infinite. */
export class DivergenceError extends Error {
  override readonly name = 'DivergenceError';
  constructor(readonly termId: string, readonly termLabel: string, readonly value: number, readonly step: number) {
    super(
      `Training diverged at step ${step}: the loss term '${termLabel}' became ${value} (not a finite number). ` +
      `Lower the learning rate or this term's weight, then run again.`,
    );
  }
}

/** Forward outputs are [logits, ...taps]; a model without taps returns a bare tensor. */
export function outputList(output: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(output) ? output : [output];
}

/** The tensor itself going forward, zero going back: tfjs has no stopGradient op. */
export const stopGradient = tf.customGrad((x) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as (x: tf.Tensor) => tf.Tensor;

export function tapOutput(outputs: readonly tf.Tensor[], taps: readonly string[], layerId: string, modelId: string): tf.Tensor {
  const index = taps.indexOf(layerId);
  if (index < 0) {
    throw new Error(`Layer '${layerId}' of '${modelId}' is used by a loss but is not tapped (taps: ${taps.join(', ') || 'none'}).`);
  }
  return outputs[index + 1];
}

/** The variables an adapter trains: its trainable weights as tf.Variables. */
export function adapterVariables(adapter: Adapter): tf.Variable[] {
  return adapter.trainableWeights.map((weight) => {
    const value = weight.read();
    if (!(value instanceof tf.Variable)) throw new Error(`Adapter weight '${weight.name}' is not a tf.Variable.`);
    return value;
  });
}

/** Models read by the terms with a non-zero weight, each with the label of the first term that reads it. */
function modelsRead(terms: readonly ActiveTerm[]): Map<string, string> {
  const readers = new Map<string, string>();
  for (const { plan, weight } of terms) {
    if (weight === 0) continue;
    for (const ref of Object.values(plan.inputs)) for (const id of modelsReadBy(ref)) if (!readers.has(id)) readers.set(id, plan.label);
  }
  return readers;
}

/** `reader` says who needs the network, for the message when the phase does not run it. */
function network(models: StepModels, id: string, reader: string): Network {
  const found = models.networks.get(id);
  if (!found) throw new Error(`${reader} reads the model '${id}', which this phase does not run.`);
  return found;
}

/** Frozen outputs for a batch, computed in inference mode outside any tape. Caller disposes. */
export function frozenForward(model: tf.LayersModel, xs: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => outputList(model.predict(xs, { batchSize: xs.shape[0] })));
}

/** Resolves the loss inputs of one term. Must run inside the gradient function. */
class InputResolver {
  private readonly adapted = new Map<string, tf.Tensor>();
  private readonly detached = new Map<tf.Tensor, tf.Tensor>();
  private readonly ensembles = new Map<string, tf.Tensor>();
  constructor(
    private readonly models: StepModels,
    private readonly outputs: ReadonlyMap<string, tf.Tensor[]>,
    private readonly labels: tf.Tensor,
  ) {}

  inputs(term: LossTermPlan): LossInputs {
    const inputs: LossInputs = {};
    for (const [port, ref] of Object.entries(term.inputs)) inputs[port] = this.resolve(ref, term.label);
    return inputs;
  }

  private resolve(ref: TensorRef, termLabel: string): tf.Tensor {
    if (ref.kind === 'labels') return this.labels;
    if (ref.kind === 'ensemble') {
      const tensor = this.ensemble(ref.members, termLabel);
      return ref.detach ? this.detach(tensor) : tensor;
    }
    const outputs = this.outputsOf(ref.model, termLabel);
    let tensor = ref.kind === 'logits' ? outputs[0] : tapOutput(outputs, network(this.models, ref.model, `The loss '${termLabel}'`).taps, ref.layerId, ref.model);
    if (ref.kind === 'feature' && ref.adapterId !== null) tensor = this.adapt(tensor, ref.model, ref.layerId, ref.adapterId, termLabel);
    return ref.detach ? this.detach(tensor) : tensor;
  }

  private outputsOf(modelId: string, termLabel: string): tf.Tensor[] {
    const outputs = this.outputs.get(modelId);
    if (!outputs) throw new Error(`The loss '${termLabel}' reads the model '${modelId}', which this phase does not run.`);
    return outputs;
  }

  /** Computed once per step for all the terms that read the same members. */
  private ensemble(members: readonly string[], termLabel: string): tf.Tensor {
    const key = members.join('|');
    const cached = this.ensembles.get(key);
    if (cached) return cached;
    const logits = ensembleLogits(members.map((id) => this.outputsOf(id, termLabel)[0]));
    this.ensembles.set(key, logits);
    return logits;
  }

  private adapt(feature: tf.Tensor, modelId: string, layerId: string, adapterId: string, termLabel: string): tf.Tensor {
    const key = `${modelId}|${layerId}|${adapterId}`;
    const cached = this.adapted.get(key);
    if (cached) return cached;
    const adapter = this.models.adapters.get(adapterId);
    if (!adapter) throw new Error(`The loss '${termLabel}' names adapter '${adapterId}', which the plan does not define.`);
    const mapped = adapter.apply(feature, { training: true }) as tf.Tensor;
    this.adapted.set(key, mapped);
    return mapped;
  }

  private detach(tensor: tf.Tensor): tf.Tensor {
    const cached = this.detached.get(tensor);
    if (cached) return cached;
    const target = stopGradient(tensor);
    this.detached.set(tensor, target);
    return target;
  }
}

/**
 * Runs one step and applies the update. Terms with weight 0 (e.g. KD after ESKD's cut-off) are not
 * computed and report 0. Throws DivergenceError naming the first non-finite term.
 */
export async function trainStep(
  models: StepModels,
  terms: readonly ActiveTerm[],
  batch: StepBatch,
  variables: tf.Variable[],
  optimizer: TrainingOptimizer,
  learningRate: number,
  stepNumber: number,
): Promise<StepOutcome> {
  if (variables.length === 0) throw new Error('Nothing to train: the stage selects no trainable variables.');
  if (terms.every(({ weight }) => weight === 0)) {
    // tf.variableGrads would fail with a cryptic "no connection" error; validation flags the settings.
    throw new Error(`At step ${stepNumber} every loss term weighs 0, so there is nothing to learn from: ` +
      'give a loss a weight other than 0 for the whole stage.');
  }
  const trained = new Set(models.trains);
  // Modules told about this batch, to be told when the step ends (also when it fails).
  const stepModules: LossModule[] = [];
  let applied = false;
  const frozenOutputs = new Map<string, tf.Tensor[]>();
  // Inputs of the terms whose module trains itself afterwards, kept (detached) past the tape.
  const ownInputs = new Map<ActiveTerm, LossInputs>();
  let report: tf.Tensor | null = null;
  let ownReport: OwnReport | null;
  let gradients: tf.NamedTensorMap = {};
  try {
    beginModuleSteps(terms, batch, stepModules);
    for (const [id, termLabel] of modelsRead(terms)) {
      if (!trained.has(id)) frozenOutputs.set(id, frozenForward(network(models, id, `The loss '${termLabel}'`).model, batch.xs));
    }
    const { value, grads } = tf.variableGrads(() => {
      const outputs = new Map(frozenOutputs);
      for (const id of models.trains) {
        const trainedNetwork = network(models, id, 'The step');
        outputs.set(id, trainedNetwork.forward ? trainedNetwork.forward(batch.xs, true)
          : outputList(trainedNetwork.model.apply(batch.xs, { training: true }) as tf.Tensor | tf.Tensor[]));
      }
      const resolver = new InputResolver(models, outputs, batch.ys);
      const weighted = terms.map((term) => {
        const { plan, definition, weight, module } = term;
        if (weight === 0) return tf.scalar(0);
        const inputs = resolver.inputs(plan);
        if (module?.own) ownInputs.set(term, keepCopies(inputs));
        return definition.compute(inputs, plan.params, module).mul(weight) as tf.Scalar;
      });
      const total = (weighted.length > 0 ? tf.addN(weighted) : tf.scalar(0)) as tf.Scalar;
      const labels = batch.ys.cast('int32');
      const correct = models.trains.map((id) => (outputs.get(id) as tf.Tensor[])[0].argMax(-1).equal(labels).sum().cast('float32'));
      // Kept past the tape's tidy: [total, ...correct per trained model, ...terms] is read once after the update.
      report = tf.keep(tf.stack([total, ...correct, ...weighted]));
      return total;
    }, variables);
    gradients = grads;
    value.dispose();
    optimizer.apply(variables, grads, learningRate);
    applied = true;
    ownReport = trainOwnObjectives(ownInputs);
  } catch (error) {
    if (report) (report as tf.Tensor).dispose();
    throw error;
  } finally {
    tf.dispose(gradients);
    for (const outputs of frozenOutputs.values()) tf.dispose(outputs);
    for (const inputs of ownInputs.values()) tf.dispose(Object.values(inputs));
    endModuleSteps(stepModules, applied);
  }
  const stacked = report as tf.Tensor | null;
  if (!stacked) throw new Error('The training step produced no loss values.');
  const own = ownReport as OwnReport | null;
  const [values, ownValues] = await Promise.all([stacked.data(), own?.values.data()]);
  stacked.dispose();
  own?.values.dispose();
  const outcome = readOutcome(values, terms, models.trains, batch.xs.shape[0], stepNumber);
  if (own && ownValues) outcome.metrics = readOwnMetrics(own, ownValues, stepNumber);
  return outcome;
}

/** Tells the modules of the computed terms which samples the batch holds, adding each to `begun` once told. */
function beginModuleSteps(terms: readonly ActiveTerm[], batch: StepBatch, begun: LossModule[]): void {
  for (const { module, weight, plan } of terms) {
    if (!module || weight === 0 || (!module.beginStep && !module.endStep)) continue;
    if (module.beginStep) {
      if (!batch.indices || batch.indices.length !== batch.xs.shape[0]) {
        throw new Error(`The loss '${plan.label}' keeps a memory per training image, so its batches must say which images they hold.`);
      }
      module.beginStep({ indices: batch.indices });
    }
    begun.push(module);
  }
}

/** Ends every begun module's step; a failure there is reported only when the step itself succeeded (else the step's error is the news). */
function endModuleSteps(modules: readonly LossModule[], applied: boolean): void {
  let failure: unknown = null;
  for (const module of modules) {
    try {
      module.endStep?.(applied);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null && applied) throw failure;
}

/** Copies of a term's inputs that survive the tape's tidy (and carry no gradient back). */
function keepCopies(inputs: LossInputs): LossInputs {
  return Object.fromEntries(Object.entries(inputs).map(([port, tensor]) => [port, tf.keep(tf.clone(tensor))]));
}

interface OwnReport {
  /** [loss, ...metrics] of each module, in `entries` order. */
  values: tf.Tensor;
  entries: { term: ActiveTerm; metricNames: string[] }[];
}

/**
 * The modules' own steps, after the networks' (alternating updates): each module minimises its own
 * objective over its own variables, on this step's inputs held fixed, with its own optimiser.
 */
function trainOwnObjectives(ownInputs: ReadonlyMap<ActiveTerm, LossInputs>): OwnReport | null {
  if (ownInputs.size === 0) return null;
  const reported: tf.Scalar[] = [];
  const entries: OwnReport['entries'] = [];
  for (const [term, inputs] of ownInputs) {
    const own = term.module?.own;
    if (!own || !term.ownOptimizer) throw new Error(`The loss '${term.plan.label}' trains itself but has no optimiser of its own.`);
    let metrics: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const result = own.loss(inputs);
      metrics = Object.fromEntries(Object.entries(result.metrics).map(([name, metric]) => [name, tf.keep(metric)]));
      return result.loss;
    }, own.variables);
    try {
      term.ownOptimizer.apply(own.variables, grads, own.learningRate);
    } finally {
      tf.dispose(grads);
    }
    reported.push(value, ...Object.values(metrics));
    entries.push({ term, metricNames: Object.keys(metrics) });
  }
  const values = tf.stack(reported);
  tf.dispose(reported);
  return { values, entries };
}

function readOwnMetrics(own: OwnReport, values: ArrayLike<number>, stepNumber: number): Record<string, number> {
  const metrics: Record<string, number> = {};
  let next = 0;
  for (const { term, metricNames } of own.entries) {
    const loss = values[next++];
    if (!Number.isFinite(loss)) throw new DivergenceError(`${term.plan.nodeId}:own`, `${term.plan.label} (its own objective)`, loss, stepNumber);
    metrics[`${term.plan.nodeId}:loss`] = loss;
    for (const name of metricNames) metrics[`${term.plan.nodeId}:${name}`] = values[next++];
  }
  return metrics;
}

function readOutcome(values: ArrayLike<number>, terms: readonly ActiveTerm[], trains: readonly string[], count: number, stepNumber: number): StepOutcome {
  const correct: Record<string, number> = {};
  trains.forEach((id, i) => {
    correct[id] = values[1 + i];
  });
  const termValues: Record<string, number> = {};
  terms.forEach(({ plan }, i) => {
    const value = values[1 + trains.length + i];
    if (!Number.isFinite(value)) throw new DivergenceError(plan.nodeId, plan.label, value, stepNumber);
    termValues[plan.nodeId] = value;
  });
  const total = values[0];
  if (!Number.isFinite(total)) throw new DivergenceError('total', 'total loss', total, stepNumber);
  return { terms: termValues, total, correct, count, metrics: {} };
}

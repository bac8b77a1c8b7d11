import * as tf from '@tensorflow/tfjs';
import type { LossDefinition, LossInputs } from '../losses/types';
import type { LossTermPlan, TensorRef } from './plan';
import type { TrainingOptimizer } from './optimizer';

/**
 * One distillation step. The frozen teacher runs first in its own tf.tidy (inference mode, outside
 * any gradient tape); then tf.variableGrads differentiates the weighted sum of the active loss terms
 * with respect to the selected student and adapter variables only; the optimiser applies the
 * gradients; everything is disposed. All reported numbers come back in one `await data()`.
 */

/** A tfjs layer or model mapping a student feature to the guide's shape (trained with the student). */
export type Adapter = tf.layers.Layer;

export interface StepModels {
  /** The network being trained (the teacher itself in the teacher phase). */
  student: tf.LayersModel;
  /** Tap layer ids in the order of the model's extra outputs. */
  studentTaps: readonly string[];
  /** The frozen teacher, or null when no term reads teacher tensors. */
  teacher: tf.LayersModel | null;
  teacherTaps: readonly string[];
  adapters: ReadonlyMap<string, Adapter>;
}

export interface ActiveTerm {
  plan: LossTermPlan;
  definition: LossDefinition;
  /** The plan's weight times the schedule's factor at this step. */
  weight: number;
}

export interface StepBatch {
  xs: tf.Tensor;
  /** int32 class indices. */
  ys: tf.Tensor;
}

export interface StepOutcome {
  /** Weighted value of each term, keyed by the term's node id. */
  terms: Record<string, number>;
  total: number;
  /** Training-mode predictions that matched the label (running train accuracy). */
  correct: number;
  count: number;
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

function tapOutput(outputs: tf.Tensor[], taps: readonly string[], layerId: string, side: string): tf.Tensor {
  const index = taps.indexOf(layerId);
  if (index < 0) {
    throw new Error(`The ${side} layer '${layerId}' is used by a loss but is not tapped (taps: ${taps.join(', ') || 'none'}).`);
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

/** Must run inside a tidy (or a gradient function). */
function resolveInputs(
  term: LossTermPlan,
  models: StepModels,
  studentOutputs: tf.Tensor[],
  teacherOutputs: tf.Tensor[] | null,
  labels: tf.Tensor,
  adapted: Map<string, tf.Tensor>,
): LossInputs {
  const inputs: LossInputs = {};
  for (const [port, ref] of Object.entries(term.inputs)) {
    inputs[port] = resolveRef(ref, models, studentOutputs, teacherOutputs, labels, adapted, term.label);
  }
  return inputs;
}

function resolveRef(
  ref: TensorRef,
  models: StepModels,
  studentOutputs: tf.Tensor[],
  teacherOutputs: tf.Tensor[] | null,
  labels: tf.Tensor,
  adapted: Map<string, tf.Tensor>,
  termLabel: string,
): tf.Tensor {
  if (ref.kind === 'labels') return labels;
  const outputs = ref.side === 'student' ? studentOutputs : teacherOutputs;
  if (!outputs) throw new Error(`The loss '${termLabel}' reads the teacher, but this phase has no teacher.`);
  if (ref.kind === 'logits') return outputs[0];
  const taps = ref.side === 'student' ? models.studentTaps : models.teacherTaps;
  const feature = tapOutput(outputs, taps, ref.layerId, ref.side);
  if (ref.adapterId === null) return feature;
  if (ref.side !== 'student') throw new Error(`Adapters map student features; '${termLabel}' puts one on the teacher.`);
  const key = `${ref.layerId}|${ref.adapterId}`;
  const cached = adapted.get(key);
  if (cached) return cached;
  const adapter = models.adapters.get(ref.adapterId);
  if (!adapter) throw new Error(`The loss '${termLabel}' names adapter '${ref.adapterId}', which the plan does not define.`);
  const mapped = adapter.apply(feature, { training: true }) as tf.Tensor;
  adapted.set(key, mapped);
  return mapped;
}

/** Teacher outputs for a batch, computed in inference mode outside any tape. Caller disposes. */
export function frozenTeacherForward(teacher: tf.LayersModel, xs: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => outputList(teacher.predict(xs, { batchSize: xs.shape[0] })));
}

function needsTeacher(terms: readonly ActiveTerm[]): boolean {
  return terms.some(({ plan, weight }) =>
    weight !== 0 && Object.values(plan.inputs).some((ref) => ref.kind !== 'labels' && ref.side === 'teacher'));
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
  let teacherOutputs: tf.Tensor[] | null = null;
  if (needsTeacher(terms)) {
    if (!models.teacher) throw new Error('A loss term reads the teacher, but no teacher model was provided.');
    teacherOutputs = frozenTeacherForward(models.teacher, batch.xs);
  }
  let report: tf.Tensor | null = null;
  let gradients: tf.NamedTensorMap = {};
  try {
    const { value, grads } = tf.variableGrads(() => {
      const studentOutputs = outputList(models.student.apply(batch.xs, { training: true }) as tf.Tensor | tf.Tensor[]);
      const adapted = new Map<string, tf.Tensor>();
      const weighted = terms.map(({ plan, definition, weight }) => {
        if (weight === 0) return tf.scalar(0);
        const inputs = resolveInputs(plan, models, studentOutputs, teacherOutputs, batch.ys, adapted);
        return definition.compute(inputs, plan.params).mul(weight) as tf.Scalar;
      });
      const total = (weighted.length > 0 ? tf.addN(weighted) : tf.scalar(0)) as tf.Scalar;
      const predictions = studentOutputs[0].argMax(-1);
      const correct = predictions.equal(batch.ys.cast('int32')).sum().cast('float32');
      // Kept past the tape's tidy: [total, correct, ...terms] is read once after the update.
      report = tf.keep(tf.stack([total, correct, ...weighted]));
      return total;
    }, variables);
    gradients = grads;
    value.dispose();
    optimizer.apply(variables, grads, learningRate);
  } catch (error) {
    if (report) (report as tf.Tensor).dispose();
    throw error;
  } finally {
    tf.dispose(gradients);
    if (teacherOutputs) tf.dispose(teacherOutputs);
  }
  const stacked = report as tf.Tensor | null;
  if (!stacked) throw new Error('The training step produced no loss values.');
  const values = await stacked.data();
  stacked.dispose();
  return readOutcome(values, terms, batch.xs.shape[0], stepNumber);
}

function readOutcome(values: ArrayLike<number>, terms: readonly ActiveTerm[], count: number, stepNumber: number): StepOutcome {
  const termValues: Record<string, number> = {};
  terms.forEach(({ plan }, i) => {
    const value = values[i + 2];
    if (!Number.isFinite(value)) throw new DivergenceError(plan.nodeId, plan.label, value, stepNumber);
    termValues[plan.nodeId] = value;
  });
  const total = values[0];
  if (!Number.isFinite(total)) throw new DivergenceError('total', 'total loss', total, stepNumber);
  return { terms: termValues, total, correct: values[1], count };
}

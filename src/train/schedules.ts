import type { LearningRateSchedule, WeightSchedule } from '../graph/schema';

/**
 * Learning-rate and loss-weight schedules as pure functions of the position in a stage.
 * Positions are continuous: epoch 1.5 is half-way through the second epoch, so decays move
 * every step rather than jumping once per epoch.
 */

export interface SchedulePosition {
  /** 0-based epoch within the stage. */
  epoch: number;
  /** 0-based step within the epoch. */
  stepInEpoch: number;
  stepsPerEpoch: number;
  /** Epochs of the whole stage. */
  totalEpochs: number;
}

/** Fraction of the stage completed before this step, in [0, 1]. */
export function stageProgress(position: SchedulePosition): number {
  const { epoch, stepInEpoch, stepsPerEpoch, totalEpochs } = position;
  if (totalEpochs <= 0 || stepsPerEpoch <= 0) return 0;
  const done = epoch + stepInEpoch / stepsPerEpoch;
  return Math.min(1, Math.max(0, done / totalEpochs));
}

function halfCosine(progress: number): number {
  return 0.5 * (1 + Math.cos(Math.PI * progress));
}

/**
 * `step` multiplies the rate by `factor` after every `everyEpochs` completed epochs
 * (RepDistiller's x0.1 decays); `cosine` anneals from the base rate towards 0 over the stage.
 */
export function learningRateAt(
  baseRate: number,
  schedule: LearningRateSchedule,
  position: SchedulePosition,
): number {
  switch (schedule.kind) {
    case 'constant':
      return baseRate;
    case 'step': {
      if (schedule.everyEpochs <= 0) {
        throw new Error(`A step learning-rate schedule needs everyEpochs >= 1 (got ${schedule.everyEpochs}).`);
      }
      const decays = Math.floor(position.epoch / schedule.everyEpochs);
      return baseRate * Math.pow(schedule.factor, decays);
    }
    case 'cosine':
      return baseRate * halfCosine(stageProgress(position));
  }
}

/**
 * Multiplier of a loss term's weight. `stepToZero` is early-stopped KD (Cho & Hariharan 2019):
 * the term is active for the first `atEpoch` epochs and off afterwards.
 */
export function weightFactorAt(schedule: WeightSchedule, position: SchedulePosition): number {
  switch (schedule.kind) {
    case 'constant':
      return 1;
    case 'stepToZero':
      return position.epoch < schedule.atEpoch ? 1 : 0;
    case 'linearDecay':
      return 1 - stageProgress(position);
    case 'cosineDecay':
      return halfCosine(stageProgress(position));
    case 'linearWarmup':
      return Math.min(1, (position.epoch + 1) / Math.max(1, schedule.epochs));
  }
}

import { at, readChoice, readNumber, readObject } from '../graph/read';
import { PRUNING_LIMITS, PRUNING_METHODS, PRUNING_SCHEDULES, type PruningSettings } from './types';

/** A trainer's `pruning` block from a file: every field required, each bad value a coded problem at its path. */
export function readPruning(value: unknown, path: string): PruningSettings {
  const record = readObject(value, path, ['method', 'targetSparsity', 'schedule', 'everySteps', 'rampFraction']);
  return {
    method: readChoice(record.method, at(path, 'method'), PRUNING_METHODS),
    targetSparsity: readNumber(record.targetSparsity, at(path, 'targetSparsity'), PRUNING_LIMITS.targetSparsity),
    schedule: readChoice(record.schedule, at(path, 'schedule'), PRUNING_SCHEDULES),
    everySteps: readNumber(record.everySteps, at(path, 'everySteps'), { ...PRUNING_LIMITS.everySteps, integer: true }),
    rampFraction: readNumber(record.rampFraction, at(path, 'rampFraction'), PRUNING_LIMITS.rampFraction),
  };
}

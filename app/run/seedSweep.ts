import type { ExperimentResults } from '../../src/results';
import { distilledPairs, pairedAccuracies, type SeedRow } from '../../src/seedStatistics';
import type { TrainingPlan } from '../../src/train/plan';

/**
 * A seed sweep: the same experiment run several times, each time with the student seeds moved on by
 * one (src/graph/seedOffset.ts), so the distillation gain is read as a mean with its spread and
 * interval rather than from one draw. The teacher is trained once and restored from the cache for
 * the later seeds. Pure state transitions; the run controller drives them.
 */

export interface SeedRun {
  /** The baseline's and distilled student's seed in this run. */
  seed: number;
  results: ExperimentResults;
  /** Wall-clock seconds the run took, start to finish (null when unknown). */
  seconds: number | null;
}

export interface SeedSweep {
  experimentName: string;
  /** Student seed of the first run: the graph's own. */
  firstSeed: number;
  /** How many seeds the sweep runs. */
  count: number;
  /** Runs that finished, in seed order; the run in progress is number `finished.length`. */
  finished: SeedRun[];
  /** 'stopped' when a run was stopped, failed or cut off by a closed tab: later seeds were not run. */
  state: 'running' | 'done' | 'stopped';
}

/** Most seeds one sweep may ask for; beyond this a sweep belongs to the headless runner. */
export const MAX_SWEEP_SEEDS = 20;

export function startSweep(experimentName: string, firstSeed: number, count: number): SeedSweep {
  if (!Number.isInteger(count) || count < 2 || count > MAX_SWEEP_SEEDS) {
    throw new Error(`A seed sweep runs 2 to ${MAX_SWEEP_SEEDS} seeds, not ${count}.`);
  }
  return { experimentName, firstSeed, count, finished: [], state: 'running' };
}

/** The offset (0-based) and student seed of the run in progress or next to start. */
export function currentSeed(sweep: SeedSweep): { index: number; seed: number } {
  const index = sweep.finished.length;
  return { index, seed: sweep.firstSeed + index };
}

/** A run finished: keep its results; the sweep is done after the last seed. */
export function recordSeedRun(sweep: SeedSweep, results: ExperimentResults, seconds: number | null): SeedSweep {
  if (sweep.state !== 'running') return sweep;
  const finished = [...sweep.finished, { seed: currentSeed(sweep).seed, results, seconds }];
  return { ...sweep, finished, state: finished.length >= sweep.count ? 'done' : 'running' };
}

/** A run was stopped or failed: the sweep ends with the seeds that finished. */
export function endSweep(sweep: SeedSweep): SeedSweep {
  return sweep.state === 'running' ? { ...sweep, state: 'stopped' } : sweep;
}

/** The seed a sweep starts from: the graph's own seed of the first baseline (the student it measures shares it). */
export function sweepSeedOf(plan: TrainingPlan): number {
  return (plan.models.find((model) => model.role === 'baseline') ?? plan.models.find((model) => model.role !== 'teacher'))?.seed ?? 1;
}

/** A distillation whose gain a sweep can read: it has a baseline. */
export interface SweepDistillation {
  studentId: string;
  /** The distilled model's label, from the latest run that has it. */
  label: string;
}

/** The distillations with a baseline, in report order of the latest finished run (the headline first when it has one). */
export function sweepDistillations(sweep: SeedSweep): SweepDistillation[] {
  const found = new Map<string, SweepDistillation>();
  for (const { results } of [...sweep.finished].reverse()) {
    for (const pair of distilledPairs(results)) {
      if (!found.has(pair.studentId)) found.set(pair.studentId, { studentId: pair.studentId, label: pair.student?.label ?? pair.studentId });
    }
  }
  return [...found.values()];
}

/**
 * Baseline and distilled accuracies per finished seed for one distilled model (by default the
 * first with a baseline: the headline distillation when it has one), for src/seedStatistics.
 */
export function seedRowsOf(sweep: SeedSweep, studentId?: string): SeedRow[] {
  const id = studentId ?? sweepDistillations(sweep)[0]?.studentId;
  return sweep.finished.map(({ seed, results }) => ({
    seed,
    ...(id === undefined ? { baseline: null, student: null } : pairedAccuracies(results, id)),
  }));
}

/** Seconds spent training teachers in a run (those restored from the cache took none). */
function teacherTrainingSeconds(results: ExperimentResults): number {
  return results.models.reduce((sum, model) => sum + (model.role === 'teacher' && !model.fromCache ? model.trainingSeconds : 0), 0);
}

/**
 * Seconds the sweep still needs: the current run's estimate plus, for each seed not yet started,
 * the mean wall-clock time of the finished runs, less any teacher training (later seeds restore
 * the teacher from the cache). Null until a run has finished or while the current run has no
 * estimate.
 */
export function sweepSecondsLeft(sweep: SeedSweep, currentRunSecondsLeft: number | null): number | null {
  const timed = sweep.finished.filter((run): run is SeedRun & { seconds: number } => run.seconds !== null);
  if (sweep.state !== 'running' || currentRunSecondsLeft === null || timed.length === 0) return null;
  const perSeed = timed.reduce((sum, { seconds, results }) =>
    sum + Math.max(0, seconds - teacherTrainingSeconds(results)), 0) / timed.length;
  const notStarted = sweep.count - sweep.finished.length - 1;
  return currentRunSecondsLeft + notStarted * perSeed;
}

/** Checks a sweep read back from storage; anything else is dropped. */
export function isSeedSweep(value: unknown, isResults: (results: unknown) => results is ExperimentResults): value is SeedSweep {
  const sweep = value as Partial<SeedSweep> | null;
  return typeof sweep === 'object' && sweep !== null
    && typeof sweep.experimentName === 'string' && Number.isInteger(sweep.firstSeed)
    && Number.isInteger(sweep.count) && (sweep.count ?? 0) >= 2 && (sweep.count ?? 0) <= MAX_SWEEP_SEEDS
    && (sweep.state === 'running' || sweep.state === 'done' || sweep.state === 'stopped')
    && Array.isArray(sweep.finished) && sweep.finished.length <= (sweep.count ?? 0)
    && sweep.finished.every((run: Partial<SeedRun> | null, index) => typeof run === 'object' && run !== null
      && run.seed === (sweep.firstSeed ?? 0) + index && isResults(run.results)
      && (run.seconds === null || typeof run.seconds === 'number'));
}

import { modelResultById, type ExperimentResults } from '../../src/results';
import { describeSweepValues, MAX_SWEEP_RUNS, type SweepValue } from '../../src/graph/sweepVariants';
import { distilledPairs } from '../../src/seedStatistics';
import type { runTexts } from '../i18n/catalogs/run';

type RunTexts = (typeof runTexts)['en'];

/**
 * A parameter sweep as the run controller drives it: a queue of runs, one per grid point, each a
 * variant of one snapshot of the graph (src/graph/sweepVariants.ts). Teachers keep their settings,
 * so they train once and come from the cache for the later runs. Pure state transitions and the
 * table and chart rows of its results.
 */

export interface ParamSweepAxis {
  /** "KD (T = 20): T". */
  label: string;
  /** "T". */
  symbol: string;
  values: SweepValue[];
}

export interface ParamSweepRun {
  values: SweepValue[];
  results: ExperimentResults;
  seconds: number | null;
}

export interface ParamSweep {
  experimentName: string;
  /** One or two axes; the grid is every combination, the first axis varying slowest. */
  axes: ParamSweepAxis[];
  /** Each run's values, in queue order. */
  points: SweepValue[][];
  /** Runs that finished, in queue order; the run in progress is number `finished.length`. */
  finished: ParamSweepRun[];
  /** 'stopped' when a run was stopped or failed: later points were not run. */
  state: 'running' | 'done' | 'stopped';
}

export function startParamSweep(experimentName: string, axes: ParamSweepAxis[], points: SweepValue[][]): ParamSweep {
  if (points.length < 2 || points.length > MAX_SWEEP_RUNS) throw new Error(`A sweep queues 2 to ${MAX_SWEEP_RUNS} runs, not ${points.length}.`);
  return { experimentName, axes, points, finished: [], state: 'running' };
}

/** The run in progress or next to start: its index and values. */
export function currentPoint(sweep: ParamSweep): { index: number; values: SweepValue[] } {
  const index = Math.min(sweep.finished.length, sweep.points.length - 1);
  return { index, values: sweep.points[index] };
}

/**
 * Which run of the sweep these results are: a finished one (matched by object, or by finish time
 * after a reload), else the run in progress or cut off.
 */
export function runIndexOf(sweep: ParamSweep, results: ExperimentResults): number {
  const finished = sweep.finished.findIndex((run) => run.results === results || run.results.finishedAt === results.finishedAt);
  return finished >= 0 ? finished : Math.min(sweep.finished.length, sweep.points.length - 1);
}

/** "Run 2 of 6: T = 4", in the language of `tx`. */
export function paramSweepProgress(sweep: ParamSweep, tx: Pick<RunTexts, 'sweepRunOf'>): string {
  const { index, values } = currentPoint(sweep);
  return tx.sweepRunOf(index + 1, sweep.points.length, describeSweepValues(sweep.axes, values));
}

export function recordParamRun(sweep: ParamSweep, results: ExperimentResults, seconds: number | null): ParamSweep {
  if (sweep.state !== 'running') return sweep;
  const finished = [...sweep.finished, { values: currentPoint(sweep).values, results, seconds }];
  return { ...sweep, finished, state: finished.length >= sweep.points.length ? 'done' : 'running' };
}

export function endParamSweep(sweep: ParamSweep): ParamSweep {
  return sweep.state === 'running' ? { ...sweep, state: 'stopped' } : sweep;
}

/** One finished run in the results table: test accuracies of the headline distillation (first with a baseline). */
export interface ParamSweepRow {
  values: SweepValue[];
  teacher: number | null;
  baseline: number | null;
  distilled: number | null;
  /** Distilled − baseline, null when either is missing. */
  gain: number | null;
}

export function paramSweepRows(sweep: ParamSweep): ParamSweepRow[] {
  return sweep.finished.map(({ values, results }) => {
    const pair = distilledPairs(results)[0];
    const teacher = pair?.teacher ?? modelResultById(results, results.distillations[0]?.teacherId);
    const baseline = pair?.baseline?.testAccuracy ?? null;
    const distilled = pair?.student?.testAccuracy ?? null;
    return { values, teacher: teacher?.testAccuracy ?? null, baseline, distilled, gain: baseline === null || distilled === null ? null : distilled - baseline };
  });
}

/** Index of the row with the largest gain (the first of ties), or null when no row has one. */
export function bestRowIndex(rows: readonly ParamSweepRow[]): number | null {
  let best: number | null = null;
  rows.forEach((row, index) => {
    if (row.gain !== null && (best === null || row.gain > (rows[best].gain ?? -Infinity))) best = index;
  });
  return best;
}

/** One line of the gain chart: a value of the second axis (or the only line), with its points along the first. */
export interface GainLine {
  /** "lr = 0.01", or the gain's name for a one-parameter sweep. */
  name: string;
  points: { x: SweepValue; gain: number; best: boolean }[];
}

/** `gainName` names the only line of a one-parameter sweep. */
export function gainLines(sweep: ParamSweep, gainName: string): GainLine[] {
  const rows = paramSweepRows(sweep);
  const best = bestRowIndex(rows);
  const second = sweep.axes[1];
  const lineValues: (SweepValue | null)[] = second === undefined ? [null] : second.values;
  return lineValues.map((lineValue) => ({
    name: second === undefined || lineValue === null ? gainName : `${second.symbol} = ${lineValue}`,
    points: rows.flatMap((row, index) => (row.gain === null || (lineValue !== null && row.values[1] !== lineValue) ? []
      : [{ x: row.values[0], gain: row.gain, best: index === best }])),
  })).filter((line) => line.points.length > 0);
}

const isValue = (value: unknown): value is SweepValue => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/** Checks a sweep read back from storage; anything else is dropped. */
export function isParamSweep(value: unknown, isResults: (results: unknown) => results is ExperimentResults): value is ParamSweep {
  const sweep = value as Partial<ParamSweep> | null;
  if (typeof sweep !== 'object' || sweep === null || typeof sweep.experimentName !== 'string') return false;
  const { axes, points, finished } = sweep;
  const width = Array.isArray(axes) ? axes.length : 0;
  return (width === 1 || width === 2) && (axes ?? []).every((axis: Partial<ParamSweepAxis> | null) => typeof axis === 'object' && axis !== null
      && typeof axis.label === 'string' && typeof axis.symbol === 'string' && Array.isArray(axis.values) && axis.values.every(isValue))
    && Array.isArray(points) && points.length >= 2 && points.length <= MAX_SWEEP_RUNS
    && points.every((p) => Array.isArray(p) && p.length === width && p.every(isValue))
    && (sweep.state === 'running' || sweep.state === 'done' || sweep.state === 'stopped')
    && Array.isArray(finished) && finished.length <= points.length
    && finished.every((run: Partial<ParamSweepRun> | null, index) => typeof run === 'object' && run !== null
      && JSON.stringify(run.values) === JSON.stringify(points[index]) && isResults(run.results)
      && (run.seconds === null || typeof run.seconds === 'number'));
}

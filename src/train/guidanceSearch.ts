import type { AssetReader } from '../data/types';
import { compileExperiment } from '../graph/compile';
import {
  guidancePaths, type GuidanceCandidate, type GuidanceLayers, type GuidanceLossId, type GuidancePathOptions, type RejectedPairing,
} from '../graph/guidancePaths';
import type { ExperimentFile } from '../graph/schema';
import { withStudentSeedOffset } from '../graph/seedOffset';
import type { LayerWeights } from '../models/spec';
import type { TrainEvent } from '../protocol';
import { modelResultById } from '../results';
import { confidenceInterval95, spread, type Spread } from '../seedStatistics';
import { RunControl } from './control';
import type { RunSelection } from './plan';
import type { TeacherSource } from './pretrained';
import { runExperiment, type TeacherCache } from './runner';

/**
 * Best guidance path: trains every candidate pairing of a FitNet/AT block (src/graph/guidancePaths.ts)
 * on a small subset and ranks them by the validation accuracy of the network that learns through
 * the guided layer (ties by test accuracy). The teacher is trained once and restored for every
 * other run (same cache key: only the student side changes); no baseline is trained, so the ranking
 * compares pairings with one another only, and the report's notes say so.
 */

export const GUIDANCE_SEARCH_DEFAULTS = { trainSubset: 2000, validationSize: 1000, testSubset: 2000, seeds: 1 } as const;

/** The teacher (restored after the first run) and the distilled network: a baseline would double the cost and not change the order. */
const RUNS: RunSelection = { teacher: true, baseline: false, student: true };

export interface GuidanceSearchOptions extends GuidancePathOptions {
  /** Training images (null = all); default 2000. */
  trainSubset?: number | null;
  /** Held-out training images the ranking reads; default 1000. */
  validationSize?: number;
  /** Test images (null = all); default 2000. */
  testSubset?: number | null;
  /** Epochs of every stage (trainer node); default as drawn. */
  epochs?: number;
  /** Epochs of the teacher's own training; default as drawn. */
  teacherEpochs?: number;
  /** Runs per pairing, every stage seed moved on by 0, 1, ... (src/graph/seedOffset.ts); default 1. */
  seeds?: number;
}

/** One run of one candidate (k of N, 0-based), for the caller's progress display. */
export interface GuidanceRunRef { index: number; seedOffset: number }

export type GuidanceProgress =
  | { type: 'run'; index: number; total: number; seedOffset: number; seeds: number; teacherLayerId: string; studentLayerId: string }
  | { type: 'candidate'; index: number; total: number; result: GuidanceResult };

export interface GuidanceSearchEnv {
  readAsset: AssetReader;
  /** Reported with the results (the tfjs backend). */
  backend: string;
  now(): number;
  /** Where the teacher is kept between runs as well (fs or IndexedDB); an in-memory cache is always used. */
  teacherCache?: TeacherCache;
  pretrainedTeachers?: TeacherSource;
  /** Polled at every training event and between runs: true ends the search after the current step. */
  shouldStop?: () => boolean;
  onProgress?: (progress: GuidanceProgress) => void;
  /** Every training event of every run (steps, epochs, logs), for a finer progress display. */
  onTrainEvent?: (event: TrainEvent, run: GuidanceRunRef) => void;
}

export interface GuidanceRun { seedOffset: number; seed: number; validationAccuracy: number; testAccuracy: number; seconds: number }

/** A candidate's pairing (without its experiment, which stays with the caller) and how it did. */
export interface GuidanceResult extends Omit<GuidanceCandidate, 'experiment'> {
  /** 1 = best; failed candidates come last. */
  rank: number;
  /** Position in the candidate order (the drawn pairing is 0). */
  index: number;
  runs: GuidanceRun[];
  /** Over the runs (fractions); null when no run finished. */
  validation: Spread | null;
  test: Spread | null;
  /** With 2+ seeds: its 95 % interval of validation accuracy overlaps the best one's (not shown to be worse). */
  withinSpreadOfBest: boolean | null;
  /** Why the candidate failed (e.g. its loss diverged); null when it ran. */
  error: string | null;
}

export interface GuidanceReport {
  experimentName: string;
  backend: string;
  lossNodeId: string;
  lossId: GuidanceLossId;
  teacherModelId: string;
  studentModelId: string;
  /** Pairings the loss accepts, and the ones tried (the cap). */
  totalPairs: number;
  candidates: number;
  rejected: RejectedPairing[];
  seeds: number;
  layers: GuidanceLayers;
  data: { trainSubset: number | null; validationSize: number; testSubset: number | null; epochs: number | null; teacherEpochs: number | null };
  teacher: { validationAccuracy: number; testAccuracy: number } | null;
  /** Best first. */
  ranked: GuidanceResult[];
  stopped: boolean;
  /** How to read the ranking (and what it does not say), for the caller to show with it. */
  notes: string[];
}

/** A request the search cannot run (bad options, data that cannot load); the message says what to change. */
export class GuidanceSearchError extends Error {
  override readonly name = 'GuidanceSearchError';
}

function wholeAtLeast(value: number | null | undefined, min: number, what: string): void {
  if (value !== null && value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new GuidanceSearchError(`${what} must be a whole number ≥ ${min}, not ${value}.`);
  }
}

/** The data options a search uses: the caller's, else the defaults (an explicit null subset means all images). */
function searchData(options: GuidanceSearchOptions): { trainSubset: number | null; validationSize: number; testSubset: number | null } {
  const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
  return {
    trainSubset: pick(options.trainSubset, GUIDANCE_SEARCH_DEFAULTS.trainSubset),
    validationSize: pick(options.validationSize, GUIDANCE_SEARCH_DEFAULTS.validationSize),
    testSubset: pick(options.testSubset, GUIDANCE_SEARCH_DEFAULTS.testSubset),
  };
}

/** The experiment as the search trains it: the subsets, and the epochs when overridden. */
export function searchExperiment(experiment: ExperimentFile, options: GuidanceSearchOptions): ExperimentFile {
  const { trainSubset, validationSize, testSubset } = searchData(options);
  wholeAtLeast(trainSubset, 1, 'The training subset');
  wholeAtLeast(testSubset, 1, 'The test subset');
  // The ranking reads validation accuracy, so there must be validation images.
  wholeAtLeast(validationSize, 1, 'The validation size');
  wholeAtLeast(options.epochs, 1, 'The epochs');
  wholeAtLeast(options.teacherEpochs, 1, "The teacher's epochs");
  const file = structuredClone(experiment);
  for (const node of file.nodes) {
    if (node.kind === 'dataset') Object.assign(node.params, { trainSubset, validationSize, testSubset });
    if (node.kind === 'trainer' && options.epochs !== undefined) node.params.epochs = options.epochs;
    if (node.kind === 'model' && node.params.teacherTraining && options.teacherEpochs !== undefined) node.params.teacherTraining.epochs = options.teacherEpochs;
  }
  return file;
}

/** Memory first (the teacher is trained once per search even if the caller's cache fails), then the caller's. */
function searchCache(outer: TeacherCache | undefined): TeacherCache {
  const memory = new Map<string, LayerWeights[]>();
  return {
    async get(key) {
      const weights = memory.get(key) ?? (await outer?.get(key)) ?? null;
      if (weights !== null) memory.set(key, weights);
      return weights;
    },
    async put(key, weights) {
      memory.set(key, weights);
      await outer?.put(key, weights);
    },
  };
}

type RunOutcome =
  | { kind: 'done'; run: GuidanceRun; teacher: GuidanceReport['teacher'] }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' };

async function runCandidate(
  candidate: GuidanceCandidate, ref: GuidanceRunRef, ids: { teacher: string; student: string }, cache: TeacherCache, env: GuidanceSearchEnv,
): Promise<RunOutcome> {
  const plan = compileExperiment(withStudentSeedOffset(candidate.experiment, ref.seedOffset));
  const control = new RunControl();
  const seen: { error: Extract<TrainEvent, { type: 'error' }> | null; finished: boolean } = { error: null, finished: false };
  const emit = (event: TrainEvent): void => {
    if (event.type === 'error') seen.error = event;
    if (event.type === 'status' && event.state === 'finished') seen.finished = true;
    env.onTrainEvent?.(event, ref);
    if (env.shouldStop?.() === true) control.stop();
  };
  const started = env.now();
  const results = await runExperiment(plan, RUNS, {
    readAsset: env.readAsset, emit, control, teacherCache: cache, pretrainedTeachers: env.pretrainedTeachers,
    backend: env.backend, now: () => env.now(),
    // Probes feed the dashboard's panels, which a search has none of: epoch ends only.
    probeEverySteps: Number.MAX_SAFE_INTEGER,
  });
  if (seen.error !== null) {
    // Data or backend trouble would fail every candidate alike: end the search with it.
    if (seen.error.kind === 'data' || seen.error.kind === 'backend') throw new GuidanceSearchError(seen.error.message);
    return { kind: 'failed', message: seen.error.message };
  }
  if (!seen.finished) return { kind: 'stopped' };
  const student = modelResultById(results, ids.student);
  const teacher = modelResultById(results, ids.teacher);
  if (student === null) return { kind: 'failed', message: `The run gave no result for '${ids.student}'.` };
  return {
    kind: 'done',
    run: { seedOffset: ref.seedOffset, seed: student.seed, validationAccuracy: student.validationAccuracy, testAccuracy: student.testAccuracy, seconds: (env.now() - started) / 1000 },
    teacher: teacher === null ? null : { validationAccuracy: teacher.validationAccuracy, testAccuracy: teacher.testAccuracy },
  };
}

function resultOf(index: number, candidate: GuidanceCandidate, runs: GuidanceRun[], error: string | null): GuidanceResult {
  const { experiment: _experiment, ...pairing } = candidate;
  const ran = runs.length > 0 && error === null;
  return {
    ...pairing, rank: 0, index, runs, error,
    validation: ran ? spread(runs.map((run) => run.validationAccuracy)) : null,
    test: ran ? spread(runs.map((run) => run.testAccuracy)) : null,
    withinSpreadOfBest: null,
  };
}

/** Best validation accuracy first, ties by test accuracy, then candidate order; failures last. */
export function rankResults(results: readonly GuidanceResult[]): GuidanceResult[] {
  const ran = results.filter((result) => result.validation !== null && result.test !== null);
  const failed = results.filter((result) => !ran.includes(result));
  const mean = (s: Spread | null): number => s?.mean ?? Number.NEGATIVE_INFINITY;
  ran.sort((a, b) => mean(b.validation) - mean(a.validation) || mean(b.test) - mean(a.test) || a.index - b.index);
  const best = ran[0]?.validation;
  // Overlapping intervals: this one's upper bound reaches the best one's lower bound.
  const bestLow = best !== undefined && best !== null && best.n > 1 ? confidenceInterval95(best)[0] : null;
  return [...ran, ...failed].map((result, k) => ({
    ...result,
    rank: k + 1,
    withinSpreadOfBest: bestLow === null || result.validation === null ? null : confidenceInterval95(result.validation)[1] >= bestLow,
  }));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function guidanceNotes(report: Omit<GuidanceReport, 'notes'>): string[] {
  const { data, seeds } = report;
  const notes = [
    'No baseline was trained: the ranking compares the pairings with one another, not with training on labels alone. ' +
      'Run the chosen pairing in full, with its baseline, to measure its gain.',
    `Ranked on ${data.trainSubset ?? 'all'} training images (${data.validationSize} validation, ${data.testSubset ?? 'all'} test)` +
      `${data.epochs === null ? '' : `, ${plural(data.epochs, 'epoch')} per stage`}: the best pairing on a small subset need not be the best on all the data.`,
  ];
  if (seeds === 1) {
    notes.push('One run per pairing, so the seed-to-seed spread is unknown; on small subsets it is often a point or more, ' +
      'and differences within it mean nothing. Repeat each pairing over 3 or more seeds to see it.');
  } else {
    const close = report.ranked.filter((result) => result.rank > 1 && result.withinSpreadOfBest === true).length;
    notes.push(`Differences within the seed spread (± sd over ${seeds} seeds) mean nothing: ${plural(close, 'other pairing')} ` +
      "overlap the best one's 95 % interval of validation accuracy, so they are not shown to be worse.");
  }
  if (report.totalPairs > report.candidates) {
    notes.push(`${report.totalPairs} pairings fit the loss and the first ${report.candidates} were tried (the drawn one, then the deepest ` +
      `teacher layers first): raise the limit${report.layers === 'all' ? ', or keep one layer per block,' : ''} to try others.`);
  }
  if (report.rejected.length > 0) notes.push(`${plural(report.rejected.length, 'pairing')} skipped: the graph did not validate with them (${report.rejected[0].reason}).`);
  if (report.stopped) notes.push(`Stopped early: ${report.ranked.length} of ${report.candidates} pairings ran; the ranking covers those only.`);
  return notes;
}

/**
 * Trains each candidate pairing of the loss block `lossNodeId` and ranks them. Throws
 * GuidancePathError / GuidanceSearchError for requests it cannot run; a stop returns the pairings
 * finished so far.
 */
export async function searchGuidancePaths(
  experiment: ExperimentFile, lossNodeId: string, options: GuidanceSearchOptions, env: GuidanceSearchEnv,
): Promise<GuidanceReport> {
  const seeds = options.seeds ?? GUIDANCE_SEARCH_DEFAULTS.seeds;
  wholeAtLeast(seeds, 1, 'The number of seeds');
  const prepared = searchExperiment(experiment, options);
  const paths = guidancePaths(prepared, lossNodeId, options);
  const cache = searchCache(env.teacherCache);
  const ids = { teacher: paths.teacherModelId, student: paths.studentModelId };
  const total = paths.candidates.length;
  const results: GuidanceResult[] = [];
  let teacher: GuidanceReport['teacher'] = null;
  let stopped = false;
  for (const [index, candidate] of paths.candidates.entries()) {
    const runs: GuidanceRun[] = [];
    let error: string | null = null;
    for (let seedOffset = 0; seedOffset < seeds && error === null && !stopped; seedOffset++) {
      if (env.shouldStop?.() === true) {
        stopped = true;
        break;
      }
      env.onProgress?.({ type: 'run', index, total, seedOffset, seeds, teacherLayerId: candidate.teacherLayerId, studentLayerId: candidate.studentLayerId });
      const outcome = await runCandidate(candidate, { index, seedOffset }, ids, cache, env);
      if (outcome.kind === 'stopped') stopped = true;
      else if (outcome.kind === 'failed') error = outcome.message;
      else {
        runs.push(outcome.run);
        teacher ??= outcome.teacher;
      }
    }
    // A pairing cut short by a stop is left out rather than ranked on fewer seeds than the others.
    if (stopped) break;
    const result = resultOf(index, candidate, runs, error);
    results.push(result);
    env.onProgress?.({ type: 'candidate', index, total, result });
  }
  const report = {
    experimentName: experiment.name, backend: env.backend, lossNodeId, lossId: paths.lossId,
    teacherModelId: paths.teacherModelId, studentModelId: paths.studentModelId,
    totalPairs: paths.total, candidates: total, rejected: paths.rejected, seeds, layers: options.layers ?? 'all',
    data: { ...searchData(options), epochs: options.epochs ?? null, teacherEpochs: options.teacherEpochs ?? null },
    teacher, ranked: rankResults(results), stopped,
  };
  return { ...report, notes: guidanceNotes(report) };
}

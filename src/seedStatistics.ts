import { modelResultById, type ExperimentResults, type ModelResult } from './results';

/**
 * Mean and spread of the distillation gain over repeated runs with different student seeds.
 * Baseline and distilled student of one seed form a pair: they share initialisation and data
 * order, so the gain is read per seed, then averaged, with a t interval over the seeds (it covers
 * seed-to-seed spread, not the test set's sampling). Used by the studio's seed sweeps and by
 * `npm run seeds`.
 */

export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); NaN for a single value. */
  sd: number;
  /** Standard error of the mean, sd / sqrt(n). */
  standardError: number;
}

/** Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom (standard tables). */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Student's t 97.5 % quantile: the table, then the Cornish-Fisher expansion (within 0.001 beyond 30). */
export function tQuantile975(degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1) return Number.NaN;
  if (degreesOfFreedom <= T_975.length) return T_975[degreesOfFreedom - 1];
  const z = 1.959964;
  const v = degreesOfFreedom;
  return z + (z ** 3 + z) / (4 * v) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v ** 2);
}

/** 95 % confidence interval of the mean (t interval over the n values); NaN bounds for one value. */
export function confidenceInterval95(s: Spread): [number, number] {
  const half = tQuantile975(s.n - 1) * s.standardError;
  return [s.mean - half, s.mean + half];
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) throw new Error('spread() needs at least one value.');
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  return { n, mean, sd, standardError: sd / Math.sqrt(n) };
}

export interface Accuracies {
  test: number;
  validation: number;
}

export const accuraciesOf = (model: ModelResult): Accuracies => ({ test: model.testAccuracy, validation: model.validationAccuracy });

/** One distilled model of a run with its direct teacher and its baseline, each null when the run has no result for it. */
export interface DistilledPair {
  studentId: string;
  baselineId: string;
  teacher: ModelResult | null;
  baseline: ModelResult | null;
  student: ModelResult | null;
}

/**
 * Every distillation of a run that has a baseline to measure it against, in report order (the
 * headline first). A run with `--only baseline` still lists the pair, with the student missing, so
 * files of one seed run in parallel pair up by the distilled model's id.
 */
export function distilledPairs(results: ExperimentResults): DistilledPair[] {
  return results.distillations.flatMap(({ studentId, teacherId, baselineId }) => (baselineId === null ? [] : [{
    studentId,
    baselineId,
    teacher: modelResultById(results, teacherId),
    baseline: modelResultById(results, baselineId),
    student: modelResultById(results, studentId),
  }]));
}

/** Accuracies of one distilled model and its baseline in one run (for a sweep's row). */
export function pairedAccuracies(results: ExperimentResults, studentId: string): Pick<SeedRow, 'baseline' | 'student'> {
  const pair = distilledPairs(results).find((candidate) => candidate.studentId === studentId);
  return {
    baseline: pair?.baseline ? accuraciesOf(pair.baseline) : null,
    student: pair?.student ? accuraciesOf(pair.student) : null,
  };
}

/** One student seed: its baseline and distilled student, either of which may be missing. */
export interface SeedRow {
  seed: number;
  baseline: Accuracies | null;
  student: Accuracies | null;
}

export interface GainSummary {
  /** Seeds with both a baseline and a distilled student. */
  pairedSeeds: number[];
  baseline: Record<keyof Accuracies, Spread>;
  student: Record<keyof Accuracies, Spread>;
  gain: Record<keyof Accuracies, Spread & { positive: number }>;
}

/** Null when no seed has both runs. */
export function summarizeGain(rows: readonly SeedRow[]): GainSummary | null {
  const pairs = rows.filter((row): row is SeedRow & { baseline: Accuracies; student: Accuracies } => row.baseline !== null && row.student !== null);
  if (pairs.length === 0) return null;
  const of = (pick: (row: (typeof pairs)[number]) => number): number[] => pairs.map(pick);
  const gain = (split: keyof Accuracies) => {
    const values = of((row) => row.student[split] - row.baseline[split]);
    return { ...spread(values), positive: values.filter((v) => v > 0).length };
  };
  return {
    pairedSeeds: pairs.map((row) => row.seed),
    baseline: { test: spread(of((row) => row.baseline.test)), validation: spread(of((row) => row.baseline.validation)) },
    student: { test: spread(of((row) => row.student.test)), validation: spread(of((row) => row.student.validation)) },
    gain: { test: gain('test'), validation: gain('validation') },
  };
}

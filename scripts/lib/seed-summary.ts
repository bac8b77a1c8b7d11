import type { ExperimentResults, ModelResult } from '../../src/results';

/**
 * Mean and spread of the distillation gain over repeated runs with different student seeds
 * (`npm run experiment -- ... --student-seed N`). Baseline and distilled student of one seed form
 * a pair: they share initialisation and data order, so the gain is read per seed, then averaged,
 * with a t interval over the seeds (it covers seed-to-seed spread, not the test set's sampling).
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

interface Accuracies {
  test: number;
  validation: number;
}

export interface SeedRow {
  seed: number;
  baseline: Accuracies | null;
  student: Accuracies | null;
}

export interface ExperimentSeeds {
  experimentName: string;
  /** Distinct teacher test accuracies seen (one when every run shared the cached teacher). */
  teacherTestAccuracies: number[];
  rows: SeedRow[];
}

const accuracies = (model: ModelResult): Accuracies => ({ test: model.testAccuracy, validation: model.validationAccuracy });

/**
 * Groups results files by experiment and seed. Baseline and student of one seed may come from
 * different files (runs with `--only`); the same model measured twice with different numbers is an
 * error, since averaging it would hide that the runs were not what they claimed to be.
 */
export function collectSeeds(files: readonly { name: string; results: ExperimentResults }[]): ExperimentSeeds[] {
  const experiments = new Map<string, { teachers: Set<number>; rows: Map<number, SeedRow> }>();
  for (const { name, results } of files) {
    let experiment = experiments.get(results.experimentName);
    if (!experiment) {
      experiment = { teachers: new Set(), rows: new Map() };
      experiments.set(results.experimentName, experiment);
    }
    if (results.teacher) experiment.teachers.add(results.teacher.testAccuracy);
    for (const phase of ['baseline', 'student'] as const) {
      const model = results[phase];
      if (!model) continue;
      if (typeof model.seed !== 'number') throw new Error(`${name}: the ${phase} has no seed (results written before seeds were recorded); rerun it.`);
      const row = experiment.rows.get(model.seed) ?? { seed: model.seed, baseline: null, student: null };
      const previous = row[phase];
      const measured = accuracies(model);
      if (previous && (previous.test !== measured.test || previous.validation !== measured.validation)) {
        throw new Error(`${name}: a second ${phase} for seed ${model.seed} of '${results.experimentName}' with different accuracies.`);
      }
      row[phase] = measured;
      experiment.rows.set(model.seed, row);
    }
  }
  return [...experiments].map(([experimentName, { teachers, rows }]) => ({
    experimentName,
    teacherTestAccuracies: [...teachers].sort((a, b) => a - b),
    rows: [...rows.values()].sort((a, b) => a.seed - b.seed),
  }));
}

export interface GainSummary {
  /** Seeds with both a baseline and a distilled student. */
  pairedSeeds: number[];
  baseline: Record<keyof Accuracies, Spread>;
  student: Record<keyof Accuracies, Spread>;
  gain: Record<keyof Accuracies, Spread & { positive: number }>;
}

/** Null when no seed has both runs. */
export function summarizeGain(experiment: ExperimentSeeds): GainSummary | null {
  const pairs = experiment.rows.filter((row): row is SeedRow & { baseline: Accuracies; student: Accuracies } => row.baseline !== null && row.student !== null);
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

const points = (fraction: number): string => (fraction * 100).toFixed(2);
const signedPoints = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${points(fraction)}`;
const cell = (value: Accuracies | null, split: keyof Accuracies): string => (value ? points(value[split]) : '--');

function describeSpread(s: Spread, signed = false): string {
  const mean = signed ? signedPoints(s.mean) : points(s.mean);
  return s.n > 1 ? `${mean} ± ${points(s.sd)} (sd; standard error ${points(s.standardError)})` : `${mean} (one seed)`;
}

/** The table the `seeds` script prints: accuracies in percent, gains in percentage points. */
export function formatSeedSummary(experiment: ExperimentSeeds): string {
  const lines = [experiment.experimentName];
  const teachers = experiment.teacherTestAccuracies;
  if (teachers.length > 0) lines.push(`  teacher test ${teachers.map(points).join(', ')}${teachers.length > 1 ? ' (different teachers!)' : ''}`);
  lines.push('  seed   baseline test/val   distilled test/val   gain test/val');
  for (const row of experiment.rows) {
    const gain = (split: keyof Accuracies): string => (row.baseline && row.student ? signedPoints(row.student[split] - row.baseline[split]) : '--');
    lines.push(`  ${String(row.seed).padEnd(6)} ${`${cell(row.baseline, 'test')} / ${cell(row.baseline, 'validation')}`.padEnd(19)} ` +
      `${`${cell(row.student, 'test')} / ${cell(row.student, 'validation')}`.padEnd(20)} ${gain('test')} / ${gain('validation')}`);
  }
  const summary = summarizeGain(experiment);
  if (!summary) {
    lines.push('  no seed has both a baseline and a distilled student yet');
    return lines.join('\n');
  }
  const n = summary.pairedSeeds.length;
  lines.push(`  over the seeds with both runs: ${summary.pairedSeeds.join(', ')}`);
  for (const split of ['test', 'validation'] as const) {
    lines.push(`  ${split}: baseline ${describeSpread(summary.baseline[split])}, distilled ${describeSpread(summary.student[split])}`);
    const gain = summary.gain[split];
    const [low, high] = confidenceInterval95(gain);
    const interval = n > 1 ? `, 95 % CI ${signedPoints(low)} to ${signedPoints(high)}` : '';
    lines.push(`    gain ${describeSpread(gain, true)}${interval}, positive in ${gain.positive} of ${n} seeds`);
  }
  return lines.join('\n');
}

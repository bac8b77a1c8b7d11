import type { ExperimentResults } from '../../src/results';
import { accuraciesOf, confidenceInterval95, summarizeGain, type Accuracies, type SeedRow, type Spread } from '../../src/seedStatistics';

/**
 * What `npm run seeds` prints: results files (`npm run experiment -- ... --student-seed N --out`)
 * grouped by experiment and seed, with the gain's mean, spread and 95 % interval
 * (src/seedStatistics.ts).
 */

export interface ExperimentSeeds {
  experimentName: string;
  /** Distinct teacher test accuracies seen (one when every run shared the cached teacher). */
  teacherTestAccuracies: number[];
  rows: SeedRow[];
}

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
      const measured = accuraciesOf(model);
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
  const summary = summarizeGain(experiment.rows);
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

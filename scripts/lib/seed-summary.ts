import type { ExperimentResults } from '../../src/results';
import { accuraciesOf, confidenceInterval95, distilledPairs, summarizeGain, type Accuracies, type SeedRow, type Spread } from '../../src/seedStatistics';

/**
 * What `npm run seeds` prints: results files (`npm run experiment -- ... --student-seed N --out`)
 * grouped by experiment, distilled model and seed, with the gain over the model's baseline as mean,
 * spread and 95 % interval (src/seedStatistics.ts).
 */

/** One distilled model of an experiment (one with a baseline) over the seeds. */
export interface DistilledSeeds {
  studentId: string;
  /** Its label, once a file has its result (else its id). */
  label: string;
  /** Its direct teacher's label, when a file has the teacher's result. */
  teacherLabel: string | null;
  /** Distinct test accuracies of that teacher (one when every run shared the cached teacher). */
  teacherTestAccuracies: number[];
  /** The teacher is itself trained in every run (an assistant or a peer), so it differs by seed by design. */
  teacherTrainedPerRun: boolean;
  rows: SeedRow[];
}

export interface ExperimentSeeds {
  experimentName: string;
  /** In the order the files first report them (the headline first). */
  distilled: DistilledSeeds[];
}

interface Collecting extends Omit<DistilledSeeds, 'teacherTestAccuracies' | 'rows' | 'teacherTrainedPerRun'> {
  teacherRole: string | null;
  teachers: Set<number>;
  rows: Map<number, SeedRow>;
}

/**
 * Groups results by experiment, distilled model and seed. Baseline and distilled model of one seed
 * may come from different files (runs with `--only`); the same model measured twice with different
 * numbers is an error, since averaging it would hide that the runs were not what they claimed to be.
 */
export function collectSeeds(files: readonly { name: string; results: ExperimentResults }[]): ExperimentSeeds[] {
  const experiments = new Map<string, Map<string, Collecting>>();
  for (const { name, results } of files) {
    const experiment = experiments.get(results.experimentName) ?? new Map<string, Collecting>();
    experiments.set(results.experimentName, experiment);
    for (const pair of distilledPairs(results)) {
      const entry = experiment.get(pair.studentId)
        ?? { studentId: pair.studentId, label: pair.studentId, teacherLabel: null, teacherRole: null, teachers: new Set(), rows: new Map() };
      experiment.set(pair.studentId, entry);
      if (pair.student) entry.label = pair.student.label;
      if (pair.teacher) {
        entry.teacherLabel = pair.teacher.label;
        entry.teacherRole = pair.teacher.role;
        entry.teachers.add(pair.teacher.testAccuracy);
      }
      for (const side of ['baseline', 'student'] as const) {
        const model = pair[side];
        if (!model) continue;
        const row = entry.rows.get(model.seed) ?? { seed: model.seed, baseline: null, student: null };
        const previous = row[side];
        const measured = accuraciesOf(model);
        if (previous && (previous.test !== measured.test || previous.validation !== measured.validation)) {
          throw new Error(`${name}: a second ${side === 'student' ? 'distilled' : 'baseline'} '${model.modelId}' for seed ${model.seed} ` +
            `of '${results.experimentName}' with different accuracies.`);
        }
        row[side] = measured;
        entry.rows.set(model.seed, row);
      }
    }
  }
  return [...experiments].map(([experimentName, distilled]) => ({
    experimentName,
    distilled: [...distilled.values()].map(({ teachers, rows, teacherRole, ...identity }) => ({
      ...identity,
      teacherTestAccuracies: [...teachers].sort((a, b) => a - b),
      teacherTrainedPerRun: teacherRole !== null && teacherRole !== 'teacher',
      rows: [...rows.values()].sort((a, b) => a.seed - b.seed),
    })),
  }));
}

const points = (fraction: number): string => (fraction * 100).toFixed(2);
const signedPoints = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${points(fraction)}`;
const cell = (value: Accuracies | null, split: keyof Accuracies): string => (value ? points(value[split]) : '--');

function describeSpread(s: Spread, signed = false): string {
  const mean = signed ? signedPoints(s.mean) : points(s.mean);
  return s.n > 1 ? `${mean} ± ${points(s.sd)} (sd; standard error ${points(s.standardError)})` : `${mean} (one seed)`;
}

/** One table: accuracies in percent, gains in percentage points. `heading` names the experiment (and the model, when it has several). */
function formatDistilled(heading: string, distilled: DistilledSeeds, nameTeacher: boolean): string {
  const lines = [heading];
  const teachers = distilled.teacherTestAccuracies;
  const teacher = nameTeacher && distilled.teacherLabel !== null ? `teacher ${distilled.teacherLabel}` : 'teacher';
  const note = teachers.length <= 1 ? '' : distilled.teacherTrainedPerRun ? ' (trained in each run)' : ' (different teachers!)';
  if (teachers.length > 0) lines.push(`  ${teacher} test ${teachers.map(points).join(', ')}${note}`);
  lines.push('  seed   baseline test/val   distilled test/val   gain test/val');
  for (const row of distilled.rows) {
    const gain = (split: keyof Accuracies): string => (row.baseline && row.student ? signedPoints(row.student[split] - row.baseline[split]) : '--');
    lines.push(`  ${String(row.seed).padEnd(6)} ${`${cell(row.baseline, 'test')} / ${cell(row.baseline, 'validation')}`.padEnd(19)} ` +
      `${`${cell(row.student, 'test')} / ${cell(row.student, 'validation')}`.padEnd(20)} ${gain('test')} / ${gain('validation')}`);
  }
  const summary = summarizeGain(distilled.rows);
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

/** What the `seeds` script prints for one experiment: one table per distilled model. */
export function formatSeedSummary(experiment: ExperimentSeeds): string {
  const several = experiment.distilled.length > 1;
  if (experiment.distilled.length === 0) return `${experiment.experimentName}\n  no distilled model with a baseline in these results`;
  return experiment.distilled
    .map((distilled) => formatDistilled(several ? `${experiment.experimentName}: ${distilled.label} (${distilled.studentId})` : experiment.experimentName, distilled, several))
    .join('\n\n');
}

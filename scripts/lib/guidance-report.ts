/**
 * What `npm run guidance` prints: one line as each pairing starts and ends, then the ranked table
 * with the report's notes (how to read it), from src/train/guidanceSearch.ts's report.
 */
import type { GuidanceProgress, GuidanceReport, GuidanceResult } from '../../src/train/guidanceSearch';
import type { Spread } from '../../src/seedStatistics';

const percent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

/** "95.20%" for one run, "95.20 ± 0.41%" (sample sd) for several. */
export function formatAccuracy(s: Spread | null): string {
  if (s === null) return '--';
  return s.n > 1 ? `${(s.mean * 100).toFixed(2)} ± ${(s.sd * 100).toFixed(2)}%` : percent(s.mean);
}

const pairing = (teacherLayerId: string, studentLayerId: string): string => `${teacherLayerId} -> ${studentLayerId}`;

export function formatProgress(progress: GuidanceProgress): string {
  const at = `[${progress.index + 1}/${progress.total}]`;
  if (progress.type === 'run') {
    const seed = progress.seeds > 1 ? ` (seed +${progress.seedOffset})` : '';
    return `${at} training teacher ${progress.teacherLayerId} -> student ${progress.studentLayerId}${seed}...`;
  }
  const { result } = progress;
  const seconds = result.runs.reduce((sum, run) => sum + run.seconds, 0);
  return `${at} ${pairing(result.teacherLayerId, result.studentLayerId)}: ` + (result.error !== null
    ? `failed: ${result.error}`
    : `validation ${formatAccuracy(result.validation)}  test ${formatAccuracy(result.test)}  (${seconds.toFixed(0)} s)`);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd());
}

export function formatGuidanceReport(report: GuidanceReport): string {
  const severalSeeds = report.seeds > 1;
  const header = ['rank', 'teacher layer', 'student layer', 'adapter', 'validation', 'test', ...(severalSeeds ? ['vs best'] : []), ''];
  const row = (result: GuidanceResult): string[] => [
    String(result.rank),
    `${result.teacherLayerId} [${result.teacherShape.join(', ')}]`,
    `${result.studentLayerId} [${result.studentShape.join(', ')}]`,
    result.adapter ?? 'none',
    result.error === null ? formatAccuracy(result.validation) : 'failed',
    result.error === null ? formatAccuracy(result.test) : '',
    ...(severalSeeds ? [result.withinSpreadOfBest === null ? '' : result.withinSpreadOfBest ? '≈ best' : 'worse'] : []),
    result.current ? '(as drawn)' : '',
  ];
  const teacher = report.teacher === null ? [] : [`Teacher '${report.teacherModelId}': validation ${percent(report.teacher.validationAccuracy)}  test ${percent(report.teacher.testAccuracy)}`];
  const failures = report.ranked.filter((result) => result.error !== null)
    .map((result) => `  ${pairing(result.teacherLayerId, result.studentLayerId)} failed: ${result.error}`);
  return [
    `Guidance paths of '${report.lossNodeId}' (${report.lossId}) in '${report.experimentName}' on ${report.backend}: ` +
      `${report.ranked.length} of ${report.totalPairs} pairings, ${report.seeds} seed${report.seeds === 1 ? '' : 's'} each, ` +
      `network that learns: '${report.studentModelId}'`,
    ...teacher,
    ...(report.ranked.length > 0 ? table([header, ...report.ranked.map(row)]) : ['No pairing finished.']),
    ...failures,
    '',
    ...report.notes.map((note) => `Note: ${note}`),
  ].join('\n');
}

/**
 * Rows for the compare view's overlaid curves: one line per run (its colour by its place in the
 * comparison), keyed by the run's id, on a shared epoch or step axis.
 */
import { headlineDistillation } from '../../src/results';
import { SERIES_COLORS, type ChartRow } from '../dashboard/chartData';
import type { HistoryRun } from './historyRecord';

export function runColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

/** The model a run is judged by: its headline distilled student, else the first student that trained. */
export function headlineStudentId(run: HistoryRun): string | null {
  const fromResults = run.results === null ? null : headlineDistillation(run.results)?.studentId ?? null;
  if (fromResults !== null) return fromResults;
  return Object.entries(run.epochMetrics).find(([, epochs]) => epochs[0]?.kind === 'student')?.[0] ?? null;
}

/** Test accuracy in percent per epoch of each run's headline student, under the run's id. */
export function overlayAccuracyRows(runs: readonly HistoryRun[]): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const run of runs) {
    const studentId = headlineStudentId(run);
    const epochs = studentId === null ? [] : run.epochMetrics[studentId] ?? [];
    epochs.forEach((epoch, index) => {
      while (rows.length <= index) rows.push({ epoch: rows.length + 1 });
      rows[index][run.id] = epoch.testAccuracy * 100;
    });
  }
  return rows;
}

/** Total loss per recorded step of each run's first distillation phase, under the run's id, by step. */
export function overlayLossRows(runs: readonly HistoryRun[]): ChartRow[] {
  const byStep = new Map<number, ChartRow>();
  for (const run of runs) {
    const series = Object.values(run.lossSeries).find((one) => one.kind === 'student');
    for (const point of series?.points ?? []) {
      const row = byStep.get(point.step) ?? { step: point.step };
      row[run.id] = point.total;
      byStep.set(point.step, row);
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

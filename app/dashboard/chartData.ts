import type { EpochMetrics } from '../../src/protocol';
import type { RunPhase } from '../../src/train/plan';
import type { FspDistancePoint, LossSeries } from '../store/runSlice';

/** Pure shaping of run state into chart rows, kept out of the components so it is easy to test. */

export const PHASES: readonly RunPhase[] = ['teacher', 'baseline', 'student'];

export const PHASE_LABELS: Record<RunPhase, string> = {
  teacher: 'Teacher',
  baseline: 'Baseline student',
  student: 'Distilled student',
};

export const SERIES_COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7b83', '#57606a'];

export type ChartRow = Record<string, number>;

export function lossTermKeys(series: LossSeries): string[] {
  const keys = new Set<string>();
  for (const point of series.points) for (const key of Object.keys(point.terms)) keys.add(key);
  return [...keys];
}

export function lossRows(series: LossSeries): ChartRow[] {
  return series.points.map((point) => ({ step: point.step, total: point.total, ...point.terms }));
}

/**
 * One row per epoch of training, counted within each phase (stages of the student follow one
 * another), with `${phase}Train` and `${phase}Test` accuracy in percent.
 */
export function accuracyRows(epochs: readonly EpochMetrics[]): ChartRow[] {
  const rows: ChartRow[] = [];
  const counts: Record<RunPhase, number> = { teacher: 0, baseline: 0, student: 0 };
  for (const metrics of epochs) {
    counts[metrics.phase] += 1;
    const index = counts[metrics.phase];
    while (rows.length < index) rows.push({ epoch: rows.length + 1 });
    rows[index - 1][`${metrics.phase}Train`] = metrics.trainAccuracy * 100;
    rows[index - 1][`${metrics.phase}Test`] = metrics.testAccuracy * 100;
  }
  return rows;
}

/** softmax(z / T), numerically stable. */
export function softmaxWithTemperature(logits: readonly number[], temperature: number): number[] {
  const scaled = logits.map((z) => z / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Key of one FSP distance line: each phase that distils (baseline probes, student) has its own. */
export function fspSeriesKey(phase: RunPhase, pairId: string): string {
  return `${phase}:${pairId}`;
}

export function fspDistanceRows(history: readonly FspDistancePoint[]): ChartRow[] {
  return history.map((point) => {
    const row: ChartRow = { step: point.step };
    for (const [pairId, distance] of Object.entries(point.distances)) row[fspSeriesKey(point.phase, pairId)] = distance;
    return row;
  });
}

export function fspSeries(history: readonly FspDistancePoint[]): { key: string; phase: RunPhase; pairId: string }[] {
  const seen = new Map<string, { key: string; phase: RunPhase; pairId: string }>();
  for (const point of history) {
    for (const pairId of Object.keys(point.distances)) {
      const key = fspSeriesKey(point.phase, pairId);
      if (!seen.has(key)) seen.set(key, { key, phase: point.phase, pairId });
    }
  }
  return [...seen.values()];
}

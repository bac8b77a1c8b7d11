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

/** Same colours as the teacher/student node tones, so a model looks the same in every chart. */
export const PHASE_COLORS: Record<RunPhase, string> = { teacher: '#1f6feb', baseline: '#9a6700', student: '#1a7f37' };

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

/** Index of the largest value (the first one on ties); -1 for an empty list. */
export function argmax(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i] > values[best]) best = i;
  return best;
}

/**
 * Y range for accuracy in percent: zoomed to the data with a little headroom, on multiples of 5,
 * so 92-99% does not sit squashed at the top of a 0-100% axis. Never beyond [0, 100].
 */
export function accuracyDomain(rows: readonly ChartRow[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (key === 'epoch' || !Number.isFinite(value)) continue;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  if (min > max) return [0, 100];
  const pad = Math.max(1, (max - min) * 0.15);
  return [Math.max(0, Math.floor((min - pad) / 5) * 5), Math.min(100, Math.ceil((max + pad) / 5) * 5)];
}

/** The last value of `key` in rows (the latest epoch that has it), or null. */
export function latestValue(rows: readonly ChartRow[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i--) if (Number.isFinite(rows[i][key])) return rows[i][key];
  return null;
}

/**
 * Orders of magnitude between the largest and the smallest positive value over `keys`, taking
 * each series' median so a single spike does not count. 0 when fewer than two series have data.
 */
export function magnitudeSpread(rows: readonly ChartRow[], keys: readonly string[]): number {
  const medians: number[] = [];
  for (const key of keys) {
    const values = rows.map((row) => row[key]).filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
    if (values.length > 0) medians.push(values[Math.floor(values.length / 2)]);
  }
  if (medians.length < 2) return 0;
  return Math.log10(Math.max(...medians) / Math.min(...medians));
}

/** Rows for a log axis: values that are not positive become gaps instead of breaking the scale. */
export function positiveRows(rows: readonly ChartRow[]): Record<string, number | null>[] {
  return rows.map((row) => {
    const out: Record<string, number | null> = {};
    for (const [key, value] of Object.entries(row)) out[key] = key === 'step' || value > 0 ? value : null;
    return out;
  });
}

/**
 * Top of the probability axis for one soft-target chart: the largest probability rounded up to a
 * tenth (a hundredth below 10%), so a flat distribution at high T still fills the chart.
 */
export function probabilityCeiling(...distributions: readonly (readonly number[])[]): number {
  let max = 0;
  for (const probabilities of distributions) for (const p of probabilities) if (p > max) max = p;
  if (max <= 0) return 1;
  const step = max >= 0.1 ? 0.1 : 0.01;
  return Math.min(1, Math.ceil(max / step - 1e-9) * step);
}

/** Whole decades around every positive value of `keys`, so a log axis never clips a line. */
export function logDomain(rows: readonly ChartRow[], keys: readonly string[]): [number, number] {
  let min = Infinity;
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const value = row[key];
      if (!(value > 0) || !Number.isFinite(value)) continue;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  if (max === 0) return [0.1, 1];
  const low = 10 ** Math.floor(Math.log10(min));
  const high = 10 ** Math.ceil(Math.log10(max));
  return [low, high > low ? high : low * 10];
}

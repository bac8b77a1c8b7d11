import type { EpochMetrics } from '../../src/protocol';
import { selectedPhases, type PhaseKind, type RunSelection, type TrainingPlan } from '../../src/train/plan';
import type { FspDistancePoint, LossSeries } from '../store/runSlice';
import type { CsvColumn, CsvRow } from './chartExport';

/** Pure shaping of run state into chart rows, kept out of the components so it is easy to test. */

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

/** The key of one model's train or test accuracy in the accuracy rows. */
export function accuracyKey(modelId: string, split: 'train' | 'test'): string {
  return `${split}:${modelId}`;
}

/**
 * One row per epoch of training, counted within each model (the stages of a phase follow one
 * another), with each model's train and test accuracy in percent under accuracyKey.
 */
export function accuracyRows(epochs: Readonly<Record<string, readonly EpochMetrics[]>>): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const [modelId, metrics] of Object.entries(epochs)) {
    metrics.forEach((epoch, index) => {
      while (rows.length <= index) rows.push({ epoch: rows.length + 1 });
      rows[index][accuracyKey(modelId, 'train')] = epoch.trainAccuracy * 100;
      rows[index][accuracyKey(modelId, 'test')] = epoch.testAccuracy * 100;
    });
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

/** Key of one FSP distance line: each phase that compares FSP matrices (baselines, distillations) has its own. */
export function fspSeriesKey(phaseId: string, pairId: string): string {
  return `${phaseId}|${pairId}`;
}

export interface FspLine {
  key: string;
  phaseId: string;
  pairId: string;
}

/** Rows of every phase's points, phase after phase (each line reads only its own). */
export function fspDistanceRows(history: Readonly<Record<string, readonly FspDistancePoint[]>>): ChartRow[] {
  return Object.entries(history).flatMap(([phaseId, points]) => points.map((point) => {
    const row: ChartRow = { step: point.step };
    for (const [pairId, distance] of Object.entries(point.distances)) row[fspSeriesKey(phaseId, pairId)] = distance;
    return row;
  }));
}

export function fspSeries(history: Readonly<Record<string, readonly FspDistancePoint[]>>): FspLine[] {
  const seen = new Map<string, FspLine>();
  for (const [phaseId, points] of Object.entries(history)) {
    for (const point of points) {
      for (const pairId of Object.keys(point.distances)) {
        const key = fspSeriesKey(phaseId, pairId);
        if (!seen.has(key)) seen.set(key, { key, phaseId, pairId });
      }
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

export interface PhaseTab {
  phaseId: string;
  kind: PhaseKind;
  label: string;
  hasData: boolean;
}

/** One tab per phase the run trains (the plan's selected phases in order), then any phase only the series know. */
export function phaseTabs(plan: TrainingPlan | null, selection: RunSelection | null, lossSeries: Readonly<Record<string, LossSeries>>): PhaseTab[] {
  const planned = plan === null ? [] : selection === null ? plan.phases : selectedPhases(plan, selection);
  const tabs: PhaseTab[] = planned.map((phase) => ({
    phaseId: phase.id,
    kind: phase.kind,
    label: lossSeries[phase.id]?.label ?? phase.label,
    hasData: (lossSeries[phase.id]?.points.length ?? 0) > 0,
  }));
  for (const series of Object.values(lossSeries)) {
    if (tabs.some((tab) => tab.phaseId === series.phaseId)) continue;
    tabs.push({ phaseId: series.phaseId, kind: series.kind, label: series.label, hasData: series.points.length > 0 });
  }
  return tabs;
}

/**
 * What each loss term is called: the plan's term labels, else the graph's node labels; cross-entropy on a
 * model named as such (`crossEntropy`, in the interface language).
 */
export function lossTermLabels(
  plan: TrainingPlan | null, nodes: readonly { id: string; label: string }[], crossEntropy = 'Cross-entropy',
): (term: string) => string {
  const labels = new Map<string, string>(nodes.map((node) => [node.id, node.label]));
  for (const phase of plan?.phases ?? []) for (const stage of phase.stages) for (const { term } of stage.terms) labels.set(term.nodeId, term.label);
  return (term) => labels.get(term) ?? (term.startsWith('ce:') ? crossEntropy : term);
}

/**
 * Every phase's loss curves as one table (the loss chart's CSV): one row per recorded step of each
 * phase, the total and each term under its label; a term a phase does not have is left empty.
 * The column headers stay English in every interface language: CSV files are read by scripts.
 */
export function lossTable(lossSeries: Readonly<Record<string, LossSeries>>, labelOf: (term: string) => string): { columns: CsvColumn[]; rows: CsvRow[] } {
  const series = Object.values(lossSeries);
  const terms = [...new Set(series.flatMap(lossTermKeys))];
  const columns: CsvColumn[] = [
    { key: 'phase', label: 'phase' }, { key: 'kind', label: 'kind' }, { key: 'step', label: 'step' }, { key: 'epoch', label: 'epoch' },
    { key: 'total', label: 'total loss' },
    ...terms.map((term) => ({ key: `term:${term}`, label: labelOf(term) })),
  ];
  const rows = series.flatMap((one) => one.points.map((point): CsvRow => ({
    phase: one.label, kind: one.kind, step: point.step, epoch: point.epoch, total: point.total,
    ...Object.fromEntries(Object.entries(point.terms).map(([term, value]) => [`term:${term}`, value])),
  })));
  return { columns, rows };
}

/**
 * One finished or stopped run as the history keeps it, and the pure shaping the history views
 * need: building a record from the store's run, the summary row of the list, and sizes.
 */
import type { ExperimentFile } from '../../src/graph/schema';
import type { BackendName, EpochMetrics } from '../../src/protocol';
import { headlineDistillation, modelResultById, type ExperimentResults } from '../../src/results';
import type { LossSeries, RunData } from '../store/runSlice';

export const HISTORY_RECORD_VERSION = 1;

export interface HistoryRun {
  recordVersion: typeof HISTORY_RECORD_VERSION;
  /** The run's id (`run.runId`): the IndexedDB key. */
  id: string;
  /** Editable; starts as the experiment's name. */
  name: string;
  notes: string;
  status: 'finished' | 'stopped';
  /** The graph as it was when Run was pressed (later edits do not leak in). */
  experiment: ExperimentFile;
  backend: { name: BackendName; reason: string } | null;
  /** Initialisation seeds of the models that finished, keyed by model id. */
  seeds: Record<string, number>;
  /** Milliseconds since the epoch. */
  startedAt: number;
  endedAt: number;
  lossSeries: Record<string, LossSeries>;
  epochMetrics: Record<string, EpochMetrics[]>;
  results: ExperimentResults | null;
  /**
   * Trained weights are not copied (megabytes per run): the trained-student journal keeps the
   * latest run's models, keyed by this run's start time. These ids say which it held.
   */
  trainedModelIds: string[];
}

/** A run the history should keep: it ended by finishing or by Stop, and it was started here. */
export function historyRunOf(run: RunData, experiment: ExperimentFile, endedAt: number): HistoryRun | null {
  if ((run.status !== 'finished' && run.status !== 'stopped') || run.runId === null || run.startedAt === null) return null;
  const seeds = Object.fromEntries((run.results?.models ?? []).map((model) => [model.modelId, model.seed]));
  return {
    recordVersion: HISTORY_RECORD_VERSION,
    id: run.runId,
    name: experiment.name,
    notes: '',
    status: run.status,
    experiment,
    backend: run.backend,
    seeds,
    startedAt: run.startedAt,
    endedAt,
    lossSeries: run.lossSeries,
    epochMetrics: run.epochMetrics,
    results: run.results,
    trainedModelIds: Object.keys(run.trainedModels),
  };
}

export interface RunSummary {
  id: string;
  name: string;
  status: HistoryRun['status'];
  startedAt: number;
  backend: string;
  /** Fractions in [0, 1]; null when that model did not finish (or the experiment has none). */
  teacherAccuracy: number | null;
  baselineAccuracy: number | null;
  distilledAccuracy: number | null;
  /** distilled - baseline. */
  gain: number | null;
}

/** The headline numbers of a run: those of its first distillation, as the results panel shows them. */
export function runSummary(run: HistoryRun): RunSummary {
  const results = run.results;
  const report = results === null ? null : headlineDistillation(results);
  const accuracyOf = (modelId: string | null | undefined): number | null =>
    results === null ? null : modelResultById(results, modelId)?.testAccuracy ?? null;
  const baselineAccuracy = accuracyOf(report?.baselineId);
  const distilledAccuracy = accuracyOf(report?.studentId);
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    startedAt: run.startedAt,
    backend: results?.backend ?? run.backend?.name ?? '—',
    teacherAccuracy: accuracyOf(report?.teacherId),
    baselineAccuracy,
    distilledAccuracy,
    gain: report?.distillationGain ?? (baselineAccuracy !== null && distilledAccuracy !== null ? distilledAccuracy - baselineAccuracy : null),
  };
}

/** Bytes the record takes as JSON text: close to what IndexedDB stores for it (its size on disk varies by browser). */
export function recordBytes(run: HistoryRun): number {
  return new TextEncoder().encode(JSON.stringify(run)).length;
}

/** Newest first. */
export function sortedRuns(runs: readonly HistoryRun[]): HistoryRun[] {
  return [...runs].sort((a, b) => b.startedAt - a.startedAt);
}

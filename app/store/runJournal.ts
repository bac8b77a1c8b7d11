/**
 * The run journal: a few hundred bytes in localStorage saying which run is going and the results
 * its finished models reached (the runner sends them after each model). A closed or reloaded tab
 * cannot keep training, but with the journal the next load says what happened and shows those
 * results again. While a run is active, leaving the page asks for confirmation first.
 */
import type { StoreApi } from 'zustand';
import type { ExperimentResults } from '../../src/results';
import { readResultsFile } from '../../src/resultsFile';
import { isRunActive, type RunStatus } from './runSlice';
import { currentSeed, endSweep, isSeedSweep, type SeedRun, type SeedSweep } from '../run/seedSweep';
import { currentPoint, endParamSweep, isParamSweep, type ParamSweep } from '../run/paramSweep';
import { describeSweepValues } from '../../src/graph/sweepVariants';
import { storeTextsNow } from './storeTexts';
import { storeTexts } from '../i18n/catalogs/store';

export const RUN_JOURNAL_KEY = 'distillation-studio.run.v1';

export interface RunJournal {
  experimentName: string;
  status: RunStatus;
  /** Milliseconds since the epoch. */
  startedAt: number;
  /** Results keyed by model id (resultsVersion 2); journals of the first format are upgraded when read. */
  results: ExperimentResults | null;
  /** The seed sweep the run belonged to, with the seeds that finished (absent in journals before sweeps). */
  sweep?: SeedSweep | null;
  /** The parameter sweep the run belonged to, with the runs that finished (absent in older journals). */
  paramSweep?: ParamSweep | null;
}

/** The slice of the store the journal reads; the whole studio store satisfies it. */
export interface JournalSource {
  experiment: { name: string };
  run: { status: RunStatus; startedAt: number | null; results: ExperimentResults | null; sweep: SeedSweep | null; paramSweep?: ParamSweep | null };
}

/** Results as stored, checked and upgraded to the current format (readResultsFile throws on anything else). */
const readStoredResults = (value: unknown): ExperimentResults | null => (value === null ? null : readResultsFile(value));

/** A stored sweep with each seed's results read as readStoredResults reads them; its shape is checked by isSeedSweep. */
function readStoredSweep(value: unknown): SeedSweep | null | undefined {
  if (value === undefined || value === null) return value;
  const sweep = value as Partial<SeedSweep>;
  const finished = Array.isArray(sweep.finished)
    ? sweep.finished.map((run: Partial<SeedRun> | null) => (typeof run === 'object' && run !== null ? { ...run, results: readResultsFile(run.results) } : run))
    : sweep.finished;
  const upgraded = { ...sweep, finished };
  const isResults = (results: unknown): results is ExperimentResults => typeof results === 'object' && results !== null;
  if (!isSeedSweep(upgraded, isResults)) throw new Error('The stored seed sweep cannot be read.');
  return upgraded;
}

/** A stored parameter sweep with each run's results read as readStoredResults reads them. */
function readStoredParamSweep(value: unknown): ParamSweep | null | undefined {
  if (value === undefined || value === null) return value;
  const sweep = value as Partial<ParamSweep>;
  const finished = Array.isArray(sweep.finished)
    ? sweep.finished.map((run: unknown) => (typeof run === 'object' && run !== null ? { ...run, results: readResultsFile((run as { results?: unknown }).results) } : run))
    : sweep.finished;
  const upgraded = { ...sweep, finished };
  const isResults = (results: unknown): results is ExperimentResults => typeof results === 'object' && results !== null;
  if (!isParamSweep(upgraded, isResults)) throw new Error('The stored parameter sweep cannot be read.');
  return upgraded;
}

/** The journal of the last run, or null when there is none or it cannot be read (then it is dropped). */
export function readRunJournal(storage: Storage): RunJournal | null {
  try {
    const text = storage.getItem(RUN_JOURNAL_KEY);
    if (text === null) return null;
    const journal = JSON.parse(text) as Partial<RunJournal>;
    if (typeof journal.experimentName === 'string' && typeof journal.status === 'string' && typeof journal.startedAt === 'number') {
      const { experimentName, status, startedAt } = journal;
      const read: RunJournal = { experimentName, status, startedAt, results: readStoredResults(journal.results ?? null) };
      const sweep = readStoredSweep(journal.sweep);
      const paramSweep = readStoredParamSweep(journal.paramSweep);
      return { ...read, ...(sweep !== undefined && { sweep }), ...(paramSweep !== undefined && { paramSweep }) };
    }
  } catch {
    // Unreadable storage or text, or results of a shape no reader knows: the journal is a convenience,
    // the graph's autosave is separate.
  }
  try {
    storage.removeItem(RUN_JOURNAL_KEY);
  } catch {
    // Storage unavailable: nothing to drop.
  }
  return null;
}

/** What to tell the user about the journal found at start-up, or null to say nothing. */
export function journalNotice(journal: RunJournal): string | null {
  if (!isRunActive(journal.status)) return null;
  const started = new Date(journal.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const tx = storeTextsNow(storeTexts);
  const kept = journal.results !== null && journal.results.models.length > 0 ? tx.journalModelsKept : tx.journalNoModel;
  const sweep = journal.sweep;
  const paramSweep = journal.paramSweep;
  const name = journal.experimentName;
  const what = paramSweep
    ? tx.journalSweepRun(currentPoint(paramSweep).index + 1, paramSweep.points.length, describeSweepValues(paramSweep.axes, currentPoint(paramSweep).values), name)
    : sweep ? tx.journalSeed(currentSeed(sweep).index + 1, sweep.count, name) : tx.journalRun(name);
  const seedsDone = sweep?.finished.length ?? 0;
  const runsDone = paramSweep?.finished.length ?? 0;
  const sweepKept = runsDone > 0 ? tx.journalSweepRunsKept(runsDone)
    : seedsDone === 0 ? '' : seedsDone === 1 ? tx.journalOneSeedKept : tx.journalSeedsKept(seedsDone);
  return tx.journalNotice(what, started, `${kept}${sweepKept}`);
}

/** Marks the journal's run (and sweep) as over, so the next load does not report the same interruption again. */
export function closeRunJournal(journal: RunJournal, storage: Storage): void {
  try {
    storage.setItem(RUN_JOURNAL_KEY, JSON.stringify({
      ...journal, status: 'stopped', sweep: journal.sweep && endSweep(journal.sweep), paramSweep: journal.paramSweep && endParamSweep(journal.paramSweep),
    }));
  } catch {
    // Storage unavailable: the notice may repeat once.
  }
}

/**
 * Writes the journal whenever the run's status or results change (a few times per run) and asks
 * before the page unloads during a run. Returns a function that stops both.
 */
export function startRunJournal(store: StoreApi<JournalSource>, storage: Storage, target: EventTarget): () => void {
  const unsubscribe = store.subscribe((state, previous) => {
    const { run } = state;
    const previousRun = previous.run;
    if (run.startedAt === null
      || (run.status === previousRun.status && run.results === previousRun.results && run.sweep === previousRun.sweep
        && run.paramSweep === previousRun.paramSweep)) return;
    const journal: RunJournal = {
      experimentName: run.results?.experimentName ?? run.sweep?.experimentName ?? run.paramSweep?.experimentName ?? state.experiment.name,
      status: run.status,
      startedAt: run.startedAt,
      results: run.results,
      sweep: run.sweep,
      paramSweep: run.paramSweep,
    };
    try {
      storage.setItem(RUN_JOURNAL_KEY, JSON.stringify(journal));
    } catch {
      // Quota or private mode: the run goes on, only the journal is missing.
    }
  });
  const confirmLeaving = (event: Event): void => {
    if (!isRunActive(store.getState().run.status)) return;
    // Browsers show their own "leave site?" prompt; the text cannot be chosen. Older ones also
    // want returnValue set.
    event.preventDefault();
    if (typeof BeforeUnloadEvent !== 'undefined' && event instanceof BeforeUnloadEvent) event.returnValue = '';
  };
  target.addEventListener('beforeunload', confirmLeaving);
  return () => {
    unsubscribe();
    target.removeEventListener('beforeunload', confirmLeaving);
  };
}

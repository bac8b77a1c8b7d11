/**
 * The run journal: a few hundred bytes in localStorage saying which run is going and the results
 * its finished models reached (the runner sends them after each model). A closed or reloaded tab
 * cannot keep training, but with the journal the next load says what happened and shows those
 * results again. While a run is active, leaving the page asks for confirmation first.
 */
import type { StoreApi } from 'zustand';
import type { ExperimentResults, ModelResult } from '../../src/results';
import { isRunActive, type RunStatus } from './runSlice';
import { currentSeed, endSweep, isSeedSweep, type SeedSweep } from '../run/seedSweep';

export const RUN_JOURNAL_KEY = 'distillation-studio.run.v1';

export interface RunJournal {
  experimentName: string;
  status: RunStatus;
  /** Milliseconds since the epoch. */
  startedAt: number;
  results: ExperimentResults | null;
  /** The seed sweep the run belonged to, with the seeds that finished (absent in journals before sweeps). */
  sweep?: SeedSweep | null;
}

/** The slice of the store the journal reads; the whole studio store satisfies it. */
export interface JournalSource {
  experiment: { name: string };
  run: { status: RunStatus; startedAt: number | null; results: ExperimentResults | null; sweep: SeedSweep | null };
}

const isModelResult = (value: unknown): value is ModelResult => {
  const model = value as Partial<ModelResult> | null;
  return typeof model === 'object' && model !== null
    && ['testAccuracy', 'validationAccuracy', 'params', 'bytes', 'flops', 'inferenceMsPerSample', 'trainingSeconds', 'seed']
      .every((key) => typeof model[key as keyof ModelResult] === 'number');
};

function isResults(value: unknown): value is ExperimentResults {
  const results = value as Partial<ExperimentResults> | null;
  return typeof results === 'object' && results !== null
    && typeof results.experimentName === 'string' && typeof results.backend === 'string'
    && typeof results.datasetId === 'string' && typeof results.trainCount === 'number' && typeof results.testCount === 'number'
    && [results.teacher, results.baseline, results.student].every((model) => model === null || isModelResult(model));
}

/** The journal of the last run, or null when there is none or it cannot be read (then it is dropped). */
export function readRunJournal(storage: Storage): RunJournal | null {
  try {
    const text = storage.getItem(RUN_JOURNAL_KEY);
    if (text === null) return null;
    const journal = JSON.parse(text) as Partial<RunJournal>;
    if (typeof journal.experimentName === 'string' && typeof journal.status === 'string'
      && typeof journal.startedAt === 'number' && (journal.results === null || isResults(journal.results))
      && (journal.sweep === undefined || journal.sweep === null || isSeedSweep(journal.sweep, isResults))) {
      return journal as RunJournal;
    }
  } catch {
    // Unreadable storage or text: the journal is a convenience, the graph's autosave is separate.
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
  const kept = journal.results !== null && [journal.results.teacher, journal.results.baseline, journal.results.student].some((m) => m !== null)
    ? ' The results of the models it had finished are shown.'
    : ' No model had finished yet.';
  const sweep = journal.sweep;
  const what = sweep ? `seed ${currentSeed(sweep).index + 1} of ${sweep.count} of "${journal.experimentName}"` : `"${journal.experimentName}"`;
  const seedsDone = sweep?.finished.length ?? 0;
  const sweepKept = seedsDone === 0 ? '' : seedsDone === 1 ? ' The seed that finished before it is shown.' : ` The ${seedsDone} seeds that finished before it are shown.`;
  return `The page was closed while ${what} was training (started ${started}), so that run ended.${kept}${sweepKept} ` +
    'Your graph is restored: press Run to train again.';
}

/** Marks the journal's run (and sweep) as over, so the next load does not report the same interruption again. */
export function closeRunJournal(journal: RunJournal, storage: Storage): void {
  try {
    storage.setItem(RUN_JOURNAL_KEY, JSON.stringify({ ...journal, status: 'stopped', sweep: journal.sweep && endSweep(journal.sweep) }));
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
      || (run.status === previousRun.status && run.results === previousRun.results && run.sweep === previousRun.sweep)) return;
    const journal: RunJournal = {
      experimentName: run.results?.experimentName ?? run.sweep?.experimentName ?? state.experiment.name,
      status: run.status,
      startedAt: run.startedAt,
      results: run.results,
      sweep: run.sweep,
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

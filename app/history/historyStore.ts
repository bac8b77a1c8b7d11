/**
 * The history's own small store (apart from the studio store, so runs are loaded only when the
 * panel opens and the studio's slices stay untouched): the kept runs, which are selected for
 * comparison, and the storage estimate. Every write goes to IndexedDB first; failures become toasts.
 */
import { create } from 'zustand';
import { historyDatabase, historyFailureMessage, type HistoryDatabase } from './historyDatabase';
import { sortedRuns, type HistoryRun } from './historyRecord';

export interface StorageUse {
  usage: number;
  quota: number;
}

export interface HistoryState {
  open: boolean;
  runs: HistoryRun[];
  loaded: boolean;
  /** Run ids ticked for comparison, in the order they were ticked. */
  selected: string[];
  storage: StorageUse | null;
  setOpen: (open: boolean) => void;
  refresh: () => Promise<void>;
  /** Adds a run the recorder just stored (the list then needs no reload). */
  added: (run: HistoryRun) => void;
  update: (id: string, change: Partial<Pick<HistoryRun, 'name' | 'notes'>>) => Promise<void>;
  remove: (id: string) => Promise<void>;
  toggleSelected: (id: string) => void;
}

let database: HistoryDatabase = historyDatabase();
let reportFailure: (message: string) => void = (message) => console.error(message);

/** Wires the store to the studio's toasts (and lets tests pass another database). */
export function configureHistory(options: { database?: HistoryDatabase; reportFailure: (message: string) => void }): void {
  if (options.database !== undefined) database = options.database;
  reportFailure = options.reportFailure;
}

export function currentHistoryDatabase(): HistoryDatabase {
  return database;
}

async function estimateStorage(): Promise<StorageUse | null> {
  try {
    const estimate = await navigator.storage.estimate();
    return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 };
  } catch {
    return null;
  }
}

export const useHistory = create<HistoryState>()((set, get) => ({
  open: false,
  runs: [],
  loaded: false,
  selected: [],
  storage: null,
  setOpen: (open) => {
    set({ open });
    if (open) void get().refresh();
  },
  refresh: async () => {
    try {
      const runs = sortedRuns(await database.list());
      set((state) => ({ runs, loaded: true, selected: state.selected.filter((id) => runs.some((run) => run.id === id)) }));
    } catch (error) {
      set({ loaded: true });
      reportFailure(historyFailureMessage({ kind: 'read' }, error));
    }
    set({ storage: await estimateStorage() });
  },
  added: (run) => set((state) => ({ runs: sortedRuns([run, ...state.runs.filter((one) => one.id !== run.id)]) })),
  update: async (id, change) => {
    const run = get().runs.find((one) => one.id === id);
    if (run === undefined) return;
    const updated = { ...run, ...change };
    try {
      await database.put(updated);
      set((state) => ({ runs: state.runs.map((one) => (one.id === id ? updated : one)) }));
    } catch (error) {
      reportFailure(historyFailureMessage({ kind: 'save', name: run.name }, error));
    }
  },
  remove: async (id) => {
    const run = get().runs.find((one) => one.id === id);
    try {
      await database.remove(id);
      set((state) => ({ runs: state.runs.filter((one) => one.id !== id), selected: state.selected.filter((one) => one !== id) }));
    } catch (error) {
      reportFailure(historyFailureMessage({ kind: 'delete', name: run?.name ?? id }, error));
    }
    set({ storage: await estimateStorage() });
  },
  toggleSelected: (id) => set((state) => ({
    selected: state.selected.includes(id) ? state.selected.filter((one) => one !== id) : [...state.selected, id],
  })),
}));

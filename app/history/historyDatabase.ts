/**
 * The run history in IndexedDB: one record per run, keyed by run id. Like workers/keyValueStore.ts
 * it opens the database per request (a few requests per run) and resolves a write only once its
 * transaction commits, since a full quota shows as an abort after the request succeeded.
 */
import { errorMessage } from '../../src/errorMessage';
import type { HistoryRun } from './historyRecord';
import { storeTextsNow } from '../store/storeTexts';
import { historyTexts } from '../i18n/catalogs/history';

export interface HistoryDatabase {
  list(): Promise<HistoryRun[]>;
  put(run: HistoryRun): Promise<void>;
  remove(id: string): Promise<void>;
}

const DATABASE_NAME = 'distillation-studio-history';
const STORE_NAME = 'runs';

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new DOMException('IndexedDB is not available', 'InvalidStateError'));
      return;
    }
    const request = indexedDB.open(DATABASE_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE_NAME);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`IndexedDB '${DATABASE_NAME}' could not be opened`));
  });
}

async function request<R>(mode: IDBTransactionMode, operate: (store: IDBObjectStore) => IDBRequest<R>): Promise<R> {
  const db = await openDatabase();
  try {
    return await new Promise<R>((resolve, reject) => {
      const transaction = db.transaction(STORE_NAME, mode);
      const pending = operate(transaction.objectStore(STORE_NAME));
      const failed = () => reject(transaction.error ?? pending.error ?? new Error(`IndexedDB ${mode} transaction failed`));
      pending.onerror = failed;
      transaction.onabort = failed;
      if (mode === 'readonly') pending.onsuccess = () => resolve(pending.result);
      else transaction.oncomplete = () => resolve(pending.result);
    });
  } finally {
    db.close();
  }
}

const isHistoryRun = (value: unknown): value is HistoryRun => {
  const run = value as Partial<HistoryRun> | null;
  return typeof run === 'object' && run !== null && typeof run.id === 'string' && typeof run.name === 'string'
    && typeof run.startedAt === 'number' && Array.isArray(run.experiment?.nodes);
};

export function historyDatabase(): HistoryDatabase {
  return {
    // Records of another shape (a future version, a damaged entry) are skipped rather than breaking the list.
    list: async () => (await request<unknown[]>('readonly', (store) => store.getAll())).filter(isHistoryRun),
    put: async (run) => {
      await request('readwrite', (store) => store.put(run, run.id));
    },
    remove: async (id) => {
      await request('readwrite', (store) => store.delete(id));
    },
  };
}

/** What to tell the user when the history could not be written: the run itself is never affected. */
/** What the history was doing when storage failed (named runs by their name). */
export type HistoryAction =
  | { kind: 'read' }
  | { kind: 'save' | 'delete' | 'keep'; name: string };

/** Why a history operation failed, in the interface language: the run on screen is never affected. */
export function historyFailureMessage(action: HistoryAction, error: unknown): string {
  const tx = storeTextsNow(historyTexts);
  const doing = action.kind === 'read' ? tx.failedRead : action.kind === 'save' ? tx.failedSave(action.name)
    : action.kind === 'delete' ? tx.failedDelete(action.name) : tx.failedKeep(action.name);
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') return tx.storageFull(doing);
  if (name === 'InvalidStateError' || name === 'SecurityError' || name === 'UnknownError') return tx.storageUnavailable(doing);
  return tx.storageFailed(doing, errorMessage(error));
}

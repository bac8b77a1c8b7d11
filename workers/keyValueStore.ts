/**
 * A minimal promise wrapper over one IndexedDB object store, used in the training worker (the
 * teacher cache) and on the page (the last trained student). Each use names its own database, so
 * no version upgrade ever has to coordinate two object stores.
 */

export interface KeyValueStore<T> {
  get(key: string): Promise<T | null>;
  put(key: string, value: T): Promise<void>;
}

function openDatabase(databaseName: string, storeName: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`IndexedDB '${databaseName}' could not be opened`));
  });
}

/** Opens the database per request and closes it afterwards: requests are rare (a few per run). */
export function keyValueStore<T>(databaseName: string, storeName: string): KeyValueStore<T> {
  async function request<R>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<R>): Promise<R> {
    const db = await openDatabase(databaseName, storeName);
    try {
      return await new Promise<R>((resolve, reject) => {
        const pending = use(db.transaction(storeName, mode).objectStore(storeName));
        pending.onsuccess = () => resolve(pending.result);
        pending.onerror = () => reject(pending.error ?? new Error('IndexedDB request failed'));
      });
    } finally {
      db.close();
    }
  }
  return {
    async get(key) {
      return (await request<T | undefined>('readonly', (store) => store.get(key))) ?? null;
    },
    async put(key, value) {
      await request('readwrite', (store) => store.put(value, key));
    },
  };
}

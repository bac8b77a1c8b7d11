/**
 * A minimal promise wrapper over one IndexedDB object store, used in the training worker (the
 * teacher cache) and on the page (the last trained student). Each use names its own database, so
 * no version upgrade ever has to coordinate two object stores.
 */

export interface KeyValueStore<T> {
  get(key: string): Promise<T | null>;
  put(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

function openDatabase(databaseName: string, storeName: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`IndexedDB '${databaseName}' could not be opened`));
  });
}

/**
 * Opens the database per request and closes it afterwards: requests are rare (a few per run).
 * A read resolves with its request; a write only once its transaction commits, since a full quota
 * is reported as an abort after the request itself succeeded.
 */
export function keyValueStore<T>(databaseName: string, storeName: string): KeyValueStore<T> {
  async function request<R>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<R>): Promise<R> {
    const db = await openDatabase(databaseName, storeName);
    try {
      return await new Promise<R>((resolve, reject) => {
        const transaction = db.transaction(storeName, mode);
        const pending = use(transaction.objectStore(storeName));
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
  return {
    async get(key) {
      return (await request<T | undefined>('readonly', (store) => store.get(key))) ?? null;
    },
    async put(key, value) {
      await request('readwrite', (store) => store.put(value, key));
    },
    async delete(key) {
      await request('readwrite', (store) => store.delete(key));
    },
  };
}

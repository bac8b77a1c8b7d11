import type { DatasetInfo } from '../src/data/types';
import { keyValueStore } from './keyValueStore';

/**
 * Datasets imported from the user's images, kept in IndexedDB so they survive a reload: one record
 * per dataset (its registry entry and asset files, the sharded layout of src/data/assets.ts) and an
 * index of their entries, read at start-up by the page and before a run by the training worker.
 */

export interface StoredUserDataset {
  info: DatasetInfo;
  /** Asset files by path relative to the dataset's folder (meta.json, shards, labels). */
  files: Record<string, Uint8Array>;
}

const DATABASE = 'distillation-studio-user-datasets';
const STORE = 'datasets';
const INDEX_KEY = 'index';
const records = keyValueStore<StoredUserDataset>(DATABASE, STORE);
const index = keyValueStore<DatasetInfo[]>(DATABASE, STORE);

export async function listStoredUserDatasets(): Promise<DatasetInfo[]> {
  return (await index.get(INDEX_KEY)) ?? [];
}

export async function loadStoredUserDataset(id: string): Promise<StoredUserDataset | null> {
  return records.get(id);
}

/** The index entry first, then the files, so an index entry never outlives its files. */
export async function deleteUserDataset(id: string): Promise<void> {
  const known = await listStoredUserDatasets();
  await index.put(INDEX_KEY, known.filter((info) => info.id !== id));
  await records.delete(id);
}

/** The record first, then the index: an index entry always has its files. */
export async function saveUserDataset(dataset: StoredUserDataset): Promise<void> {
  await records.put(dataset.info.id, dataset);
  const known = await listStoredUserDatasets();
  await index.put(INDEX_KEY, [...known.filter((info) => info.id !== dataset.info.id), dataset.info]);
}

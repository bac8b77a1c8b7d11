import { describe, expect, it } from 'vitest';
import { PROBE_VERSION, type BackendProbeRecord } from '../../src/backendChoice';
import { MemoryStorage } from '../store/memoryStorage';
import { backendProbeStore, PROBE_STORAGE_KEY } from './backendProbeStore';

const record = (fingerprint: string, samplesPerSecond = 1000): BackendProbeRecord => ({
  version: PROBE_VERSION,
  fingerprint,
  measuredAt: '2026-12-05T10:00:00.000Z',
  outcomes: [{ backend: 'wasm', status: 'measured', samplesPerSecond }],
});

describe('backendProbeStore', () => {
  it('keeps one record per fingerprint, newest first, and at most four', () => {
    const storage = new MemoryStorage();
    const store = backendProbeStore(storage);
    for (const name of ['a', 'b', 'c', 'd', 'e']) store.save(record(name));
    store.save(record('c', 2000));
    const fingerprints = store.load().map((stored) => stored.fingerprint);
    expect(fingerprints).toEqual(['c', 'e', 'd', 'b']);
    expect(store.load()[0].outcomes[0]).toMatchObject({ samplesPerSecond: 2000 });
  });

  it('forgets everything on clear (Re-measure)', () => {
    const storage = new MemoryStorage();
    const store = backendProbeStore(storage);
    store.save(record('a'));
    store.clear();
    expect(store.load()).toEqual([]);
    expect(storage.getItem(PROBE_STORAGE_KEY)).toBeNull();
  });

  it('reads corrupt or foreign contents as nothing stored, and works without storage', () => {
    const storage = new MemoryStorage();
    storage.setItem(PROBE_STORAGE_KEY, '{not json');
    expect(backendProbeStore(storage).load()).toEqual([]);
    storage.setItem(PROBE_STORAGE_KEY, JSON.stringify([{ fingerprint: 1 }, record('ok')]));
    expect(backendProbeStore(storage).load().map((stored) => stored.fingerprint)).toEqual(['ok']);
    const none = backendProbeStore(null);
    none.save(record('a'));
    expect(none.load()).toEqual([]);
  });
});

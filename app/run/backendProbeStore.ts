import type { BackendProbeRecord } from '../../src/backendChoice';

/**
 * Auto's measurements, kept in localStorage per device fingerprint so a later run (and a later
 * visit) chooses without measuring again. The worker computes the fingerprint (it reads the GPU
 * adapters), so the page keeps the few most recent records and sends them all.
 */

export const PROBE_STORAGE_KEY = 'distillation-studio.backendProbes.v1';
/** A browser profile rarely sees more than a couple of devices (a GPU switched, flags changed). */
const MAX_RECORDS = 4;

export interface BackendProbeStore {
  load(): BackendProbeRecord[];
  save(record: BackendProbeRecord): void;
  /** "Re-measure": the next Auto run measures again. */
  clear(): void;
}

function isProbeRecord(value: unknown): value is BackendProbeRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<BackendProbeRecord>;
  return typeof record.version === 'number' && typeof record.fingerprint === 'string' &&
    typeof record.measuredAt === 'string' && Array.isArray(record.outcomes);
}

/** `storage` null (no localStorage: Node tests, some private modes) keeps nothing. */
export function backendProbeStore(storage: Storage | null): BackendProbeStore {
  const load = (): BackendProbeRecord[] => {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(PROBE_STORAGE_KEY) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isProbeRecord) : [];
    } catch {
      // Corrupt or unreadable: measuring again is cheap.
      return [];
    }
  };
  return {
    load,
    save(record) {
      const others = load().filter((stored) => stored.fingerprint !== record.fingerprint);
      try {
        storage?.setItem(PROBE_STORAGE_KEY, JSON.stringify([record, ...others].slice(0, MAX_RECORDS)));
      } catch {
        // Quota or private mode: the next run measures again.
      }
    },
    clear() {
      try {
        storage?.removeItem(PROBE_STORAGE_KEY);
      } catch {
        // Nothing stored then.
      }
    },
  };
}

export const browserStorage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

import type { BackendPreference } from '../../src/protocol';

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export const PREFERENCE_STORAGE_KEY = 'distillation-studio.backendPreference.v1';

export function isBackendPreference(value: string): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly string[]).includes(value);
}

/** `?backend=webgl` overrides the selector (tests and bug reports pin a backend this way). */
export function backendPreferenceFromUrl(search: string | null = typeof window === 'undefined' ? null : window.location.search): BackendPreference | null {
  if (search === null) return null;
  const value = new URLSearchParams(search).get('backend');
  return value !== null && isBackendPreference(value) ? value : null;
}

/** The user's last choice in the selector, kept across reloads. */
export function storedBackendPreference(storage: Storage | null): BackendPreference | null {
  try {
    const value = storage?.getItem(PREFERENCE_STORAGE_KEY) ?? null;
    return value !== null && isBackendPreference(value) ? value : null;
  } catch {
    return null;
  }
}

export function storeBackendPreference(storage: Storage | null, preference: BackendPreference): void {
  try {
    storage?.setItem(PREFERENCE_STORAGE_KEY, preference);
  } catch {
    // Quota or private mode: the choice lasts until the page reloads.
  }
}

/** The URL wins over the remembered choice, which wins over Auto. */
export function initialBackendPreference(search: string | null, storage: Storage | null): BackendPreference {
  return backendPreferenceFromUrl(search) ?? storedBackendPreference(storage) ?? 'auto';
}

import type { BackendPreference } from '../../src/protocol';

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendPreference(value: string): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly string[]).includes(value);
}

/** `?backend=webgl` overrides the selector (tests and bug reports pin a backend this way). */
export function backendPreferenceFromUrl(): BackendPreference | null {
  if (typeof window === 'undefined') return null;
  const value = new URLSearchParams(window.location.search).get('backend');
  return value !== null && isBackendPreference(value) ? value : null;
}

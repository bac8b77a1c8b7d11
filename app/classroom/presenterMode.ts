import { useSyncExternalStore } from 'react';

/**
 * Presenter view (large type for a 1280 x 720 projector): on or off, remembered in localStorage;
 * `?present=1` (or `0`) in the address sets it for the visit and is remembered too.
 */

export const PRESENTER_STORAGE_KEY = 'distillation-studio:presenter';
export const PRESENTER_PARAM = 'present';

/** The URL parameter wins; else the stored choice; else off. */
export function initialPresenterMode(search: string, stored: string | null): boolean {
  const param = new URLSearchParams(search).get(PRESENTER_PARAM);
  if (param === '1' || param === 'true') return true;
  if (param === '0' || param === 'false') return false;
  return stored === '1';
}

const listeners = new Set<() => void>();
let presenting: boolean | null = null;

function readStored(): string | null {
  try {
    return window.localStorage.getItem(PRESENTER_STORAGE_KEY);
  } catch {
    return null; // storage blocked: the mode still works for this visit
  }
}

function current(): boolean {
  presenting ??= initialPresenterMode(window.location.search, readStored());
  return presenting;
}

export function setPresenterMode(on: boolean): void {
  presenting = on;
  try {
    window.localStorage.setItem(PRESENTER_STORAGE_KEY, on ? '1' : '0');
  } catch {
    // not remembered, but applied
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePresenterMode(): boolean {
  return useSyncExternalStore(subscribe, current);
}

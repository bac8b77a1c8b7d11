import { useSyncExternalStore } from 'react';

/**
 * The interface language: English or Simplified Chinese, switchable, remembered in localStorage;
 * `?lang=zh` (or `en`) in the address sets it for the visit and is remembered too. The page's
 * `<html lang>` follows it, so screen readers and fonts pick the right language.
 */

export type Language = 'en' | 'zh';

export const languages: readonly { id: Language; name: string; htmlLang: string }[] = [
  { id: 'en', name: 'English', htmlLang: 'en' },
  { id: 'zh', name: '简体中文', htmlLang: 'zh-CN' },
];

export const LANGUAGE_STORAGE_KEY = 'distillation-studio:language';
export const LANGUAGE_PARAM = 'lang';

function parseLanguage(value: string | null): Language | null {
  if (value === null) return null;
  const lower = value.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh';
  return null;
}

/** The URL parameter wins; else the stored choice; else the browser's first language; else English. */
export function initialLanguage(search: string, stored: string | null, browserLanguages: readonly string[]): Language {
  return parseLanguage(new URLSearchParams(search).get(LANGUAGE_PARAM))
    ?? parseLanguage(stored)
    ?? parseLanguage(browserLanguages[0] ?? null)
    ?? 'en';
}

const listeners = new Set<() => void>();
let language: Language | null = null;

function readStored(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null; // storage blocked: the choice still applies for this visit
  }
}

function applyToDocument(chosen: Language): void {
  const htmlLang = languages.find((l) => l.id === chosen)?.htmlLang ?? 'en';
  document.documentElement.lang = htmlLang;
}

/** The language now; usable outside React (store actions, toasts). */
export function currentLanguage(): Language {
  if (language === null) {
    language = initialLanguage(window.location.search, readStored(), navigator.languages ?? [navigator.language]);
    applyToDocument(language);
  }
  return language;
}

export function setLanguage(next: Language): void {
  language = next;
  applyToDocument(next);
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
  } catch {
    // not remembered, but applied
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLanguage(): Language {
  return useSyncExternalStore(subscribe, currentLanguage);
}

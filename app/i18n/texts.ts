import { currentLanguage, useLanguage, type Language } from './language';

/**
 * Interface texts, one catalog per area of the app (see `catalogs/`). A catalog is a typed pair:
 * the English record fixes the keys and, for texts with values in them, the argument types; the
 * Chinese record must have exactly the same ones, so a missing translation fails the typecheck.
 *
 *   const toolbarTexts = defineTexts({ en: { save: 'Save', opened: (n: string) => `Opened ${n}` }, zh: {...} });
 *   const tx = useTexts(toolbarTexts); tx.save; tx.opened(name);
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any argument list; each entry keeps its own
export type TextEntry = string | ((...args: any[]) => string);
export type TextRecord = Record<string, TextEntry>;
export type Catalog<T extends TextRecord> = Readonly<Record<Language, T>>;

export function defineTexts<T extends TextRecord>(catalog: { en: T; zh: NoInfer<T> }): Catalog<T> {
  return catalog;
}

/** The catalog's texts in the current language; re-renders when the language changes. */
export function useTexts<T extends TextRecord>(catalog: Catalog<T>): T {
  return catalog[useLanguage()];
}

/** The same outside React: for messages built in store actions or event handlers. */
export function textsNow<T extends TextRecord>(catalog: Catalog<T>): T {
  return catalog[currentLanguage()];
}

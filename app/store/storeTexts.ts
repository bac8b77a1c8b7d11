import type { Catalog, TextRecord } from '../i18n/texts';
import { currentLanguage, type Language } from '../i18n/language';
import { textsNow } from '../i18n/texts';

/**
 * Texts for messages built in store actions. The store also runs in Node (unit tests, no page and
 * so no interface language): there it speaks English, the language those tests read.
 */
export function storeTextsNow<T extends TextRecord>(catalog: Catalog<T>): T {
  return typeof window === 'undefined' ? catalog.en : textsNow(catalog);
}

/** The interface language for messages built in the store; English in Node, as above. */
export function storeLanguageNow(): Language {
  return typeof window === 'undefined' ? 'en' : currentLanguage();
}

import { languages, setLanguage, useLanguage, type Language } from './language';
import { useTexts } from './texts';
import { toolbarTexts } from './catalogs/toolbar';

/** English / 简体中文: applies at once, remembered across visits. */
export function LanguageSelect() {
  const language = useLanguage();
  const tx = useTexts(toolbarTexts);
  return (
    <select
      className="toolbar__language"
      data-testid="language-select"
      aria-label={tx.language}
      title={tx.language}
      value={language}
      onChange={(event) => setLanguage(event.target.value as Language)}
    >
      {languages.map((l) => <option key={l.id} value={l.id} lang={l.htmlLang}>{l.name}</option>)}
    </select>
  );
}

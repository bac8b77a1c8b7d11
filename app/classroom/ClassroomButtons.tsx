import { useCallback, useState } from 'react';
import { setPresenterMode, usePresenterMode } from './presenterMode';
import { TemperatureExplorer } from './TemperatureExplorer';
import { useTexts } from '../i18n/texts';
import { classroomTexts } from '../i18n/catalogs/classroom';

/** The run bar's classroom controls: the temperature explorer and the presenter-view toggle. */
export function ClassroomButtons() {
  const [explorerOpen, setExplorerOpen] = useState(false);
  const presenting = usePresenterMode();
  const tx = useTexts(classroomTexts);
  const closeExplorer = useCallback(() => setExplorerOpen(false), []);
  return (
    <div className="classroom-buttons">
      <button type="button" data-testid="open-temperature-explorer" onClick={() => setExplorerOpen(true)}>{tx.openExplorer}</button>
      <button type="button" data-testid="toggle-presenter" aria-pressed={presenting} onClick={() => setPresenterMode(!presenting)}
        title={tx.presenterTitle}>
        {presenting ? tx.presenterOff : tx.presenterOn}
      </button>
      {explorerOpen && <TemperatureExplorer onClose={closeExplorer} />}
    </div>
  );
}

import { useCallback, useState } from 'react';
import { setPresenterMode, usePresenterMode } from './presenterMode';
import { TemperatureExplorer } from './TemperatureExplorer';

/** The run bar's classroom controls: the temperature explorer and the presenter-view toggle. */
export function ClassroomButtons() {
  const [explorerOpen, setExplorerOpen] = useState(false);
  const presenting = usePresenterMode();
  const closeExplorer = useCallback(() => setExplorerOpen(false), []);
  return (
    <div className="classroom-buttons">
      <button type="button" data-testid="open-temperature-explorer" onClick={() => setExplorerOpen(true)}>Temperature explorer</button>
      <button type="button" data-testid="toggle-presenter" aria-pressed={presenting} onClick={() => setPresenterMode(!presenting)}
        title="Large type for a 1280 × 720 projector (also ?present=1)">
        {presenting ? 'Leave presenter view' : 'Presenter view'}
      </button>
      {explorerOpen && <TemperatureExplorer onClose={closeExplorer} />}
    </div>
  );
}

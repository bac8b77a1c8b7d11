import { useMemo } from 'react';
import { guidancePaths, type GuidanceLayers } from '../../src/graph/guidancePaths';
import { errorMessage } from '../../src/errorMessage';
import { ChoiceField, NumberField } from '../inspector/fields';
import { useStudio } from '../store';
import { isGuidanceActive, type GuidanceSettings } from './guidanceState';

const layerChoices: readonly { value: GuidanceLayers; label: string }[] = [
  { value: 'all', label: 'All feature layers' },
  { value: 'blockOutputs', label: 'Block outputs only' },
];

/** How many pairings the search would try, or why it cannot run: computed on the page, so a bad graph is told before any worker starts. */
function usePreview(lossNodeId: string, settings: GuidanceSettings): { text: string | null; error: string | null } {
  const experiment = useStudio((s) => s.experiment);
  const { maxCandidates, layers, seeds } = settings;
  return useMemo(() => {
    try {
      const paths = guidancePaths(experiment, lossNodeId, { maxCandidates, layers });
      const tried = paths.candidates.length;
      const runs = seeds > 1 ? `, ${seeds} runs each` : '';
      return { text: `${paths.total} pairings fit this block; ${tried} will be trained (the drawn one, then the deepest teacher layers first)${runs}.`, error: null };
    } catch (error) {
      return { text: null, error: errorMessage(error) };
    }
  }, [experiment, lossNodeId, maxCandidates, layers, seeds]);
}

function SettingsFields({ settings, disabled }: { settings: GuidanceSettings; disabled: boolean }) {
  const set = (patch: Partial<GuidanceSettings>) => useStudio.getState().setGuidanceSettings(patch);
  const number = (key: 'trainSubset' | 'epochs' | 'seeds' | 'maxCandidates', label: string, min: number, max: number) => (
    <NumberField label={label} testId={`guidance-${key}`} value={settings[key]} min={min} max={max} step={1} integer
      onChange={(v) => { if (v !== null) set({ [key]: v }); }} />
  );
  return (
    <fieldset className="guidance__fields" disabled={disabled}>
      <div className="field-row">
        {number('trainSubset', 'Training images', 100, 59_000)}
        {number('epochs', 'Epochs per stage', 1, 100)}
        {number('seeds', 'Seeds per pairing', 1, 10)}
        {number('maxCandidates', 'Max pairings', 1, 100)}
      </div>
      <ChoiceField label="Layers" testId="guidance-layers" value={settings.layers} choices={layerChoices}
        description="Block outputs keeps one layer per conv/dense, batch norm, ReLU run, so the limit spreads over more depths."
        onChange={(layers) => set({ layers })} />
    </fieldset>
  );
}

/** The search's settings, what they would try, and Search / Stop. */
export function GuidanceForm({ lossNodeId }: { lossNodeId: string }) {
  const settings = useStudio((s) => s.guidanceSettings);
  const status = useStudio((s) => s.guidance.status);
  const preview = usePreview(lossNodeId, settings);
  const active = isGuidanceActive(status);
  return (
    <>
      <SettingsFields settings={settings} disabled={active} />
      {preview.text !== null && <p className="field__help" data-testid="guidance-preview">{preview.text}</p>}
      {preview.error !== null && <p className="inspector__error guidance__preline" role="alert" data-testid="guidance-preview-error">{preview.error}</p>}
      <div className="guidance__actions">
        <button type="button" className="guidance__search" data-testid="guidance-search" disabled={active || preview.error !== null}
          onClick={() => useStudio.getState().startGuidanceSearch(lossNodeId)}>
          Search pairings
        </button>
        {active && (
          <button type="button" data-testid="guidance-stop" disabled={status === 'stopping'} onClick={() => useStudio.getState().stopGuidanceSearch()}>
            {status === 'stopping' ? 'Stopping after this step…' : 'Stop'}
          </button>
        )}
      </div>
    </>
  );
}

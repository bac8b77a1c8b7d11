import { useMemo } from 'react';
import { guidancePaths, type GuidanceLayers } from '../../src/graph/guidancePaths';
import { errorMessage } from '../../src/errorMessage';
import { ChoiceField, NumberField } from '../inspector/fields';
import { useStudio } from '../store';
import { isGuidanceActive, type GuidanceSettings } from './guidanceState';
import { useTexts } from '../i18n/texts';
import { guidanceTexts } from '../i18n/catalogs/guidance';

type GuidanceTexts = (typeof guidanceTexts)['en'];

const layerChoices = (tx: GuidanceTexts): readonly { value: GuidanceLayers; label: string }[] => [
  { value: 'all', label: tx.allLayers },
  { value: 'blockOutputs', label: tx.blockOutputs },
];

/** How many pairings the search would try, or why it cannot run: computed on the page, so a bad graph is told before any worker starts. */
function usePreview(lossNodeId: string, settings: GuidanceSettings, tx: GuidanceTexts): { text: string | null; error: string | null } {
  const experiment = useStudio((s) => s.experiment);
  const { maxCandidates, layers, seeds } = settings;
  return useMemo(() => {
    try {
      const paths = guidancePaths(experiment, lossNodeId, { maxCandidates, layers });
      return { text: tx.preview(paths.total, paths.candidates.length, seeds), error: null };
    } catch (error) {
      return { text: null, error: errorMessage(error) };
    }
  }, [experiment, lossNodeId, maxCandidates, layers, seeds, tx]);
}

function SettingsFields({ settings, disabled }: { settings: GuidanceSettings; disabled: boolean }) {
  const tx = useTexts(guidanceTexts);
  const set = (patch: Partial<GuidanceSettings>) => useStudio.getState().setGuidanceSettings(patch);
  const number = (key: 'trainSubset' | 'epochs' | 'seeds' | 'maxCandidates', label: string, min: number, max: number) => (
    <NumberField label={label} testId={`guidance-${key}`} value={settings[key]} min={min} max={max} step={1} integer
      onChange={(v) => { if (v !== null) set({ [key]: v }); }} />
  );
  return (
    <fieldset className="guidance__fields" disabled={disabled}>
      <div className="field-row">
        {number('trainSubset', tx.trainingImages, 100, 59_000)}
        {number('epochs', tx.epochsPerStage, 1, 100)}
        {number('seeds', tx.seedsPerPairing, 1, 10)}
        {number('maxCandidates', tx.maxPairings, 1, 100)}
      </div>
      <ChoiceField label={tx.layers} testId="guidance-layers" value={settings.layers} choices={layerChoices(tx)}
        description={tx.layersHelp}
        onChange={(layers) => set({ layers })} />
    </fieldset>
  );
}

/** The search's settings, what they would try, and Search / Stop. */
export function GuidanceForm({ lossNodeId }: { lossNodeId: string }) {
  const settings = useStudio((s) => s.guidanceSettings);
  const status = useStudio((s) => s.guidance.status);
  const tx = useTexts(guidanceTexts);
  const preview = usePreview(lossNodeId, settings, tx);
  const active = isGuidanceActive(status);
  return (
    <>
      <SettingsFields settings={settings} disabled={active} />
      {preview.text !== null && <p className="field__help" data-testid="guidance-preview">{preview.text}</p>}
      {preview.error !== null && <p className="inspector__error guidance__preline" role="alert" data-testid="guidance-preview-error">{preview.error}</p>}
      <div className="guidance__actions">
        <button type="button" className="guidance__search" data-testid="guidance-search" disabled={active || preview.error !== null}
          onClick={() => useStudio.getState().startGuidanceSearch(lossNodeId)}>
          {tx.search}
        </button>
        {active && (
          <button type="button" data-testid="guidance-stop" disabled={status === 'stopping'} onClick={() => useStudio.getState().stopGuidanceSearch()}>
            {status === 'stopping' ? tx.stoppingAfterStep : tx.stop}
          </button>
        )}
      </div>
    </>
  );
}

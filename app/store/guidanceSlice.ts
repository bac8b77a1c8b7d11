import { createGuidanceController } from '../guidance/guidanceController';
import { DEFAULT_GUIDANCE_SETTINGS, idleGuidance, type GuidanceSearchState, type GuidanceSettings } from '../guidance/guidanceState';
import type { StudioSlice } from './index';

/**
 * The guidance slice: the "Best guidance path" search of a FitNet/AT block and the inspector's
 * settings for it. Not persisted: a search is cheap to repeat and its results go stale with the graph.
 * The worker lives in the controller, never in the state.
 */

export interface GuidanceSlice {
  guidance: GuidanceSearchState;
  guidanceSettings: GuidanceSettings;
  setGuidanceSettings: (patch: Partial<GuidanceSettings>) => void;
  /** Searches the pairings of this loss block on the graph as it is now, on the toolbar's backend. */
  startGuidanceSearch: (lossNodeId: string) => void;
  stopGuidanceSearch: () => void;
}

export const createGuidanceSlice: StudioSlice<GuidanceSlice> = (set, get) => {
  const controller = createGuidanceController({
    getState: () => get().guidance,
    update: (update) => set((state) => ({ guidance: update(state.guidance) })),
  });
  return {
    guidance: idleGuidance(),
    guidanceSettings: DEFAULT_GUIDANCE_SETTINGS,
    setGuidanceSettings: (patch) => set((state) => ({ guidanceSettings: { ...state.guidanceSettings, ...patch } })),
    startGuidanceSearch: (lossNodeId) => {
      const { experiment, guidanceSettings, backendPreference, loadGeneration } = get();
      controller.start({ experiment, lossNodeId, settings: guidanceSettings, backend: backendPreference, generation: loadGeneration });
    },
    stopGuidanceSearch: () => controller.stop(),
  };
};

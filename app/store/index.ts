/**
 * The studio's one store, composed from typed slices. Components select narrowly:
 * `useStudio((s) => s.experiment.name)`, or `useShallow` for several fields at once.
 * Slices are StateCreators over the whole StudioState so actions can read across slices.
 */
import { create, type StateCreator } from 'zustand';
import { createGraphSlice, type GraphSlice } from './graphSlice';
import { createUiSlice, type UiSlice } from './uiSlice';
import { createRunSlice, type RunSlice } from './runSlice';
import { createGuidanceSlice, type GuidanceSlice } from './guidanceSlice';
import { createReplaceSlice, type ReplaceSlice } from './replaceSlice';
import { createUserDatasetSlice, type UserDatasetSlice } from './userDatasetSlice';

export type StudioState = GraphSlice & UiSlice & RunSlice & GuidanceSlice & ReplaceSlice & UserDatasetSlice;

/** The signature every slice creator has: it sees the combined state, returns its own part. */
export type StudioSlice<T> = StateCreator<StudioState, [], [], T>;

export const useStudio = create<StudioState>()((...args) => ({
  ...createGraphSlice(...args),
  ...createUiSlice(...args),
  ...createRunSlice(...args),
  ...createGuidanceSlice(...args),
  ...createReplaceSlice(...args),
  ...createUserDatasetSlice(...args),
}));

export type { GraphSlice } from './graphSlice';
export type { UiSlice } from './uiSlice';
export type { RunSlice } from './runSlice';
export type { GuidanceSlice } from './guidanceSlice';

import { beforeEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { buildPresetExperiment } from '../../src/graph/presetExperiments';
import { emptyExperiment } from '../editor/graphEdits';
import { createGraphSlice } from './graphSlice';
import { createUiSlice } from './uiSlice';
import { createReplaceSlice } from './replaceSlice';
import type { StudioState } from './index';
import { MemoryStorage } from './memoryStorage';
import { hasUnkeptChanges, markKept } from './keptCopy';

/** The graph, ui and replace slices on a real store; the kept copy in an in-memory localStorage. */
function makeStore() {
  return createStore<StudioState>()((...args) => ({
    ...createGraphSlice(...args), ...createUiSlice(...args), ...createReplaceSlice(...args),
  }) as StudioState);
}

const hinton = buildPresetExperiment('hinton-mnist.json');
const cnn = buildPresetExperiment('cnn-mnist-at.json');

describe('opening an experiment over the one on screen', () => {
  let store: ReturnType<typeof makeStore>;
  beforeEach(() => {
    globalThis.localStorage = new MemoryStorage();
    store = makeStore();
    store.getState().loadExperiment(hinton, { resetHistory: true });
    markKept(hinton);
  });

  it('opens at once when the graph is as it was opened, and remembers the new one as kept', () => {
    store.getState().openExperiment(cnn, 'the preset list');
    expect(store.getState().pendingReplace).toBeNull();
    expect(store.getState().experiment).toBe(cnn);
    expect(hasUnkeptChanges(cnn)).toBe(false);
    expect(store.getState().toasts.at(-1)?.message).toBe(`Opened "${cnn.name}" from the preset list.`);
  });

  it('asks first when the graph has unsaved edits, and Keep leaves them on screen', () => {
    store.getState().renameExperiment('My edited Hinton');
    store.getState().openExperiment(cnn, 'the shared link');
    expect(store.getState().pendingReplace).toEqual({ experiment: cnn, source: 'the shared link' });
    expect(store.getState().experiment.name).toBe('My edited Hinton');

    store.getState().resolveReplace('cancel');
    expect(store.getState().pendingReplace).toBeNull();
    expect(store.getState().experiment.name).toBe('My edited Hinton');
    expect(store.getState().toasts.at(-1)?.message).toBe(`Kept "My edited Hinton"; "${cnn.name}" from the shared link was not opened.`);
  });

  it('Open replaces the edited graph, which Undo brings back', () => {
    store.getState().renameExperiment('My edited Hinton');
    store.getState().openExperiment(cnn, 'the file "cnn.json"');
    store.getState().resolveReplace('open');
    expect(store.getState().experiment).toBe(cnn);
    store.getState().undo();
    expect(store.getState().experiment.name).toBe('My edited Hinton');
  });

  it('an edit undone is no unsaved work; an empty graph never asks; alwaysAsk always does', () => {
    store.getState().renameExperiment('Edited');
    store.getState().undo();
    store.getState().openExperiment(cnn, 'x');
    expect(store.getState().pendingReplace).toBeNull();

    store.getState().loadExperiment(emptyExperiment());
    store.getState().openExperiment(hinton, 'y');
    expect(store.getState().pendingReplace).toBeNull();

    store.getState().openExperiment(cnn, 'z', { alwaysAsk: true });
    expect(store.getState().pendingReplace?.source).toBe('z');
  });

  it('when storage refuses, every non-empty graph counts as unsaved (we ask rather than lose work)', () => {
    const refusing = { getItem: () => { throw new Error('SecurityError'); } } as unknown as Storage;
    expect(hasUnkeptChanges(hinton, refusing)).toBe(true);
    expect(hasUnkeptChanges(emptyExperiment(), refusing)).toBe(false);
  });
});

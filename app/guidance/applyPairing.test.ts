import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createNode } from '../../src/graph/factory';
import type { ExperimentFile, NodeOf } from '../../src/graph/schema';
import { TestGraph, tinyMlp } from '../../src/graph/testFixtures';
import { createGraphSlice, type GraphSlice } from '../store/graphSlice';

/** Apply in the guidance table: the graph slice's setGuidancePairing, one undoable edit. */

function makeStore(file: ExperimentFile) {
  const store = createStore<GraphSlice>()((...args) => createGraphSlice(...(args as unknown as Parameters<typeof createGraphSlice>)));
  store.getState().loadExperiment(file, { resetHistory: true });
  return store;
}

function hintExperiment(): ExperimentFile {
  const graph = new TestGraph();
  graph.add(createNode('dataset', { id: 'dataset' }));
  graph.model('teacher', 'teacher', tinyMlp);
  graph.model('student', 'student', tinyMlp);
  graph.trainer('trainer', 'Hints').params.trainUpTo = 'relu';
  graph.crossEntropy('ce', 'student', 'trainer');
  graph.pairLoss('hint', 'fitnet', 'relu', 'relu');
  return graph.file;
}

const layerOf = (file: ExperimentFile, kind: 'guide' | 'guided'): string =>
  (file.nodes.find((node) => node.kind === kind) as NodeOf<'guide'> | NodeOf<'guided'>).params.layerId;

describe('setGuidancePairing', () => {
  it('rewires the guide, the guided layer and its train-up-to in one step that undo restores', () => {
    const store = makeStore(hintExperiment());
    const before = store.getState().experiment;
    expect(store.getState().setGuidancePairing('hint', 'fc', 'fc')).toBeNull();
    const after = store.getState().experiment;
    expect([layerOf(after, 'guide'), layerOf(after, 'guided')]).toEqual(['fc', 'fc']);
    expect(after.nodes.find((node) => node.kind === 'trainer')!.params).toMatchObject({ trainUpTo: 'fc' });
    expect(after.name).toBe(before.name);
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().experiment).toBe(before);
  });

  it('refuses, leaving the graph as it is, a pairing that no longer fits or a block no longer wired', () => {
    const store = makeStore(hintExperiment());
    const before = store.getState().experiment;
    expect(store.getState().setGuidancePairing('hint', 'conv9', 'fc')).toMatch(/no longer fits the graph .*search again/);
    expect(store.getState().setGuidancePairing('ce', 'fc', 'fc')).toMatch(/not a loss|FitNet or attention transfer/);
    expect(store.getState().experiment).toBe(before);
    expect(store.getState().past).toHaveLength(0);
  });
});

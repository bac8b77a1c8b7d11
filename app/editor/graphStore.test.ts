import { beforeEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createNode } from '../../src/graph/factory';
import type { ExperimentFile, NodeOf } from '../../src/graph/schema';
import { createGraphSlice, type GraphSlice } from '../store/graphSlice';
import { createUiSlice, type UiSlice } from '../store/uiSlice';
import type { StudioState } from '../store';
import { MemoryStorage } from '../store/memoryStorage';
import { experimentPersistence, readAutosave } from '../store/persistence';

/** The graph and ui slices on a real store, with the real src/graph validation and factory. */
function makeStore() {
  return createStore<GraphSlice & UiSlice>()((set, get, api) => {
    // The slices only touch graph and ui state, so the narrower store stands in for StudioState.
    const args = [set, get, api] as unknown as Parameters<typeof createGraphSlice>;
    return { ...createGraphSlice(...args), ...createUiSlice(...(args as unknown as Parameters<typeof createUiSlice>)) };
  });
}

function smallExperiment(): ExperimentFile {
  const dataset = createNode('dataset', { id: 'data' });
  const teacher = createNode('model', { id: 'teacher', role: 'teacher' });
  const student = createNode('model', { id: 'student', role: 'student' });
  const kd = createNode('loss', { id: 'kd', lossId: 'kd' });
  const trainer = createNode('trainer', { id: 'trainer' });
  trainer.params.weightSchedules = { kd: { kind: 'stepToZero', atEpoch: 1 } };
  return {
    schemaVersion: 1,
    name: 'test',
    description: '',
    nodes: [dataset, teacher, student, kd, trainer],
    edges: [
      { id: 'e1', source: 'data', sourcePort: 'images', target: 'teacher', targetPort: 'images' },
      { id: 'e2', source: 'teacher', sourcePort: 'logits', target: 'kd', targetPort: 'teacherLogits' },
    ],
  };
}

describe('graph slice', () => {
  let store: ReturnType<typeof makeStore>;
  beforeEach(() => {
    store = makeStore();
    store.getState().loadExperiment(smallExperiment(), { resetHistory: true });
  });

  it('refuses a connection of the wrong type with a reason and keeps the graph', () => {
    const before = store.getState().experiment;
    const reason = store.getState().connect({ source: 'data', sourcePort: 'labels', target: 'kd', targetPort: 'studentLogits' });
    expect(reason).toMatch(/\S/);
    expect(store.getState().experiment).toBe(before);
    expect(store.getState().connectionError).toEqual({
      message: reason, nodeId: 'kd', port: 'studentLogits',
      refusal: { code: 'typeMismatch', sourceType: 'labels', targetType: 'logits', text: reason },
    });
    expect(store.getState().past).toHaveLength(0);
  });

  it('adds a valid connection, and undo/redo take it back and forth', () => {
    const reason = store.getState().connect({ source: 'student', sourcePort: 'logits', target: 'kd', targetPort: 'studentLogits' });
    expect(reason).toBeNull();
    expect(store.getState().experiment.edges).toHaveLength(3);
    store.getState().undo();
    expect(store.getState().experiment.edges).toHaveLength(2);
    store.getState().redo();
    expect(store.getState().experiment.edges.map((e) => e.target)).toContain('kd');
    expect(store.getState().future).toHaveLength(0);
  });

  it('re-derives problems on every change', () => {
    const countBefore = store.getState().problems.filter((p) => p.nodeId === 'kd').length;
    store.getState().connect({ source: 'student', sourcePort: 'logits', target: 'kd', targetPort: 'studentLogits' });
    const countAfter = store.getState().problems.filter((p) => p.nodeId === 'kd').length;
    expect(countAfter).toBeLessThan(countBefore);
  });

  it('pastes copies with fresh ids and only the internal edges', () => {
    store.getState().setSelection(['data', 'teacher'], []);
    store.getState().copySelection();
    store.getState().paste();
    const { experiment, selectedNodeIds } = store.getState();
    expect(experiment.nodes).toHaveLength(7);
    expect(new Set(experiment.nodes.map((n) => n.id)).size).toBe(7);
    expect(selectedNodeIds).toHaveLength(2);
    const pastedEdges = experiment.edges.filter((e) => selectedNodeIds.includes(e.source));
    // e1 (data -> teacher) is internal and copied; e2 leads to kd, outside the copy.
    expect(pastedEdges).toHaveLength(1);
    expect(selectedNodeIds).toContain(pastedEdges[0].source);
    expect(selectedNodeIds).toContain(pastedEdges[0].target);
    const pastedData = experiment.nodes.find((n) => n.id === pastedEdges[0].source);
    expect(pastedData?.position).toEqual({ x: 40, y: 40 });
  });

  it('deletes the selection with its edges and forgets removed losses in trainer schedules', () => {
    store.getState().setSelection(['kd'], []);
    store.getState().removeSelection();
    const { experiment } = store.getState();
    expect(experiment.nodes.map((n) => n.id)).not.toContain('kd');
    expect(experiment.edges.map((e) => e.id)).toEqual(['e1']);
    const trainer = experiment.nodes.find((n): n is NodeOf<'trainer'> => n.kind === 'trainer');
    expect(trainer?.params.weightSchedules).toEqual({});
    store.getState().undo();
    expect(store.getState().experiment.nodes).toHaveLength(5);
  });

  it('merges quick edits of the same field into one undo step', () => {
    store.getState().updateNodeParams('kd', { weight: 0.5 });
    store.getState().updateNodeParams('kd', { weight: 0.25 });
    store.getState().updateNodeParams('trainer', { epochs: 7 });
    expect(store.getState().past).toHaveLength(2);
    store.getState().undo();
    store.getState().undo();
    const kd = store.getState().experiment.nodes.find((n) => n.id === 'kd') as NodeOf<'loss'>;
    expect(kd.params.weight).not.toBe(0.25);
    expect(kd.params.weight).not.toBe(0.5);
  });

  it('adds a node from the palette with a fresh id and selects it', () => {
    const id = store.getState().addNode('loss', { x: 10, y: 20 }, { lossId: 'kd' });
    expect(id).not.toBe('kd');
    expect(store.getState().selectedNodeIds).toEqual([id]);
    expect(store.getState().experiment.nodes.find((n) => n.id === id)?.position).toEqual({ x: 10, y: 20 });
  });
});

describe('autosave restore', () => {
  it('restores a saved experiment and reports a corrupt one instead of loading it', () => {
    const storage = new MemoryStorage();
    expect(readAutosave(storage)).toEqual({ status: 'none' });
    const file = smallExperiment();
    storage.setItem(experimentPersistence.storageKey, experimentPersistence.save(file as StudioState['experiment']));
    const restored = readAutosave(storage);
    expect(restored.status).toBe('restored');
    if (restored.status === 'restored') expect(restored.experiment.nodes.map((n) => n.id)).toEqual(file.nodes.map((n) => n.id));
    storage.setItem(experimentPersistence.storageKey, '{"schemaVersion": 1, "nodes": [');
    const corrupt = readAutosave(storage);
    expect(corrupt.status).toBe('corrupt');
    if (corrupt.status === 'corrupt') expect(corrupt.message).toMatch(/JSON/);
  });
});

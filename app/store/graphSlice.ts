/**
 * The graph slice: the ExperimentFile being edited, the selection, undo/redo history and the
 * clipboard. Every edit goes through `commit`, which records history and re-derives `problems`
 * with src/graph's validation, so the canvas always shows the problems of the graph on screen.
 */
import type { ExperimentFile, GraphEdge, NodeKind, NodeParamsByKind } from '../../src/graph/schema';
import { createNode, type CreateNodeOptions } from '../../src/graph/factory';
import { explainConnection, validateGraph, type ConnectionRefusal, type GraphProblem } from '../../src/graph/validate';
import { withGuidancePairing } from '../../src/graph/guidancePaths';
import { applyGraphFix, type GraphFix } from '../../src/graph/featureMapFix';
import {
  copyItems, edgeIdFor, emptyExperiment, moveItems, pasteItems, patchNodeParams, removeItems, type Clipboard,
} from '../editor/graphEdits';
import type { StudioSlice } from './index';
import { errorMessage } from '../../src/errorMessage';
import { storeTextsNow } from './storeTexts';
import { storeTexts } from '../i18n/catalogs/store';

/** A refused connection: the reason (its English text, and as data for other languages), and where to show it (the target handle). */
export interface ConnectionError {
  message: string;
  refusal: ConnectionRefusal;
  nodeId: string;
  port: string;
}

export type NodeParamsPatch = Partial<NodeParamsByKind[NodeKind]>;

export interface GraphSlice {
  experiment: ExperimentFile;
  /** Problems of `experiment`, recomputed on every change. */
  problems: GraphProblem[];
  selectedNodeIds: string[];
  selectedEdgeIds: string[];
  past: ExperimentFile[];
  future: ExperimentFile[];
  clipboard: Clipboard | null;
  connectionError: ConnectionError | null;
  /** Increments whenever a whole graph is loaded (the canvas re-fits its view then). */
  loadGeneration: number;

  /** Replaces the graph. `resetHistory` for restores at start-up; otherwise the load can be undone. */
  loadExperiment: (file: ExperimentFile, options?: { resetHistory?: boolean }) => void;
  newExperiment: () => void;
  renameExperiment: (name: string) => void;
  addNode: (kind: NodeKind, position: { x: number; y: number }, options?: Omit<CreateNodeOptions, 'position'>) => string;
  updateNodeParams: (id: string, patch: NodeParamsPatch) => void;
  renameNode: (id: string, label: string) => void;
  moveNodes: (moves: { id: string; position: { x: number; y: number } }[]) => void;
  setSelection: (nodeIds: string[], edgeIds: string[]) => void;
  removeSelection: () => void;
  /** Adds the edge, or refuses it and returns the reason (also kept in `connectionError`). */
  connect: (edge: Omit<GraphEdge, 'id'>) => string | null;
  clearConnectionError: () => void;
  /**
   * Rewires a FitNet/AT block to a guidance-search pairing as one undoable edit; returns why not
   * (the block changed since the search, or the pairing would add an error) and leaves the graph as it was.
   */
  setGuidancePairing: (lossNodeId: string, teacherLayerId: string, studentLayerId: string) => string | null;
  /** Applies the change a problem offers, as one undoable edit. */
  applyFix: (fix: GraphFix) => void;
  undo: () => void;
  redo: () => void;
  copySelection: () => void;
  paste: () => void;
}

const historyLimit = 100;
/** Consecutive edits of the same field within this window form one undo step (typing a number). */
const coalesceMs = 1000;
const pasteOffset = { x: 40, y: 40 };

export function problemsOf(file: ExperimentFile): GraphProblem[] {
  try {
    return validateGraph(file);
  } catch (error) {
    // Validation must never take the editor down; show its failure as a graph-level problem.
    const message = errorMessage(error);
    return [{ nodeId: null, severity: 'error', message: storeTextsNow(storeTexts).validationFailed(message), detail: { code: 'validationFailed', error: message } }];
  }
}

export const createGraphSlice: StudioSlice<GraphSlice> = (set, get) => {
  let lastEdit: { key: string; at: number } | null = null;

  /** Records `next` as the new graph, pushing the current one on the undo stack. */
  const commit = (next: ExperimentFile, coalesceKey: string | null = null, extra: Partial<GraphSlice> = {}) => {
    const now = Date.now();
    const coalesce = coalesceKey !== null && lastEdit?.key === coalesceKey && now - lastEdit.at < coalesceMs;
    lastEdit = coalesceKey === null ? null : { key: coalesceKey, at: now };
    set((s) => ({
      experiment: next,
      problems: problemsOf(next),
      past: coalesce ? s.past : [...s.past, s.experiment].slice(-historyLimit),
      future: [],
      ...extra,
    }));
  };

  const initial = emptyExperiment();
  return {
    experiment: initial,
    problems: [],
    selectedNodeIds: [],
    selectedEdgeIds: [],
    past: [],
    future: [],
    clipboard: null,
    connectionError: null,
    loadGeneration: 0,

    loadExperiment: (file, options = {}) => {
      const selection = { selectedNodeIds: [], selectedEdgeIds: [], connectionError: null, loadGeneration: get().loadGeneration + 1 };
      if (options.resetHistory) {
        lastEdit = null;
        set({ experiment: file, problems: problemsOf(file), past: [], future: [], ...selection });
      } else {
        commit(file, null, selection);
      }
    },

    newExperiment: () => get().loadExperiment(emptyExperiment(storeTextsNow(storeTexts).untitled)),

    renameExperiment: (name) => commit({ ...get().experiment, name }, 'experiment-name'),

    addNode: (kind, position, options = {}) => {
      const { experiment } = get();
      const node = createNode(kind, { ...options, position, existingIds: experiment.nodes.map((n) => n.id) });
      commit({ ...experiment, nodes: [...experiment.nodes, node] }, null, { selectedNodeIds: [node.id], selectedEdgeIds: [] });
      return node.id;
    },

    updateNodeParams: (id, patch) => {
      const key = `params:${id}:${Object.keys(patch).sort().join(',')}`;
      commit(patchNodeParams(get().experiment, id, patch), key);
    },

    renameNode: (id, label) => {
      const { experiment } = get();
      commit({ ...experiment, nodes: experiment.nodes.map((n) => (n.id === id ? { ...n, label } : n)) }, `label:${id}`);
    },

    moveNodes: (moves) => {
      if (moves.length > 0) commit(moveItems(get().experiment, moves));
    },

    setSelection: (nodeIds, edgeIds) => {
      const { selectedNodeIds, selectedEdgeIds } = get();
      if (sameIds(nodeIds, selectedNodeIds) && sameIds(edgeIds, selectedEdgeIds)) return;
      set({ selectedNodeIds: nodeIds, selectedEdgeIds: edgeIds });
    },

    removeSelection: () => {
      const { experiment, selectedNodeIds, selectedEdgeIds } = get();
      if (selectedNodeIds.length === 0 && selectedEdgeIds.length === 0) return;
      commit(removeItems(experiment, selectedNodeIds, selectedEdgeIds), null, { selectedNodeIds: [], selectedEdgeIds: [] });
    },

    connect: (partial) => {
      const { experiment } = get();
      const edge: GraphEdge = { ...partial, id: edgeIdFor(partial) };
      const refusal = explainConnection(experiment, edge);
      if (refusal !== null) {
        set({ connectionError: { message: refusal.text, refusal, nodeId: edge.target, port: edge.targetPort } });
        return refusal.text;
      }
      commit({ ...experiment, edges: [...experiment.edges, edge] }, null, { connectionError: null });
      return null;
    },

    clearConnectionError: () => {
      if (get().connectionError !== null) set({ connectionError: null });
    },

    setGuidancePairing: (lossNodeId, teacherLayerId, studentLayerId) => {
      const { experiment, problems } = get();
      let next: ExperimentFile;
      try {
        next = withGuidancePairing(experiment, lossNodeId, teacherLayerId, studentLayerId);
      } catch (error) {
        // GuidancePathError: the block is no longer wired as a FitNet/AT pairing; its message says what to connect.
        return errorMessage(error);
      }
      const nextProblems = problemsOf(next);
      const added = nextProblems.find((p) => p.severity === 'error' && !problems.some((q) => q.message === p.message));
      if (added !== undefined) return storeTextsNow(storeTexts).pairingNoLongerFits(added.message);
      commit(next);
      return null;
    },

    applyFix: (fix) => commit(applyGraphFix(get().experiment, fix)),
    undo: () => {
      const { past, future, experiment } = get();
      const previous = past[past.length - 1];
      if (previous === undefined) return;
      lastEdit = null;
      set({
        experiment: previous,
        problems: problemsOf(previous),
        past: past.slice(0, -1),
        future: [experiment, ...future],
        ...keepExistingSelection(get(), previous),
      });
    },

    redo: () => {
      const { past, future, experiment } = get();
      const next = future[0];
      if (next === undefined) return;
      lastEdit = null;
      set({
        experiment: next,
        problems: problemsOf(next),
        past: [...past, experiment],
        future: future.slice(1),
        ...keepExistingSelection(get(), next),
      });
    },

    copySelection: () => {
      const clipboard = copyItems(get().experiment, get().selectedNodeIds);
      if (clipboard !== null) set({ clipboard });
    },

    paste: () => {
      const { clipboard, experiment } = get();
      if (clipboard === null) return;
      const { file, newNodeIds } = pasteItems(experiment, clipboard, pasteOffset);
      // The next paste lands a step further, so repeated pastes do not stack exactly.
      const shifted = structuredClone(clipboard);
      for (const node of shifted.nodes) node.position = { x: node.position.x + pasteOffset.x, y: node.position.y + pasteOffset.y };
      commit(file, null, { selectedNodeIds: newNodeIds, selectedEdgeIds: [], clipboard: shifted });
    },
  };
};

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function keepExistingSelection(state: GraphSlice, file: ExperimentFile): Pick<GraphSlice, 'selectedNodeIds' | 'selectedEdgeIds'> {
  const nodeIds = new Set(file.nodes.map((n) => n.id));
  const edgeIds = new Set(file.edges.map((e) => e.id));
  return {
    selectedNodeIds: state.selectedNodeIds.filter((id) => nodeIds.has(id)),
    selectedEdgeIds: state.selectedEdgeIds.filter((id) => edgeIds.has(id)),
  };
}

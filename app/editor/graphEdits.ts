/**
 * Pure edits on an ExperimentFile used by the graph slice: every function returns a new file
 * and leaves its input untouched, so the undo history can keep plain snapshots.
 */
import type { ExperimentFile, GraphEdge, GraphNode } from '../../src/graph/schema';

export interface Clipboard {
  nodes: GraphNode[];
  /** Only edges whose two ends are both among `nodes`. */
  edges: GraphEdge[];
}

/** A fresh id `${prefix}-${n}` not used by any node or edge of the file. */
export function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  let n = 1;
  while (taken.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

export function idsInUse(file: ExperimentFile): Set<string> {
  return new Set([...file.nodes.map((n) => n.id), ...file.edges.map((e) => e.id)]);
}

export function edgeIdFor(edge: Omit<GraphEdge, 'id'>): string {
  return `${edge.source}.${edge.sourcePort}->${edge.target}.${edge.targetPort}`;
}

/** Removes nodes (with every edge touching them) and edges; trainer schedules forget removed losses. */
export function removeItems(file: ExperimentFile, nodeIds: readonly string[], edgeIds: readonly string[]): ExperimentFile {
  const goneNodes = new Set(nodeIds);
  const goneEdges = new Set(edgeIds);
  const nodes = file.nodes
    .filter((n) => !goneNodes.has(n.id))
    .map((n): GraphNode => {
      if (n.kind !== 'trainer') return n;
      const schedules = Object.entries(n.params.weightSchedules).filter(([lossId]) => !goneNodes.has(lossId));
      if (schedules.length === Object.keys(n.params.weightSchedules).length) return n;
      return { ...n, params: { ...n.params, weightSchedules: Object.fromEntries(schedules) } };
    });
  const edges = file.edges.filter((e) => !goneEdges.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target));
  return { ...file, nodes, edges };
}

export function copyItems(file: ExperimentFile, nodeIds: readonly string[]): Clipboard | null {
  const chosen = new Set(nodeIds);
  const nodes = file.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length === 0) return null;
  const edges = file.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
  return structuredClone({ nodes, edges });
}

/** Inserts copies of the clipboard's nodes with fresh ids, rewiring the copied internal edges. */
export function pasteItems(
  file: ExperimentFile,
  clipboard: Clipboard,
  offset: { x: number; y: number },
): { file: ExperimentFile; newNodeIds: string[] } {
  const taken = idsInUse(file);
  const renamed = new Map<string, string>();
  const nodes = clipboard.nodes.map((original): GraphNode => {
    const id = uniqueId(original.kind, taken);
    taken.add(id);
    renamed.set(original.id, id);
    const position = { x: original.position.x + offset.x, y: original.position.y + offset.y };
    return { ...structuredClone(original), id, position };
  });
  const edges = clipboard.edges.map((edge): GraphEdge => {
    const rewired = { ...edge, source: renamed.get(edge.source) ?? edge.source, target: renamed.get(edge.target) ?? edge.target };
    return { ...rewired, id: edgeIdFor(rewired) };
  });
  // A pasted trainer's schedules must point at the pasted losses, not the originals.
  const remapped = nodes.map((n): GraphNode => {
    if (n.kind !== 'trainer') return n;
    const schedules = Object.entries(n.params.weightSchedules)
      .filter(([lossId]) => renamed.has(lossId))
      .map(([lossId, schedule]) => [renamed.get(lossId) as string, schedule] as const);
    return { ...n, params: { ...n.params, weightSchedules: Object.fromEntries(schedules) } };
  });
  return { file: { ...file, nodes: [...file.nodes, ...remapped], edges: [...file.edges, ...edges] }, newNodeIds: nodes.map((n) => n.id) };
}

export function moveItems(file: ExperimentFile, moves: readonly { id: string; position: { x: number; y: number } }[]): ExperimentFile {
  const byId = new Map(moves.map((m) => [m.id, m.position]));
  return {
    ...file,
    nodes: file.nodes.map((n) => {
      const position = byId.get(n.id);
      return position ? { ...n, position: { x: Math.round(position.x), y: Math.round(position.y) } } : n;
    }),
  };
}

/** Replaces one node's params by a shallow merge with `patch`. */
export function patchNodeParams(file: ExperimentFile, id: string, patch: object): ExperimentFile {
  return {
    ...file,
    nodes: file.nodes.map((n) => (n.id === id ? ({ ...n, params: { ...n.params, ...patch } } as GraphNode) : n)),
  };
}

export function emptyExperiment(name = 'Untitled experiment'): ExperimentFile {
  return { schemaVersion: 1, name, description: '', nodes: [], edges: [] };
}

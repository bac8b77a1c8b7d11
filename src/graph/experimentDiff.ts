/**
 * What changed between two experiment files, matched by node id: nodes added or removed, and each
 * parameter that differs, named by its path inside the node's params ("params.T",
 * "architecture.layers.1.units"). Pure, so the history's compare view and tests share it.
 */
import type { ExperimentFile, GraphNode } from './schema';

export interface NodeRef {
  nodeId: string;
  label: string;
  kind: GraphNode['kind'];
}

export interface ParamChange {
  nodeId: string;
  label: string;
  /** Dot path inside the node's params; array items by index. */
  path: string;
  /** undefined when the path exists on one side only. */
  before: unknown;
  after: unknown;
}

export interface ExperimentDiff {
  addedNodes: NodeRef[];
  removedNodes: NodeRef[];
  changedParams: ParamChange[];
  /** Connections as "source.port → target.port", present on one side only. */
  addedEdges: string[];
  removedEdges: string[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaf values keyed by dot path; an empty object or array counts as a leaf so its appearance shows. */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const)
    : isPlainObject(value) ? Object.entries(value) : null;
  if (entries === null || entries.length === 0) {
    if (prefix !== '') into.set(prefix, value);
    return into;
  }
  for (const [key, item] of entries) flatten(item, prefix === '' ? key : `${prefix}.${key}`, into);
  return into;
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const refOf = (node: GraphNode): NodeRef => ({ nodeId: node.id, label: node.label, kind: node.kind });

const edgeName = (edge: ExperimentFile['edges'][number]): string =>
  `${edge.source}.${edge.sourcePort} → ${edge.target}.${edge.targetPort}`;

/** Param changes of nodes both files have (positions and labels are layout, not settings). */
function paramChanges(before: GraphNode, after: GraphNode): ParamChange[] {
  const old = flatten(before.params, '', new Map());
  const next = flatten(after.params, '', new Map());
  const paths = [...new Set([...old.keys(), ...next.keys()])];
  return paths
    .filter((path) => !sameValue(old.get(path), next.get(path)))
    .map((path) => ({ nodeId: after.id, label: after.label, path, before: old.get(path), after: next.get(path) }));
}

export function diffExperiments(before: ExperimentFile, after: ExperimentFile): ExperimentDiff {
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const beforeEdges = new Set(before.edges.map(edgeName));
  const afterEdges = new Set(after.edges.map(edgeName));
  return {
    addedNodes: after.nodes.filter((node) => !beforeNodes.has(node.id)).map(refOf),
    removedNodes: before.nodes.filter((node) => !afterNodes.has(node.id)).map(refOf),
    changedParams: after.nodes.flatMap((node) => {
      const old = beforeNodes.get(node.id);
      return old === undefined ? [] : paramChanges(old, node);
    }),
    addedEdges: [...afterEdges].filter((edge) => !beforeEdges.has(edge)),
    removedEdges: [...beforeEdges].filter((edge) => !afterEdges.has(edge)),
  };
}

export function isEmptyDiff(diff: ExperimentDiff): boolean {
  return diff.addedNodes.length + diff.removedNodes.length + diff.changedParams.length
    + diff.addedEdges.length + diff.removedEdges.length === 0;
}

/** A parameter value as the diff shows it: JSON, or "—" when absent. */
export function formatDiffValue(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value);
}

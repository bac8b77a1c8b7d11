/**
 * The React Flow view of an ExperimentFile. The file is the single source of truth: nodes and
 * edges are derived from it (plus selection and problems); React Flow only owns measured sizes
 * and positions while a drag is in progress.
 */
import type { Edge, Node } from '@xyflow/react';
import type { ExperimentFile, GraphNode, NodeKind } from '../../src/graph/schema';
import type { GraphProblem } from '../../src/graph/validate';
import { portsOf, type PortDef, type PortType } from '../../src/graph/nodeKinds';
import { edgeShape, portShape } from '../../src/graph/shapes';
import { formatShape } from './format';

export interface StudioNodeData extends Record<string, unknown> {
  node: GraphNode;
  problems: GraphProblem[];
  /** Formatted shape per port, keyed `${direction}:${portName}`; absent when unknown. */
  portShapes: Record<string, string>;
}

export type StudioFlowNode = Node<StudioNodeData, NodeKind>;

export interface StudioEdgeData extends Record<string, unknown> {
  portType: PortType;
}

export type StudioFlowEdge = Edge<StudioEdgeData>;

export function portKey(direction: 'input' | 'output', name: string): string {
  return `${direction}:${name}`;
}

/** A node's ports; an unknown loss id yields none (validation reports it) instead of crashing the canvas. */
export function safePortsOf(node: GraphNode): PortDef[] {
  try {
    return portsOf(node);
  } catch {
    return [];
  }
}

function shapesOfNode(file: ExperimentFile, node: GraphNode): Record<string, string> {
  const shapes: Record<string, string> = {};
  for (const port of safePortsOf(node)) {
    if (port.direction === 'output') {
      const shape = portShape(file, node.id, port.name);
      // Scalars (labels, loss values) carry no useful shape on a node face.
      if (shape !== null && shape.length > 0) shapes[portKey('output', port.name)] = formatShape(shape);
    } else {
      const edge = file.edges.find((e) => e.target === node.id && e.targetPort === port.name);
      const shape = edge === undefined ? null : edgeShape(file, edge);
      if (shape !== null && shape.length > 0) shapes[portKey('input', port.name)] = formatShape(shape);
    }
  }
  return shapes;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function sameProblems(a: readonly GraphProblem[], b: readonly GraphProblem[]): boolean {
  return a.length === b.length && a.every((p, i) => p.message === b[i].message && p.severity === b[i].severity);
}

/**
 * Derives the flow nodes. Data objects of unchanged nodes are reused from `previous` so the
 * memoised node components skip re-rendering; measured sizes and in-drag positions carry over.
 */
export function toFlowNodes(
  file: ExperimentFile,
  problems: readonly GraphProblem[],
  selectedIds: ReadonlySet<string>,
  previous: readonly StudioFlowNode[],
): StudioFlowNode[] {
  const previousById = new Map(previous.map((n) => [n.id, n]));
  return file.nodes.map((node) => {
    const nodeProblems = problems.filter((p) => p.nodeId === node.id);
    const portShapes = shapesOfNode(file, node);
    const before = previousById.get(node.id);
    const reusable = before !== undefined && before.data.node === node
      && sameProblems(before.data.problems, nodeProblems) && sameRecord(before.data.portShapes, portShapes);
    const data: StudioNodeData = reusable ? before.data : { node, problems: nodeProblems, portShapes };
    const position = before?.dragging ? before.position : node.position;
    return {
      id: node.id,
      type: node.kind,
      position,
      data,
      selected: selectedIds.has(node.id),
      ...(before?.measured ? { measured: before.measured } : {}),
      ...(before?.dragging ? { dragging: true } : {}),
    };
  });
}

function portTypeOf(file: ExperimentFile, nodeId: string, port: string): PortType {
  const node = file.nodes.find((n) => n.id === nodeId);
  const def = node === undefined ? undefined : safePortsOf(node).find((p) => p.name === port && p.direction === 'output');
  return def?.type ?? 'loss';
}

/** `ariaLabel` names an edge for screen readers (React Flow's own is English: "Edge from a to b"). */
export function toFlowEdges(
  file: ExperimentFile, selectedIds: ReadonlySet<string>, ariaLabel?: (source: string, target: string) => string,
): StudioFlowEdge[] {
  return file.edges.map((edge) => {
    const portType = portTypeOf(file, edge.source, edge.sourcePort);
    return {
      ...(ariaLabel === undefined ? {} : { ariaLabel: ariaLabel(edge.source, edge.target) }),
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourcePort,
      target: edge.target,
      targetHandle: edge.targetPort,
      selected: selectedIds.has(edge.id),
      className: `edge-${portType}`,
      data: { portType },
    };
  });
}

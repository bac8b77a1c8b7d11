import type { ExperimentFile, GraphEdge, GraphNode, ModelRole, NodeKind, NodeOf } from './schema';

/** Small read-only lookups over an experiment graph, shared by shapes, validation and compile. */

export function nodeById(experiment: ExperimentFile, id: string): GraphNode | undefined {
  return experiment.nodes.find((node) => node.id === id);
}

export function nodesOfKind<K extends NodeKind>(experiment: ExperimentFile, kind: K): NodeOf<K>[] {
  return experiment.nodes.filter((node): node is NodeOf<K> => node.kind === kind);
}

export function edgesInto(experiment: ExperimentFile, nodeId: string, port?: string): GraphEdge[] {
  return experiment.edges.filter((edge) => edge.target === nodeId && (port === undefined || edge.targetPort === port));
}

export function edgesOutOf(experiment: ExperimentFile, nodeId: string, port?: string): GraphEdge[] {
  return experiment.edges.filter((edge) => edge.source === nodeId && (port === undefined || edge.sourcePort === port));
}

/** The node feeding a single input port, if connected. */
export function sourceOf(experiment: ExperimentFile, nodeId: string, port: string): GraphNode | undefined {
  const edge = edgesInto(experiment, nodeId, port)[0];
  return edge === undefined ? undefined : nodeById(experiment, edge.source);
}

/** The model node whose layers feed a guide or guided node (or an export node). */
export function modelFeeding(experiment: ExperimentFile, nodeId: string, port = 'layers'): NodeOf<'model'> | undefined {
  const source = sourceOf(experiment, nodeId, port);
  return source?.kind === 'model' ? source : undefined;
}

export function modelsWithRole(experiment: ExperimentFile, role: ModelRole): NodeOf<'model'>[] {
  return nodesOfKind(experiment, 'model').filter((node) => node.params.role === role);
}

/** Loss nodes feeding a trainer's `losses` input, in edge order. */
export function lossesOfTrainer(experiment: ExperimentFile, trainerId: string): NodeOf<'loss'>[] {
  return edgesInto(experiment, trainerId, 'losses')
    .map((edge) => nodeById(experiment, edge.source))
    .filter((node): node is NodeOf<'loss'> => node?.kind === 'loss');
}

/**
 * Trainers in stage order: follows `next -> after` from the trainers with nothing before them.
 * Returns the chains found (one chain per first stage); a trainer on a cycle appears in none.
 */
export function stageChains(experiment: ExperimentFile): NodeOf<'trainer'>[][] {
  const trainers = nodesOfKind(experiment, 'trainer');
  const firsts = trainers.filter((trainer) => edgesInto(experiment, trainer.id, 'after').length === 0);
  return firsts.map((first) => {
    const chain: NodeOf<'trainer'>[] = [];
    const seen = new Set<string>();
    let current: NodeOf<'trainer'> | undefined = first;
    while (current !== undefined && !seen.has(current.id)) {
      chain.push(current);
      seen.add(current.id);
      const nextEdge: GraphEdge | undefined = edgesOutOf(experiment, current.id, 'next')[0];
      const next: GraphNode | undefined = nextEdge === undefined ? undefined : nodeById(experiment, nextEdge.target);
      current = next?.kind === 'trainer' ? next : undefined;
    }
    return chain;
  });
}

/** The stage chain a trainer belongs to; undefined for a trainer on a loop of stages. */
export function chainOfTrainer(experiment: ExperimentFile, trainerId: string): NodeOf<'trainer'>[] | undefined {
  return stageChains(experiment).find((chain) => chain.some((trainer) => trainer.id === trainerId));
}

/** True when `to` is reachable from `from` along edges (used to refuse cycles). */
export function reaches(edges: readonly GraphEdge[], from: string, to: string): boolean {
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of edges) if (edge.source === id) stack.push(edge.target);
  }
  return false;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

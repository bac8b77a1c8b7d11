import { lossRegistry } from '../losses/registry';
import type { ExperimentFile, GraphEdge, GraphNode, NodeOf } from './schema';
import { describeNode, findPort, rolesOfSide, type PortDef, type PortType } from './nodeKinds';
import { edgesInto, formatShape, nodeById, reaches } from './queries';
import { guidedAdapter, portShape } from './shapes';
import { lossShapeProblem } from './lossShapes';
import { crossesSidesToTeachItself, downstreamLosses, newSelfTeachingProblem } from './selfTeaching';
import { ensembleClassesProblem, ensembleMemberProblem } from './ensembles';
import type { ConnectionRefusal } from './connectionRefusal';

/**
 * Whether a new edge may be drawn, and if not, why (shown in the editor when a connection is refused).
 */

export type CandidateEdge = Omit<GraphEdge, 'id'> & { id?: string };

const typeNames: Record<PortType, string> = {
  images: 'Images', labels: 'Labels', logits: 'Logits', layers: 'Layers', feature: 'Feature', loss: 'Loss', stage: 'Stage',
};

function typeMismatchReason(source: PortDef, target: PortDef): ConnectionRefusal {
  if (source.type === 'layers' && target.type === 'feature') {
    return { code: 'layersNeedTap', text: 'A model\'s Layers first go to a Guide (teacher) or Guided (student) node, which picks one layer; its Feature output feeds the loss.' };
  }
  if (source.type === 'feature' && target.type === 'logits') {
    return { code: 'featureNotLogits', text: 'A feature is not class logits: put an Auxiliary classifier between the Guided node and the loss to classify that layer.' };
  }
  if (source.type === 'logits' && target.type === 'feature') {
    return { code: 'logitsNotFeature', text: 'Logits are not a feature map: connect them to a logits input (e.g. KD, Cross-entropy), or tap a layer with a Guide or Guided node.' };
  }
  if (source.type === 'loss' && target.type === 'stage') {
    return { code: 'lossIntoTrainer', text: 'A loss goes into a trainer\'s Losses input; After takes the Next output of the previous trainer.' };
  }
  return {
    code: 'typeMismatch', sourceType: source.type, targetType: target.type,
    text: `A ${typeNames[source.type]} output cannot feed a ${typeNames[target.type]} input: connect it to a ${typeNames[source.type]} input instead.`,
  };
}

/** What feeds a sided output, for refusal reasons: a model by its role, a tap by its kind. */
function sourceDescription(sourceNode: GraphNode): string {
  if (sourceNode.kind === 'model') return `${describeNode(sourceNode)} is a ${sourceNode.params.role}`;
  if (sourceNode.kind === 'guide') return `${describeNode(sourceNode)} is a Guide (a layer that teaches)`;
  if (sourceNode.kind === 'guided') return `${describeNode(sourceNode)} is a Guided node (a layer that learns)`;
  if (sourceNode.kind === 'head') return `${describeNode(sourceNode)} is an Auxiliary classifier (it learns)`;
  if (sourceNode.kind === 'ensemble') return `${describeNode(sourceNode)} is an Ensemble (an average of trained networks: it teaches, never learns)`;
  return `${describeNode(sourceNode)} is on the other side`;
}

function sideMismatchReason(sourceNode: GraphNode, targetNode: GraphNode, target: PortDef): string {
  const source = sourceDescription(sourceNode);
  if (targetNode.kind === 'guided') {
    return `Guided nodes pick a layer of a network that learns (${rolesOfSide.student}), but ${source}: ` +
      'use a Guide node for a layer that teaches.';
  }
  if (targetNode.kind === 'guide') {
    return `Guide nodes pick a layer of a network that teaches (${rolesOfSide.teacher}), but ${source}: ` +
      'use a Guided node for a layer that learns.';
  }
  if (targetNode.kind === 'head') {
    return `An Auxiliary classifier learns, so it classifies a layer picked by a Guided node, but ${source}.`;
  }
  if (targetNode.kind === 'export') {
    return `Export takes a trained network (${rolesOfSide.student}), but ${source}: connect the Layers of one of those.`;
  }
  const side = target.side ?? 'student';
  const what = side === 'teacher' ? 'the network that teaches' : 'the network that learns';
  return `'${target.label}' of ${describeNode(targetNode)} takes the ${typeNames[target.type].toLowerCase()} of ${what} ` +
    `(${rolesOfSide[side]}), but ${source}.`;
}

function affectedGuided(experiment: ExperimentFile, losses: NodeOf<'loss'>[], edge: GraphEdge): NodeOf<'guided'>[] {
  const ids = new Set<string>([edge.source, edge.target]);
  for (const loss of losses) for (const into of edgesInto(experiment, loss.id)) ids.add(into.source);
  return experiment.nodes.filter((node): node is NodeOf<'guided'> => node.kind === 'guided' && ids.has(node.id));
}

/** Shape problems the edge would introduce (problems already present without it are not its fault). */
function newShapeProblem(before: ExperimentFile, after: ExperimentFile, edge: GraphEdge): string | null {
  const source = nodeById(after, edge.source);
  const target = nodeById(after, edge.target);
  if (source?.kind === 'dataset' && target?.kind === 'model' && edge.sourcePort === 'images') {
    const images = portShape(after, source.id, 'images');
    const expected = target.params.architecture.inputShape;
    if (images !== null && formatShape(images) !== formatShape(expected)) {
      return `${describeNode(target)} expects images ${formatShape(expected)} but the dataset gives ${formatShape(images)}: ` +
        'change the model\'s input shape or pick another dataset.';
    }
  }
  if (target?.kind === 'ensemble') {
    const now = ensembleClassesProblem(after, target);
    if (now !== null && ensembleClassesProblem(before, target) === null) return now;
  }
  const losses = downstreamLosses(after, edge.target);
  for (const guided of affectedGuided(after, losses, edge)) {
    const now = guidedAdapter(after, guided);
    const was = guidedAdapter(before, guided);
    if (now.status === 'invalid' && !(was.status === 'invalid' && was.reason === now.reason)) return now.reason;
  }
  for (const lossNode of losses) {
    const loss = lossRegistry.find((entry) => entry.id === lossNode.params.lossId);
    if (loss === undefined) continue;
    const now = lossShapeProblem(after, lossNode, loss);
    if (now !== null && now !== lossShapeProblem(before, lossNode, loss)) return now;
  }
  return null;
}

/** Null when `candidate` may be added to the graph, else the reason it is refused (in English). */
export function checkConnection(experiment: ExperimentFile, candidate: CandidateEdge): string | null {
  return explainConnection(experiment, candidate)?.text ?? null;
}

const other = (text: string | null): ConnectionRefusal | null => (text === null ? null : { code: 'other', text });

/**
 * Null when `candidate` may be added to the graph, else why it is refused, as data with its English text.
 * Checks, in order: both ends exist, direction, port type, teacher/student side, ensemble members being
 * networks, duplicates, single-connection ports, cycles, a network teaching itself from the very same
 * tensor or through an ensemble that holds it (or a Student teaching another network), then shapes
 * (ensemble classes, adapters and the loss's own shape rules).
 */
export function explainConnection(experiment: ExperimentFile, candidate: CandidateEdge): ConnectionRefusal | null {
  const sourceNode = nodeById(experiment, candidate.source);
  const targetNode = nodeById(experiment, candidate.target);
  if (sourceNode === undefined) return other(`The source node '${candidate.source}' does not exist.`);
  if (targetNode === undefined) return other(`The target node '${candidate.target}' does not exist.`);
  if (sourceNode.id === targetNode.id) return { code: 'selfConnection', text: 'A node cannot connect to itself.' };
  for (const node of [sourceNode, targetNode]) {
    if (node.kind === 'loss' && !lossRegistry.some((loss) => loss.id === node.params.lossId)) {
      return other(`${describeNode(node)} uses an unknown loss '${node.params.lossId}': replace the block.`);
    }
  }

  const source = findPort(sourceNode, candidate.sourcePort, 'output');
  const target = findPort(targetNode, candidate.targetPort, 'input');
  if (source === undefined) return other(`${describeNode(sourceNode)} has no output '${candidate.sourcePort}'.`);
  if (target === undefined) return other(`${describeNode(targetNode)} has no input '${candidate.targetPort}'.`);
  if (source.type !== target.type) return typeMismatchReason(source, target);
  if (source.side !== undefined && target.side !== undefined && source.side !== target.side
    && !crossesSidesToTeachItself(sourceNode, source, targetNode, target)) {
    return { code: 'sideMismatch', source: sourceNode.id, target: targetNode.id, targetPort: target.name, text: sideMismatchReason(sourceNode, targetNode, target) };
  }

  if (targetNode.kind === 'ensemble') {
    const notANetwork = ensembleMemberProblem(sourceNode, targetNode);
    if (notANetwork !== null) return other(notANetwork);
  }

  const existing = experiment.edges.filter((edge) => edge.id !== candidate.id);
  if (existing.some((edge) => edge.source === candidate.source && edge.sourcePort === candidate.sourcePort
    && edge.target === candidate.target && edge.targetPort === candidate.targetPort)) {
    return { code: 'alreadyConnected', text: 'These two ports are already connected.' };
  }
  if (!target.multiple && existing.some((edge) => edge.target === candidate.target && edge.targetPort === candidate.targetPort)) {
    return {
      code: 'inputTakesOne', node: targetNode.id, port: target.name,
      text: `'${target.label}' of ${describeNode(targetNode)} takes one connection and already has one: delete it first.`,
    };
  }
  if (!source.multiple && existing.some((edge) => edge.source === candidate.source && edge.sourcePort === candidate.sourcePort)) {
    return {
      code: 'outputLeadsToOne', node: sourceNode.id, port: source.name,
      text: `'${source.label}' of ${describeNode(sourceNode)} leads to one node and already does: delete that connection first.`,
    };
  }
  if (reaches(existing, candidate.target, candidate.source)) {
    return source.type === 'stage'
      ? { code: 'stageLoop', source: sourceNode.id, target: targetNode.id, text: `This would make the stages loop: ${describeNode(sourceNode)} already runs after ${describeNode(targetNode)}.` }
      : { code: 'cycle', text: 'This connection would make a cycle in the graph.' };
  }

  const edge: GraphEdge = { ...candidate, id: candidate.id ?? '(candidate)' };
  const before = { ...experiment, edges: existing };
  const after = { ...experiment, edges: [...existing, edge] };
  return other(newSelfTeachingProblem(before, after, edge) ?? newShapeProblem(before, after, edge));
}

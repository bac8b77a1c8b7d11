import type { ExperimentFile, GraphEdge, GraphNode, NodeOf } from './schema';
import { describeNode, type PortDef } from './nodeKinds';
import { edgesOutOf, nodeById } from './queries';
import { lossPortTensors, lossSides, type PortTensor } from './phases';
import { lossRegistry } from '../losses/registry';

/**
 * When a network may teach itself (self-distillation, Zhang et al. 2019): its teacher-side tensor
 * must differ from its student-side one (its final logits teaching an auxiliary classifier on a
 * shallow layer, a deeper layer hinting a shallower one). The teacher side is then a detached target.
 * A Student teaches nobody else: its outputs reach a teacher side only to teach itself. An ensemble
 * never teaches one of its own members.
 */

/**
 * A student's Logits into a teacher-side input of a loss, or its Layers into a Guide: across the
 * sides, but allowed so it can teach itself (the loss's other side is checked separately).
 */
export function crossesSidesToTeachItself(sourceNode: GraphNode, source: PortDef, targetNode: GraphNode, target: PortDef): boolean {
  if (sourceNode.kind !== 'model' || source.side !== 'student' || target.side !== 'teacher') return false;
  return (targetNode.kind === 'loss' && source.type === 'logits') || (targetNode.kind === 'guide' && source.type === 'layers');
}

/** The loss nodes an edge into `nodeId` may change the inputs of: the node itself, or the losses its taps, heads and ensembles feed. */
export function downstreamLosses(experiment: ExperimentFile, nodeId: string): NodeOf<'loss'>[] {
  const losses: NodeOf<'loss'>[] = [];
  const stack = [nodeId];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const node = nodeById(experiment, stack.pop() as string);
    if (node === undefined || seen.has(node.id)) continue;
    seen.add(node.id);
    if (node.kind === 'loss') losses.push(node);
    else if (node.kind === 'guide' || node.kind === 'guided' || node.kind === 'head' || node.kind === 'ensemble') {
      stack.push(...edgesOutOf(experiment, node.id).map((edge) => edge.target));
    }
  }
  return losses;
}

function portTensors(experiment: ExperimentFile, loss: NodeOf<'loss'>, side: 'teacher' | 'student'): PortTensor[] {
  const ports = lossRegistry.find((entry) => entry.id === loss.params.lossId)?.ports ?? [];
  return ports.filter((port) => port.side === side)
    .flatMap((port) => lossPortTensors(experiment, loss.id, port.name));
}

/** The tensors a loss reads on both sides: the same numbers as target and prediction teach nothing. */
function sameTensorBothSides(experiment: ExperimentFile, loss: NodeOf<'loss'>): PortTensor[] {
  const student = portTensors(experiment, loss, 'student');
  return portTensors(experiment, loss, 'teacher')
    .filter((teacher) => student.some((read) => read.model.id === teacher.model.id && read.key === teacher.key));
}

function sameTensorReason(read: PortTensor, loss: NodeOf<'loss'>): string {
  return `${describeNode(read.model)} would teach itself with ${read.description} on both sides of ${describeNode(loss)}, ` +
    'a target equal to the prediction, which teaches nothing. A network teaches itself only from another of its tensors ' +
    '(its final logits teaching an Auxiliary classifier on a shallow layer, or a deeper layer hinting a shallower one); ' +
    'otherwise feed the teacher side from another network (for mutual learning, a second Peer).';
}

/** A Student on the teacher side of a loss that trains another network. */
function studentTeachingOthers(experiment: ExperimentFile, loss: NodeOf<'loss'>): string | null {
  const { teacher, student } = lossSides(experiment, loss);
  for (const id of teacher) {
    const model = nodeById(experiment, id);
    const other = student.find((learner) => learner !== id);
    if (model?.kind !== 'model' || model.params.role !== 'student' || other === undefined) continue;
    const otherNode = nodeById(experiment, other);
    return `${describeNode(model)} is a Student, so it teaches only itself (self-distillation), but ${describeNode(loss)} ` +
      `trains ${otherNode === undefined ? `'${other}'` : describeNode(otherNode)}: feed its teacher side from a teacher, ` +
      `assistant or peer, or make ${describeNode(model)} an Assistant.`;
  }
  return null;
}

/**
 * An ensemble teaching one of its own members: the learner's target would hold its own prediction.
 * Refused rather than detached: born-again ensembles teach generation k with generations before k.
 */
function ensembleTeachingMember(experiment: ExperimentFile, loss: NodeOf<'loss'>): string[] {
  const learners = portTensors(experiment, loss, 'student').map((read) => read.model.id);
  return portTensors(experiment, loss, 'teacher').flatMap(({ model, via }) => (via === undefined || !learners.includes(model.id) ? [] : [
    `${describeNode(via)} holds ${describeNode(model)}, which ${describeNode(loss)} trains: ${describeNode(model)} would learn ` +
    'from an average of its own prediction. Teach it with an ensemble of other networks (born-again: the earlier generations), ' +
    'or remove it from the ensemble.',
  ]));
}

function problemsOf(experiment: ExperimentFile, loss: NodeOf<'loss'>): string[] {
  const reasons = [
    ...sameTensorBothSides(experiment, loss).map((read) => sameTensorReason(read, loss)),
    ...ensembleTeachingMember(experiment, loss),
  ];
  const foreign = studentTeachingOthers(experiment, loss);
  return foreign === null ? reasons : [...reasons, foreign];
}

/**
 * The reason `edge` makes a network teach itself from the very same tensor or through an ensemble holding it, or a
 * Student teach another network (problems it did not bring are not its fault).
 */
export function newSelfTeachingProblem(before: ExperimentFile, after: ExperimentFile, edge: GraphEdge): string | null {
  for (const loss of downstreamLosses(after, edge.target)) {
    const was = new Set(problemsOf(before, loss));
    const now = problemsOf(after, loss).find((reason) => !was.has(reason));
    if (now !== undefined) return now;
  }
  return null;
}

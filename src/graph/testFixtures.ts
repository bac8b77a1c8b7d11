import type { ArchitectureSpec } from '../models/spec';
import type { ExperimentFile, GraphNode, ModelRole, NodeOf } from './schema';
import { SCHEMA_VERSION } from './schema';
import { createEdge, createNode } from './factory';
import { checkConnection } from './validate';

/**
 * Small hand-sized graphs for the graph tests. Shapes (computed by hand, MNIST input 28x28x1):
 * teacher conv1 [28,28,4] relu1 [28,28,4] conv2 [28,28,6] pool1 [14,14,6] conv3 [14,14,8] relu3 [14,14,8]
 *         flatten [1568] fc [16] logits [10]
 * student conv1 [28,28,2] relu1 [28,28,2] conv2 [28,28,6] pool1 [14,14,6] conv3 [14,14,4]
 *         flatten [784] fc [12] logits [10]
 * assistant conv1 [28,28,3] relu1 [28,28,3] conv2 [28,28,6] pool1 [14,14,6] conv3 [14,14,6] relu3 [14,14,6]
 *         flatten [1176] fc [14] logits [10]
 * peer (MLP) flatten [784] fc [32] relu [32] logits [10]
 */

const conv = (id: string, filters: number) => ({ kind: 'conv2d' as const, id, filters, kernelSize: 3, strides: 1, padding: 'same' as const });
const pool = (id: string) => ({ kind: 'maxPool' as const, id, poolSize: 2, strides: 2, padding: 'valid' as const });

export const tinyTeacher: ArchitectureSpec = {
  name: 'tiny-teacher',
  inputShape: [28, 28, 1],
  layers: [
    conv('conv1', 4), { kind: 'relu', id: 'relu1' }, conv('conv2', 6), pool('pool1'), conv('conv3', 8), { kind: 'relu', id: 'relu3' },
    { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc', units: 16 }, { kind: 'dense', id: 'logits', units: 10 },
  ],
};

export const tinyStudent: ArchitectureSpec = {
  name: 'tiny-student',
  inputShape: [28, 28, 1],
  layers: [
    conv('conv1', 2), { kind: 'relu', id: 'relu1' }, conv('conv2', 6), pool('pool1'), conv('conv3', 4),
    { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc', units: 12 }, { kind: 'dense', id: 'logits', units: 10 },
  ],
};

export const tinyAssistant: ArchitectureSpec = {
  name: 'tiny-assistant',
  inputShape: [28, 28, 1],
  layers: [
    conv('conv1', 3), { kind: 'relu', id: 'relu1' }, conv('conv2', 6), pool('pool1'), conv('conv3', 6), { kind: 'relu', id: 'relu3' },
    { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc', units: 14 }, { kind: 'dense', id: 'logits', units: 10 },
  ],
};

export const tinyMlp: ArchitectureSpec = {
  name: 'tiny-mlp',
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc', units: 32 }, { kind: 'relu', id: 'relu' },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

/** A mutable experiment with helpers that add nodes and (checked) edges. */
export class TestGraph {
  readonly file: ExperimentFile = { schemaVersion: SCHEMA_VERSION, name: 'test', description: '', nodes: [], edges: [] };

  add<N extends GraphNode>(node: N): N {
    this.file.nodes.push(node);
    return node;
  }

  loss(id: string, lossId: string): NodeOf<'loss'> {
    return this.add(createNode('loss', { id, lossId }));
  }

  tap(kind: 'guide' | 'guided', id: string, layerId: string, from = kind === 'guide' ? 'teacher' : 'student'): NodeOf<'guide'> | NodeOf<'guided'> {
    const node = this.add(createNode(kind, { id }));
    node.params.layerId = layerId;
    this.connect(from, 'layers', id, 'layers');
    return node;
  }

  /** The node `id`, which must be of `kind` (for tests that edit a fixture's parameters). */
  node<K extends GraphNode['kind']>(id: string, kind: K): NodeOf<K> {
    const node = this.file.nodes.find((candidate) => candidate.id === id);
    if (node?.kind !== kind) throw new Error(`fixture: no ${kind} node '${id}'`);
    return node as NodeOf<K>;
  }

  /**
   * A feature loss in the trainer, fed by teacher layer `teacherLayer` (guide `g-<layer>`) and
   * student layer `studentLayer` (guided `s-<layer>`).
   */
  pairLoss(id: string, lossId: string, teacherLayer: string, studentLayer: string): NodeOf<'loss'> {
    const loss = this.loss(id, lossId);
    this.connect(id, 'loss', 'trainer', 'losses');
    this.tap('guide', `g-${teacherLayer}`, teacherLayer);
    this.tap('guided', `s-${studentLayer}`, studentLayer);
    this.connect(`g-${teacherLayer}`, 'feature', id, 'guide');
    this.connect(`s-${studentLayer}`, 'feature', id, 'guided');
    return loss;
  }

  /** A model node of `role` with `architecture`, its Images connected to the node 'dataset'. */
  model(id: string, role: ModelRole, architecture: ArchitectureSpec, label?: string): NodeOf<'model'> {
    const model = this.add(createNode('model', { id, role, ...(label === undefined ? {} : { label }) }));
    model.params.architecture = structuredClone(architecture);
    this.connect('dataset', 'images', id, 'images');
    return model;
  }

  /** A trainer node for one stage, its stage name and label both `name`. */
  trainer(id: string, name: string): NodeOf<'trainer'> {
    const trainer = this.add(createNode('trainer', { id, label: name }));
    trainer.params.stageName = name;
    return trainer;
  }

  /** Cross-entropy `id` of `learner`'s logits and the labels, in `trainer`. */
  crossEntropy(id: string, learner: string, trainer: string): NodeOf<'loss'> {
    const loss = this.loss(id, 'ce');
    this.connect(learner, 'logits', id, 'logits');
    this.connect('dataset', 'labels', id, 'labels');
    this.connect(id, 'loss', trainer, 'losses');
    return loss;
  }

  /** KD `id`: `teacher`'s logits teach `learner`'s, in `trainer`. */
  kd(id: string, teacher: string, learner: string, trainer: string): NodeOf<'loss'> {
    const loss = this.loss(id, 'kd');
    this.connect(teacher, 'logits', id, 'teacherLogits');
    this.connect(learner, 'logits', id, 'studentLogits');
    this.connect(id, 'loss', trainer, 'losses');
    return loss;
  }

  /** Adds an edge the editor would accept; throws with the refusal reason otherwise. */
  connect(source: string, sourcePort: string, target: string, targetPort: string): void {
    const reason = checkConnection(this.file, { source, sourcePort, target, targetPort });
    if (reason !== null) throw new Error(`refused ${source}.${sourcePort} -> ${target}.${targetPort}: ${reason}`);
    this.force(source, sourcePort, target, targetPort);
  }

  /** Adds an edge without checking (to build broken graphs for validation tests). */
  force(source: string, sourcePort: string, target: string, targetPort: string): void {
    this.file.edges.push(createEdge(source, sourcePort, target, targetPort, this.file.edges.map((edge) => edge.id)));
  }

  refusal(source: string, sourcePort: string, target: string, targetPort: string): string | null {
    return checkConnection(this.file, { source, sourcePort, target, targetPort });
  }
}

/** Dataset, tiny teacher and student, one trainer with cross-entropy: a valid graph to extend. */
export function baseGraph(): TestGraph {
  const graph = new TestGraph();
  graph.add(createNode('dataset', { id: 'dataset' }));
  const teacher = graph.add(createNode('model', { id: 'teacher', role: 'teacher' }));
  teacher.params.architecture = structuredClone(tinyTeacher);
  const student = graph.add(createNode('model', { id: 'student', role: 'student' }));
  student.params.architecture = structuredClone(tinyStudent);
  graph.add(createNode('trainer', { id: 'trainer' }));
  graph.connect('dataset', 'images', 'teacher', 'images');
  graph.connect('dataset', 'images', 'student', 'images');
  graph.loss('ce', 'ce');
  graph.connect('student', 'logits', 'ce', 'logits');
  graph.connect('dataset', 'labels', 'ce', 'labels');
  graph.connect('ce', 'loss', 'trainer', 'losses');
  return graph;
}

/**
 * Teacher -> assistant -> student (Mirzadeh et al. 2020), as two independent stage chains:
 * 'trainer-assistant' trains the assistant (ce-assistant + kd-assistant, the teacher teaching) and
 * 'trainer-student' trains the student (ce-student + kd-student, the assistant teaching, frozen).
 * Models: 'teacher' (tinyTeacher, with its own training settings), 'assistant' (tinyAssistant),
 * 'student' (tinyStudent). The chain order comes from the teaching, not from the graph.
 */
export function teacherAssistantStudentGraph(): TestGraph {
  const graph = new TestGraph();
  graph.file.name = 'teacher-assistant-student';
  graph.add(createNode('dataset', { id: 'dataset' }));
  graph.model('teacher', 'teacher', tinyTeacher);
  graph.model('assistant', 'assistant', tinyAssistant);
  graph.model('student', 'student', tinyStudent);
  graph.trainer('trainer-assistant', 'Assistant stage');
  graph.crossEntropy('ce-assistant', 'assistant', 'trainer-assistant');
  graph.kd('kd-assistant', 'teacher', 'assistant', 'trainer-assistant');
  graph.trainer('trainer-student', 'Student stage');
  graph.crossEntropy('ce-student', 'student', 'trainer-student');
  graph.kd('kd-student', 'assistant', 'student', 'trainer-student');
  return graph;
}

export const teacherAssistantStudentExperiment = (): ExperimentFile => teacherAssistantStudentGraph().file;

/**
 * Deep mutual learning (Zhang et al. 2018): peers 'peer1' and 'peer2' (both tinyMlp, labels
 * "Peer 1", "Peer 2") trained together by the one 'trainer': ce-peer1 and ce-peer2 on the labels,
 * kd-peer1 (peer2 teaches peer1) and kd-peer2 (peer1 teaches peer2). No teacher.
 */
export function mutualLearningGraph(): TestGraph {
  const graph = new TestGraph();
  graph.file.name = 'mutual-learning';
  graph.add(createNode('dataset', { id: 'dataset' }));
  graph.model('peer1', 'peer', tinyMlp, 'Peer 1');
  graph.model('peer2', 'peer', tinyMlp, 'Peer 2');
  graph.trainer('trainer', 'Mutual learning');
  graph.crossEntropy('ce-peer1', 'peer1', 'trainer');
  graph.crossEntropy('ce-peer2', 'peer2', 'trainer');
  graph.kd('kd-peer1', 'peer2', 'peer1', 'trainer');
  graph.kd('kd-peer2', 'peer1', 'peer2', 'trainer');
  return graph;
}

export const mutualLearningExperiment = (): ExperimentFile => mutualLearningGraph().file;

import type { ArchitectureSpec } from '../models/spec';
import type { ExperimentFile, GraphNode, NodeOf } from './schema';
import { SCHEMA_VERSION } from './schema';
import { createEdge, createNode } from './factory';
import { checkConnection } from './validate';

/**
 * Small hand-sized graphs for the graph tests. Shapes (computed by hand, MNIST input 28x28x1):
 * teacher conv1 [28,28,4] relu1 [28,28,4] conv2 [28,28,6] pool1 [14,14,6] conv3 [14,14,8] relu3 [14,14,8]
 *         flatten [1568] fc [16] logits [10]
 * student conv1 [28,28,2] relu1 [28,28,2] conv2 [28,28,6] pool1 [14,14,6] conv3 [14,14,4]
 *         flatten [784] fc [12] logits [10]
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

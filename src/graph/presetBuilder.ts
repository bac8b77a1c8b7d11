import type { ExperimentFile, GraphEdge, GraphNode, ModelRole, NodeOf, TeacherTraining, TrainerSettings } from './schema';
import { SCHEMA_VERSION } from './schema';
import { createEdge, createNode, trainerSettings } from './factory';
import { checkConnection } from './validate';

/**
 * The pieces preset experiments are built from (presetExperiments.ts, presetSchemes.ts): a graph
 * builder whose edges pass the editor's own connection check, the quick-demo settings, and helpers
 * that add models, trainers and losses. Layout reads left to right: dataset, models, guide/guided,
 * losses, trainers.
 */

export const column = (i: number): number => 40 + i * 300;

export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];

  add<N extends GraphNode>(node: N): N {
    this.nodes.push(node);
    return node;
  }

  /** Adds an edge through the same check as the editor, so a preset can never hold a refused edge. */
  link(source: string, sourcePort: string, target: string, targetPort: string): void {
    const reason = checkConnection(this.file('', ''), { source, sourcePort, target, targetPort });
    if (reason !== null) throw new Error(`Preset edge ${source}.${sourcePort} -> ${target}.${targetPort}: ${reason}`);
    this.edges.push(createEdge(source, sourcePort, target, targetPort, this.edges.map((edge) => edge.id)));
  }

  file(name: string, description: string): ExperimentFile {
    return { schemaVersion: SCHEMA_VERSION, name, description, nodes: this.nodes, edges: this.edges };
  }
}

/** Quick-demo settings: Adam converges in a few epochs on a 10,000-image subset. */
export const mlpSettings = trainerSettings({ optimizer: 'adam', learningRate: 0.001, epochs: 3, batchSize: 64, seed: 1 });
export const cnnSettings = trainerSettings({ optimizer: 'adam', learningRate: 0.002, epochs: 2, batchSize: 64, seed: 1 });

/** The teacher architectures the presets share (each a preset of src/models/presets.ts). */
export type SharedTeacher = 'hinton-teacher' | 'cnn-teacher' | 'article-teacher' | 'cifar-cnn-teacher';

/**
 * The laptop-size CIFAR-10 settings (KD, AT and FitNet presets): Adam with a cosine rate on the
 * 10,000-image subset, random shifts of up to 4 px (the literature's pad-4 crop) and flips.
 */
export const cifarSettings = trainerSettings({ optimizer: 'adam', learningRate: 0.002, epochs: 3, batchSize: 64, seed: 1, lrSchedule: { kind: 'cosine' } });

/**
 * How each shared teacher trains, in quick and full presets alike: the full-data recipe, on all the
 * training images whatever the students use. Both kinds of preset so compile to one cache key, whose
 * trained weights ship in public/teachers/, so a quick preset starts from a strong teacher and shows a
 * gain in a minute or two. An edited teacher trains again with this recipe (Hinton's, 50 epochs with
 * dropout, takes the longest: about 1 h 50 min on wasm), or the user shortens it in the inspector.
 */
const sharedTeacherRecipes: Readonly<Record<SharedTeacher, TeacherTraining>> = {
  // Hinton et al. jitter the teacher (up to 2 px) and distil on the plain images. Batch 128 trains
  // the dropout teacher 1.4x faster per image on wasm, so 50 epochs fit where 30 did at 64.
  'hinton-teacher': { ...mlpSettings, epochs: 50, batchSize: 128, lrSchedule: { kind: 'cosine' }, augmentShift: 2 },
  'article-teacher': { ...mlpSettings, epochs: 5, lrSchedule: { kind: 'cosine' } },
  'cnn-teacher': { ...cnnSettings, epochs: 8, lrSchedule: { kind: 'cosine' } },
  // All 50,000 CIFAR-10 images with the dataset's shifts and flips.
  'cifar-cnn-teacher': { ...cifarSettings, epochs: 2 },
};

/** A shared teacher's training settings; `trainSubset: null` (all images) marks a teacher as shared. */
export function sharedTeacherTraining(teacher: SharedTeacher): TeacherTraining {
  return { ...structuredClone(sharedTeacherRecipes[teacher]), trainSubset: null };
}

/** The registered datasets presets use; a dataset changes the teacher's cache key, so each needs its own shipped teacher. */
export const presetDatasets = {
  mnist: { id: 'mnist', label: 'MNIST' },
  fashion: { id: 'fashion-mnist', label: 'Fashion-MNIST' },
  cifar10: { id: 'cifar10', label: 'CIFAR-10' },
} as const;

/** CIFAR augmentation on a dataset node: random shifts of up to 4 px and horizontal flips (of training images only). */
export function withCifarAugmentation(graph: GraphBuilder, trainSubset: number | null): void {
  const dataset = graph.nodes.find((node): node is NodeOf<'dataset'> => node.kind === 'dataset');
  if (dataset === undefined) throw new Error('withCifarAugmentation: the graph has no dataset node.');
  dataset.params = { ...dataset.params, trainSubset, augmentShift: 4, augmentFlip: true };
}

export function withModels(
  teacherPreset: SharedTeacher, studentPreset: string, labels: [string, string],
  dataset: { id: string; label: string } = presetDatasets.mnist,
): GraphBuilder {
  const graph = new GraphBuilder();
  const datasetNode = graph.add(createNode('dataset', { id: 'dataset', label: dataset.label, position: { x: column(0), y: 260 } }));
  datasetNode.params.datasetId = dataset.id;
  const teacher = graph.add(createNode('model', {
    id: 'teacher', role: 'teacher', architecturePreset: teacherPreset, label: labels[0], position: { x: column(1), y: 80 },
  }));
  teacher.params.teacherTraining = sharedTeacherTraining(teacherPreset);
  graph.add(createNode('model', {
    id: 'student', role: 'student', architecturePreset: studentPreset, label: labels[1], position: { x: column(1), y: 440 },
  }));
  graph.link('dataset', 'images', 'teacher', 'images');
  graph.link('dataset', 'images', 'student', 'images');
  return graph;
}

export function addTrainer(
  graph: GraphBuilder, id: string, stageName: string, settings: TrainerSettings, position: { x: number; y: number },
  trainUpTo: string | null = null,
): NodeOf<'trainer'> {
  const node = graph.add(createNode('trainer', { id, label: stageName, position }));
  node.params = { ...node.params, ...structuredClone(settings), stageName, trainUpTo };
  return node;
}

/** Hinton's recipe: cross-entropy weight 0.1 plus KD weight 0.9 at temperature T. */
export function addCrossEntropyAndKd(graph: GraphBuilder, temperature: number, x: number, y: number, trainerId: string): void {
  const ce = graph.add(createNode('loss', { id: 'ce', lossId: 'ce', label: 'Cross-entropy', position: { x, y: y + 180 } }));
  ce.params.weight = 0.1;
  const kd = graph.add(createNode('loss', { id: 'kd', lossId: 'kd', label: `KD (T = ${temperature})`, position: { x, y } }));
  kd.params.weight = 0.9;
  kd.params.params.T = temperature;
  graph.link('student', 'logits', 'ce', 'logits');
  graph.link('dataset', 'labels', 'ce', 'labels');
  graph.link('teacher', 'logits', 'kd', 'teacherLogits');
  graph.link('student', 'logits', 'kd', 'studentLogits');
  graph.link('ce', 'loss', trainerId, 'losses');
  graph.link('kd', 'loss', trainerId, 'losses');
}

/**
 * Two stages: the `init` losses train the student up to `trainUpTo` for one epoch (an
 * initialisation, as in FitNet and FSP), then cross-entropy + KD train the whole student.
 */
export function addInitialisationThenKd(
  graph: GraphBuilder,
  init: { id: string; name: string; trainUpTo: string; lossIds: string[]; position: { x: number; y: number } },
  kd: { temperature: number; trainerPosition: { x: number; y: number }; lossesAt: { x: number; y: number } },
  settings: TrainerSettings = cnnSettings,
): void {
  addTrainer(graph, init.id, init.name, { ...settings, epochs: 1 }, init.position, init.trainUpTo);
  for (const lossId of init.lossIds) graph.link(lossId, 'loss', init.id, 'losses');
  addTrainer(graph, 'stage-kd', 'Stage 2: KD', settings, kd.trainerPosition);
  graph.link(init.id, 'next', 'stage-kd', 'after');
  addCrossEntropyAndKd(graph, kd.temperature, kd.lossesAt.x, kd.lossesAt.y, 'stage-kd');
}

export function addTap(graph: GraphBuilder, kind: 'guide' | 'guided', layerId: string, position: { x: number; y: number }): string {
  const id = `${kind}-${layerId}`;
  const node = graph.add(createNode(kind, { id, label: `${kind === 'guide' ? 'Guide' : 'Guided'} ${layerId}`, position }));
  node.params.layerId = layerId;
  graph.link(kind === 'guide' ? 'teacher' : 'student', 'layers', id, 'layers');
  return id;
}

/** One model node, its images connected. */
export function addModel(graph: GraphBuilder, id: string, role: ModelRole, preset: string, label: string, position: { x: number; y: number }): NodeOf<'model'> {
  const node = graph.add(createNode('model', { id, role, architecturePreset: preset, label, position }));
  graph.link('dataset', 'images', id, 'images');
  return node;
}

/** Cross-entropy of `learner` and KD from `teacher` into `trainerId`, with the given weights and temperature. */
export function addLearnsFrom(
  graph: GraphBuilder, learner: string, teacher: string, trainerId: string,
  weights: { ce: number; kd: number; temperature: number }, position: { x: number; y: number },
): void {
  const ce = graph.add(createNode('loss', { id: `ce-${learner}`, lossId: 'ce', label: `Cross-entropy (${learner})`, position: { x: position.x, y: position.y + 130 } }));
  ce.params.weight = weights.ce;
  const kd = graph.add(createNode('loss', { id: `kd-${learner}`, lossId: 'kd', label: `KD ${teacher} -> ${learner} (T = ${weights.temperature})`, position }));
  kd.params.weight = weights.kd;
  kd.params.params.T = weights.temperature;
  graph.link(learner, 'logits', ce.id, 'logits');
  graph.link('dataset', 'labels', ce.id, 'labels');
  graph.link(teacher, 'logits', kd.id, 'teacherLogits');
  graph.link(learner, 'logits', kd.id, 'studentLogits');
  graph.link(ce.id, 'loss', trainerId, 'losses');
  graph.link(kd.id, 'loss', trainerId, 'losses');
}

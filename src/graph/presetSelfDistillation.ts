import type { ExperimentFile } from './schema';
import { createNode } from './factory';
import { GraphBuilder, addModel, addTap, addTrainer, cnnSettings, column } from './presetBuilder';

/**
 * Self-distillation, "Be Your Own Teacher" (Zhang, Song, Gao, Chen, Bao, Ma, ICCV 2019): every
 * classifier i, the auxiliary ones on shallow layers and the final one, minimises
 * (1 - alpha) CE(q_i, y) + alpha KL(q_i, q_final) (+ lambda ||F_i - F_final||^2, left out here),
 * the final classifier's softened output a detached target. T = 3 is the temperature of the
 * authors' code and of the reproduction; alpha = 0.1 is the reproduction's, whose KD term carries
 * the T^2 factor the studio's KD block has (the authors' later code: alpha = 0.3 without it).
 */

export const SELF_DISTILLATION = { temperature: 3, alpha: 0.1 } as const;

/** The CNN student's shallow sections: after the first pooling and after the second convolution block. */
const HEAD_LAYERS = ['pool1', 'relu2'] as const;

export function selfDistillationMnist(): ExperimentFile {
  const { temperature, alpha } = SELF_DISTILLATION;
  const graph = new GraphBuilder();
  graph.add(createNode('dataset', { id: 'dataset', label: 'MNIST', position: { x: column(0), y: 260 } }));
  addModel(graph, 'student', 'student', 'cnn-student', 'CNN student', { x: column(1), y: 260 });
  addTrainer(graph, 'trainer', 'Self-distil', cnnSettings, { x: column(5), y: 260 });

  const finalCe = graph.add(createNode('loss', { id: 'ce', lossId: 'ce', label: 'Cross-entropy (final classifier)', position: { x: column(4), y: 0 } }));
  finalCe.params.weight = 1 - alpha;
  graph.link('student', 'logits', 'ce', 'logits');
  graph.link('dataset', 'labels', 'ce', 'labels');
  graph.link('ce', 'loss', 'trainer', 'losses');

  HEAD_LAYERS.forEach((layerId, i) => {
    const y = 220 + i * 320;
    const guided = addTap(graph, 'guided', layerId, { x: column(2), y });
    const head = graph.add(createNode('head', { id: `head-${layerId}`, label: `Classifier on ${layerId}`, position: { x: column(3), y } }));
    graph.link(guided, 'feature', head.id, 'feature');

    const ce = graph.add(createNode('loss', { id: `ce-${layerId}`, lossId: 'ce', label: `Cross-entropy (${layerId} head)`, position: { x: column(4), y: y + 130 } }));
    ce.params.weight = 1 - alpha;
    graph.link(head.id, 'logits', ce.id, 'logits');
    graph.link('dataset', 'labels', ce.id, 'labels');

    const kd = graph.add(createNode('loss', { id: `kd-${layerId}`, lossId: 'kd', label: `KD final -> ${layerId} head (T = ${temperature})`, position: { x: column(4), y } }));
    kd.params.weight = alpha;
    kd.params.params.T = temperature;
    graph.link('student', 'logits', kd.id, 'teacherLogits');
    graph.link(head.id, 'logits', kd.id, 'studentLogits');

    graph.link(ce.id, 'loss', 'trainer', 'losses');
    graph.link(kd.id, 'loss', 'trainer', 'losses');
  });

  return graph.file('Self-distillation (Be Your Own Teacher)',
    'Zhang et al. (2019): no teacher network. The CNN student grows auxiliary classifiers (average pooling + dense) on two ' +
    `shallow layers, pool1 and relu2; each learns from the labels (cross-entropy ${1 - alpha}) and from the student's own ` +
    `final logits at T = ${temperature} (KD ${alpha}, a target with no gradient through it), beside the final classifier's ` +
    `cross-entropy (${1 - alpha}). The classifiers are dropped at test time; the student is compared with itself trained alone.`);
}

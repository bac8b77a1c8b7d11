import type { ExperimentFile, NodeOf } from './schema';
import { createNode } from './factory';
import {
  addCrossEntropyAndKd, addLearnsFrom, addModel, addTap, addTrainer, cnnSettings, column, GraphBuilder, mlpSettings, sharedTeacherTraining, withModels,
} from './presetBuilder';

/**
 * Presets of the schemes and methods beyond one teacher and one student with soft targets: mutual
 * learning, teacher assistants, born-again generations, relational losses, teacher-free KD, NST with
 * early-stopped KD, adversarial KD. Each builds the file of the same name in public/presets/.
 */

/**
 * Deep mutual learning (Zhang et al. 2018): two peers, no teacher. Each minimises its cross-entropy
 * plus KL(p_other || p_self) at T = 1 (a KD block at T = 1 with weight 1, 1 / (K - 1) for K = 2),
 * the other's prediction a fixed target; both train in the one stage, step by step together.
 */
export function mutualLearningMnist(): ExperimentFile {
  const graph = new GraphBuilder();
  graph.add(createNode('dataset', { id: 'dataset', label: 'MNIST', position: { x: column(0), y: 260 } }));
  addModel(graph, 'peer1', 'peer', 'article-student', 'Peer 1 (50-50)', { x: column(1), y: 80 });
  addModel(graph, 'peer2', 'peer', 'article-student', 'Peer 2 (50-50)', { x: column(1), y: 440 });
  addTrainer(graph, 'trainer', 'Mutual learning', mlpSettings, { x: column(3), y: 260 });
  addLearnsFrom(graph, 'peer1', 'peer2', 'trainer', { ce: 1, kd: 1, temperature: 1 }, { x: column(2), y: 0 });
  addLearnsFrom(graph, 'peer2', 'peer1', 'trainer', { ce: 1, kd: 1, temperature: 1 }, { x: column(2), y: 380 });
  return graph.file('Mutual learning: two peers',
    'Deep mutual learning (Zhang et al. 2018): two 50-50 MLPs learn together, each from the labels and from the ' +
    'other\'s predictions (KL at T = 1). No teacher; each peer is compared with itself trained alone.');
}

/**
 * Teacher assistant (Mirzadeh et al. 2020): the article's 2000-2000 -> 50-50 gap (132x) bridged by
 * an 800-800 assistant. Stage chain 1 distils the teacher into the assistant; chain 2, run after it
 * because the assistant teaches there, distils the frozen assistant into the student.
 */
export function teacherAssistantMnist(): ExperimentFile {
  const graph = new GraphBuilder();
  graph.add(createNode('dataset', { id: 'dataset', label: 'MNIST', position: { x: column(0), y: 300 } }));
  const teacher = addModel(graph, 'teacher', 'teacher', 'article-teacher', 'Teacher 2000-2000', { x: column(1), y: 0 });
  teacher.params.teacherTraining = sharedTeacherTraining('article-teacher');
  addModel(graph, 'assistant', 'assistant', 'hinton-student', 'Assistant 800-800', { x: column(1), y: 300 });
  addModel(graph, 'student', 'student', 'article-student', 'Student 50-50', { x: column(1), y: 600 });
  addTrainer(graph, 'trainer-assistant', 'Assistant learns', mlpSettings, { x: column(3), y: 100 });
  addTrainer(graph, 'trainer-student', 'Student learns', mlpSettings, { x: column(3), y: 500 });
  addLearnsFrom(graph, 'assistant', 'teacher', 'trainer-assistant', { ce: 0.1, kd: 0.9, temperature: 4 }, { x: column(2), y: 0 });
  addLearnsFrom(graph, 'student', 'assistant', 'trainer-student', { ce: 0.1, kd: 0.9, temperature: 4 }, { x: column(2), y: 420 });
  return graph.file('Teacher assistant: 2000-2000 -> 800-800 -> 50-50',
    'Mirzadeh et al. (2020): when teacher and student are far apart, a middle-sized assistant learns from the teacher ' +
    'first and then teaches the student (cross-entropy 0.1 + KD 0.9 at T = 4 in both steps).');
}

/** The dataset and the born-again presets' three 50-50 generations: 0 trained on labels (teacher), 1 an assistant, 2 the student. */
export function bornAgainGenerations(): GraphBuilder {
  const graph = new GraphBuilder();
  graph.add(createNode('dataset', { id: 'dataset', label: 'MNIST', position: { x: column(0), y: 300 } }));
  const generation0 = addModel(graph, 'gen0', 'teacher', 'article-student', 'Generation 0 (50-50)', { x: column(1), y: 0 });
  generation0.params.teacherTraining = structuredClone(mlpSettings);
  addModel(graph, 'gen1', 'assistant', 'article-student', 'Generation 1 (50-50)', { x: column(1), y: 300 });
  addModel(graph, 'gen2', 'student', 'article-student', 'Generation 2 (50-50)', { x: column(1), y: 600 });
  return graph;
}

/** Generation 1's or 2's trainer `trainer-<learner>`: each starts afresh, from seed 2 or 3 (2 and 1003 with the learner stride); generation 0 has 1. */
export function addGenerationTrainer(graph: GraphBuilder, learner: 'gen1' | 'gen2', position: { x: number; y: number }): void {
  addTrainer(graph, `trainer-${learner}`, `${learner === 'gen1' ? 'Generation 1' : 'Generation 2'} learns`,
    { ...mlpSettings, seed: learner === 'gen1' ? 2 : 3 }, position);
}

/** KD alone at T = 1 (no labels after generation 0, the paper's loss) from `teacher` into `learner`'s trainer. */
export function addBornAgainKd(graph: GraphBuilder, teacher: string, learner: string, label: string, position: { x: number; y: number }): void {
  const kd = graph.add(createNode('loss', { id: `kd-${learner}`, lossId: 'kd', label, position }));
  kd.params.weight = 1;
  kd.params.params.T = 1;
  graph.link(teacher, 'logits', kd.id, 'teacherLogits');
  graph.link(learner, 'logits', kd.id, 'studentLogits');
  graph.link(kd.id, 'loss', `trainer-${learner}`, 'losses');
}

/**
 * Born-again networks (Furlanello et al. 2018): generation 0 learns from the labels (the teacher
 * role: trained first, then frozen); each later generation, with the same architecture, learns
 * only from the one before it (KD at T = 1, the paper's loss: cross-entropy against the teacher's
 * output). The last generation is the student, measured against the same network trained alone.
 */
export function bornAgainMnist(): ExperimentFile {
  const graph = bornAgainGenerations();
  for (const [teacher, learner, y] of [['gen0', 'gen1', 0], ['gen1', 'gen2', 420]] as const) {
    addGenerationTrainer(graph, learner, { x: column(3), y: y + 100 });
    addBornAgainKd(graph, teacher, learner, `KD ${teacher} -> ${learner} (T = 1)`, { x: column(2), y });
  }
  return graph.file('Born-again networks: three generations',
    'Furlanello et al. (2018): a 50-50 MLP trained on labels teaches an identical network, which teaches the next ' +
    '(KD at T = 1 only, no labels after generation 0). Generation 2 is compared with the same network trained alone.');
}

/** A feature loss between a guide and a guided node (created here) of the teacher and the student. */
function addFeatureLoss(
  graph: GraphBuilder, id: string, lossId: string, label: string, layers: [string, string], weight: number, position: { x: number; y: number },
): NodeOf<'loss'> {
  const guide = graph.nodes.find((node) => node.id === `guide-${layers[0]}`)?.id ?? addTap(graph, 'guide', layers[0], { x: column(2), y: position.y - 40 });
  const guided = graph.nodes.find((node) => node.id === `guided-${layers[1]}`)?.id ?? addTap(graph, 'guided', layers[1], { x: column(2), y: position.y + 60 });
  const loss = graph.add(createNode('loss', { id, lossId, label, position }));
  loss.params.weight = weight;
  graph.link(guide, 'feature', id, 'guide');
  graph.link(guided, 'feature', id, 'guided');
  return loss;
}

/**
 * Relational knowledge on the Hinton pair: SP (Tung & Mori 2019), RKD (Park et al. 2019) and PKT
 * (Passalis & Tefas 2018) on the last hidden layers, each at its RepDistiller weight, next to
 * cross-entropy and KD. A showcase of the B x B views (the methods are usually used one at a time).
 */
export function relationsMnist(): ExperimentFile {
  const graph = withModels('hinton-teacher', 'hinton-student', ['Teacher 1200-1200 (dropout)', 'Student 800-800']);
  addTrainer(graph, 'trainer', 'Distil', mlpSettings, { x: column(4), y: 260 });
  addCrossEntropyAndKd(graph, 4, column(3), 0, 'trainer');
  const relational: [string, string, number][] = [['sp', 'SP (relu2)', 3000], ['rkd', 'RKD (relu2)', 1], ['pkt', 'PKT (relu2)', 500]];
  relational.forEach(([lossId, label, weight], i) => {
    addFeatureLoss(graph, lossId, lossId, label, ['relu2', 'relu2'], weight, { x: column(3), y: 380 + i * 130 });
    graph.link(lossId, 'loss', 'trainer', 'losses');
  });
  return graph.file('Relational knowledge: SP, RKD, PKT',
    'The Hinton pair with cross-entropy and KD (T = 4) plus three relational losses on the last hidden layers, at ' +
    'RepDistiller\'s weights: similarity preserving (3000), relational KD (distance 25 + angle 50) and PKT (500). ' +
    'The dashboard shows the probe batch\'s B x B matrices of teacher and student.');
}

/**
 * Teacher-free KD (Yuan et al. 2020, Tf-KD_reg): no teacher network; the student learns from a
 * virtual teacher that puts probability a on the true class (label smoothing seen as KD).
 */
export function teacherFreeMnist(): ExperimentFile {
  const graph = new GraphBuilder();
  graph.add(createNode('dataset', { id: 'dataset', label: 'MNIST', position: { x: column(0), y: 260 } }));
  addModel(graph, 'student', 'student', 'hinton-student', 'Student 800-800', { x: column(1), y: 260 });
  addTrainer(graph, 'trainer', 'Train with a virtual teacher', mlpSettings, { x: column(3), y: 260 });
  const ce = graph.add(createNode('loss', { id: 'ce', lossId: 'ce', label: 'Cross-entropy', position: { x: column(2), y: 360 } }));
  ce.params.weight = 0.1;
  graph.add(createNode('loss', { id: 'tfkd', lossId: 'tfkd', label: 'Tf-KD (virtual teacher)', position: { x: column(2), y: 160 } }));
  graph.link('student', 'logits', 'ce', 'logits');
  graph.link('dataset', 'labels', 'ce', 'labels');
  graph.link('student', 'logits', 'tfkd', 'logits');
  graph.link('dataset', 'labels', 'tfkd', 'labels');
  graph.link('ce', 'loss', 'trainer', 'losses');
  graph.link('tfkd', 'loss', 'trainer', 'losses');
  return graph.file('Teacher-free KD (virtual teacher)',
    'Yuan et al. (2020): without any teacher network, the 800-800 student learns from a virtual teacher that gives ' +
    'the true class probability 0.9 and spreads the rest evenly (cross-entropy 0.1 + Tf-KD 0.9).');
}

/**
 * Neuron selectivity transfer (Huang & Wang 2017) on the CNN pair's relu3 maps (polynomial kernel,
 * RepDistiller's weight 50) with KD stopped early (Cho & Hariharan 2019): KD is on for the first
 * two of three epochs, then the student trains on the labels and NST only.
 */
export function nstEarlyStopMnist(): ExperimentFile {
  const graph = withModels('cnn-teacher', 'cnn-student', ['CNN teacher', 'CNN student']);
  const trainer = addTrainer(graph, 'trainer', 'Distil (KD stops after epoch 2)', { ...cnnSettings, epochs: 3 }, { x: column(4), y: 260 });
  trainer.params.weightSchedules = { kd: { kind: 'stepToZero', atEpoch: 2 } };
  addCrossEntropyAndKd(graph, 4, column(3), 0, 'trainer');
  addFeatureLoss(graph, 'nst', 'nst', 'NST (relu3)', ['relu3', 'relu3'], 50, { x: column(3), y: 420 });
  graph.link('nst', 'loss', 'trainer', 'losses');
  return graph.file('NST with early-stopped KD',
    'The CNN pair: neuron selectivity transfer on relu3 (polynomial kernel, weight 50) with cross-entropy, and KD ' +
    '(T = 4) cut to zero after epoch 2 of 3 (ESKD).');
}

/**
 * Adversarial KD (Xu et al. 2018), conditional form: the Hinton pair's student learns from the
 * labels, from a discriminator it tries to fool (C + 2 outputs: class and real/fake) and from the
 * L1 distance to the teacher's logits; the discriminator trains in turn with its own Adam.
 */
export function adversarialMnist(): ExperimentFile {
  const graph = withModels('hinton-teacher', 'hinton-student', ['Teacher 1200-1200 (dropout)', 'Student 800-800']);
  addTrainer(graph, 'trainer', 'Student vs discriminator', mlpSettings, { x: column(3), y: 260 });
  const ce = graph.add(createNode('loss', { id: 'ce', lossId: 'ce', label: 'Cross-entropy', position: { x: column(2), y: 380 } }));
  ce.params.weight = 1;
  const adversarial = graph.add(createNode('loss', { id: 'adversarial', lossId: 'adversarial', label: 'Adversarial KD (conditional, L1)', position: { x: column(2), y: 120 } }));
  adversarial.params.params = { ...adversarial.params.params, conditional: 1, l1: 1 };
  graph.link('student', 'logits', 'ce', 'logits');
  graph.link('dataset', 'labels', 'ce', 'labels');
  graph.link('teacher', 'logits', 'adversarial', 'teacherLogits');
  graph.link('student', 'logits', 'adversarial', 'studentLogits');
  graph.link('dataset', 'labels', 'adversarial', 'labels');
  graph.link('ce', 'loss', 'trainer', 'losses');
  graph.link('adversarial', 'loss', 'trainer', 'losses');
  return graph.file('Adversarial KD (conditional)',
    'Xu et al. (2018): a small discriminator learns to tell the teacher\'s logits from the 800-800 student\'s, and to ' +
    'name the class; the student learns from the labels, from fooling it, and from the L1 distance to the teacher\'s ' +
    'logits. The dashboard charts the discriminator\'s accuracy per step.');
}

/**
 * Contrastive representation distillation (Tian et al. 2020) on the Hinton pair's last hidden
 * layers, with cross-entropy as RepDistiller trains it (CE 1 + CRD 0.8). 1,024 negatives per image
 * instead of the paper's 16,384: the quick preset holds 10,000 training images, and each step
 * gathers batch x negatives embeddings per side.
 */
export function contrastiveMnist(): ExperimentFile {
  const graph = withModels('hinton-teacher', 'hinton-student', ['Teacher 1200-1200 (dropout)', 'Student 800-800']);
  addTrainer(graph, 'trainer', 'Distil (contrastive)', mlpSettings, { x: column(4), y: 260 });
  addCrossEntropy(graph, 'trainer', { x: column(3), y: 120 });
  const crd = addFeatureLoss(graph, 'crd', 'crd', 'CRD (relu2)', ['relu2', 'relu2'], 0.8, { x: column(3), y: 380 });
  crd.params.params = { ...crd.params.params, negatives: 1024 };
  graph.link('crd', 'loss', 'trainer', 'losses');
  return graph.file('CRD: contrastive representations',
    'Tian et al. (2020): the 800-800 student\'s last hidden layer is embedded and must pick out the teacher\'s embedding ' +
    'of the same image among 1,024 others kept in a memory bank (the paper uses 16,384); cross-entropy 1 + CRD 0.8, as RepDistiller.');
}

/**
 * Factor transfer (Kim et al. 2018) on the CNN pair: the paraphraser first learns to rebuild the
 * teacher's relu4 maps [7, 7, 16] through an 8-channel factor (one epoch here; RepDistiller 30), then
 * the student's pool2 maps [7, 7, 8] learn, through the translator, to give the same factor, with
 * cross-entropy (the paper's pairing, no KD).
 */
export function factorTransferMnist(): ExperimentFile {
  const graph = withModels('cnn-teacher', 'cnn-student', ['CNN teacher', 'CNN student']);
  addTrainer(graph, 'trainer', 'Distil (factor transfer)', cnnSettings, { x: column(4), y: 260 });
  addCrossEntropy(graph, 'trainer', { x: column(3), y: 120 });
  const ft = addFeatureLoss(graph, 'ft', 'ft', 'FT (relu4 -> pool2)', ['relu4', 'pool2'], 1, { x: column(3), y: 380 });
  ft.params.params = { ...ft.params.params, paraphraserEpochs: 1 };
  graph.link('ft', 'loss', 'trainer', 'losses');
  return graph.file('FT: factor transfer',
    'Kim et al. (2018): a paraphraser first learns, alone for one epoch, to compress the CNN teacher\'s relu4 maps into an ' +
    '8-channel factor and rebuild them; then a translator on the student\'s pool2 maps learns to give the same normalised ' +
    'factor (L1), next to cross-entropy.');
}

function addCrossEntropy(graph: GraphBuilder, trainerId: string, position: { x: number; y: number }): void {
  const ce = graph.add(createNode('loss', { id: 'ce', lossId: 'ce', label: 'Cross-entropy', position }));
  ce.params.weight = 1;
  graph.link('student', 'logits', 'ce', 'logits');
  graph.link('dataset', 'labels', 'ce', 'labels');
  graph.link('ce', 'loss', trainerId, 'losses');
}

/**
 * Correlation congruence (Peng et al. 2019) on the Hinton pair's last hidden layers, with
 * cross-entropy and KD as in the paper, on class-uniform batches (8 images from each of 8 classes),
 * the sampler the paper pairs it with so that each batch holds correlations within and across classes.
 */
export function correlationCongruenceMnist(): ExperimentFile {
  const graph = withModels('hinton-teacher', 'hinton-student', ['Teacher 1200-1200 (dropout)', 'Student 800-800']);
  const dataset = graph.nodes.find((node): node is NodeOf<'dataset'> => node.kind === 'dataset')!;
  dataset.params.sampler = { kind: 'classUniform', samplesPerClass: 8 };
  // The teacher is the Hinton presets' shipped one, trained on shuffled batches.
  const teacher = graph.nodes.find((node): node is NodeOf<'model'> => node.id === 'teacher')!;
  teacher.params.teacherTraining = { ...teacher.params.teacherTraining!, sampler: { kind: 'shuffled' } };
  addTrainer(graph, 'trainer', 'Distil (correlation congruence)', mlpSettings, { x: column(4), y: 260 });
  addCrossEntropyAndKd(graph, 4, column(3), 0, 'trainer');
  addFeatureLoss(graph, 'cc', 'cc', 'CC (relu2)', ['relu2', 'relu2'], 100, { x: column(3), y: 420 });
  graph.link('cc', 'loss', 'trainer', 'losses');
  return graph.file('CC: correlation congruence',
    'Peng et al. (2019): the 800-800 student matches the correlations between samples that the teacher\'s last hidden ' +
    'layer shows (a Gaussian kernel by its Taylor series, gamma 0.4, P = 2, on learned 128-d embeddings), next to ' +
    'cross-entropy and KD (T = 4). Batches hold 8 images from each of 8 classes (class-uniform sampling).');
}

/**
 * Instance relationship graph (Liu et al. 2019) on the Hinton pair: vertices are the logits, edges the
 * batch's distance matrices at relu1 and relu2, and the transformation the change of each sample from
 * relu1 to relu2 (both layers have equal widths in each network), next to cross-entropy.
 */
export function instanceGraphMnist(): ExperimentFile {
  const graph = withModels('hinton-teacher', 'hinton-student', ['Teacher 1200-1200 (dropout)', 'Student 800-800']);
  addTrainer(graph, 'trainer', 'Distil (instance graph)', mlpSettings, { x: column(4), y: 260 });
  addCrossEntropy(graph, 'trainer', { x: column(3), y: 80 });
  graph.add(createNode('loss', { id: 'irg', lossId: 'irg', label: 'IRG (logits, relu1 -> relu2)', position: { x: column(3), y: 380 } }));
  const taps: [string, string][] = [['guide1', addTap(graph, 'guide', 'relu1', { x: column(2), y: 60 })], ['guide2', addTap(graph, 'guide', 'relu2', { x: column(2), y: 180 })],
    ['guided1', addTap(graph, 'guided', 'relu1', { x: column(2), y: 420 })], ['guided2', addTap(graph, 'guided', 'relu2', { x: column(2), y: 540 })]];
  for (const [port, tap] of taps) graph.link(tap, 'feature', 'irg', port);
  graph.link('teacher', 'logits', 'irg', 'teacherLogits');
  graph.link('student', 'logits', 'irg', 'studentLogits');
  graph.link('irg', 'loss', 'trainer', 'losses');
  return graph.file('IRG: instance relationship graph',
    'Liu et al. (2019): the 800-800 student keeps the teacher\'s graph of the batch: its logits (vertices), the distances ' +
    'between samples at relu1 and relu2 (edges), and how far each sample moves from relu1 to relu2 (transformation), next ' +
    'to cross-entropy.');
}

/**
 * A tolerant teacher (Yang et al. 2019): the 1200-1200 network is trained by a stage with
 * cross-entropy plus the top score difference, which keeps its secondary classes from being squeezed
 * to zero, and then teaches the 800-800 student with KD (T = 4), one phase after the other.
 */
export function tolerantTeacherMnist(): ExperimentFile {
  const graph = new GraphBuilder();
  graph.add(createNode('dataset', { id: 'dataset', label: 'MNIST', position: { x: column(0), y: 260 } }));
  addModel(graph, 'teacher', 'assistant', 'hinton-teacher', 'Tolerant teacher 1200-1200', { x: column(1), y: 80 });
  addModel(graph, 'student', 'student', 'hinton-student', 'Student 800-800', { x: column(1), y: 440 });
  addTrainer(graph, 'trainer-teacher', 'Train the tolerant teacher', mlpSettings, { x: column(3), y: 80 });
  addTrainer(graph, 'trainer-student', 'Distil', mlpSettings, { x: column(3), y: 440 });
  const ce = graph.add(createNode('loss', { id: 'ce-teacher', lossId: 'ce', label: 'Cross-entropy (teacher)', position: { x: column(2), y: 0 } }));
  ce.params.weight = 1;
  graph.add(createNode('loss', { id: 'tsd', lossId: 'tsd', label: 'Top score difference', position: { x: column(2), y: 140 } }));
  graph.link('teacher', 'logits', 'ce-teacher', 'logits');
  graph.link('dataset', 'labels', 'ce-teacher', 'labels');
  graph.link('teacher', 'logits', 'tsd', 'logits');
  graph.link('dataset', 'labels', 'tsd', 'labels');
  graph.link('ce-teacher', 'loss', 'trainer-teacher', 'losses');
  graph.link('tsd', 'loss', 'trainer-teacher', 'losses');
  addLearnsFrom(graph, 'student', 'teacher', 'trainer-student', { ce: 0.1, kd: 0.9, temperature: 4 }, { x: column(2), y: 400 });
  return graph.file('TSD: a tolerant teacher',
    'Yang et al. (2019): the 1200-1200 teacher is trained with cross-entropy plus the top score difference (K = 5), which ' +
    'keeps some probability on its next most likely classes; then it teaches the 800-800 student with cross-entropy 0.1 ' +
    'and KD 0.9 at T = 4.');
}

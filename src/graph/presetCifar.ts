import type { ExperimentFile } from './schema';
import { createNode, trainerSettings } from './factory';
import {
  addCrossEntropyAndKd, addInitialisationThenKd, addModel, addTap, addTrainer, cifarSettings, column, GraphBuilder, presetDatasets,
  withCifarAugmentation, withModels,
} from './presetBuilder';

/**
 * CIFAR-10 presets. The laptop-size three (KD, AT, FitNet) share one pair of plain CNNs
 * (src/models/cifarPresets.ts: cifar-cnn-teacher 16-16-32-32-64, cifar-cnn-student 8-16-32) and
 * one teacher, trained on all 50,000 images and shipped pretrained; the students learn on a
 * 10,000-image subset with random shifts and flips. The WRN-40-2 -> WRN-16-2 preset is RepDistiller's
 * recipe at paper scale, for a GPU.
 */

const CIFAR_LABELS: [string, string] = ['CNN teacher 16-16-32-32-64', 'CNN student 8-16-32'];
const CIFAR_SUBSET = 10_000;

function cifarPair(): GraphBuilder {
  const graph = withModels('cifar-cnn-teacher', 'cifar-cnn-student', CIFAR_LABELS, presetDatasets.cifar10);
  withCifarAugmentation(graph, CIFAR_SUBSET);
  return graph;
}

export function cifarKd(): ExperimentFile {
  const graph = cifarPair();
  addTrainer(graph, 'trainer', 'Distil', cifarSettings, { x: column(3), y: 260 });
  addCrossEntropyAndKd(graph, 4, column(2), 160, 'trainer');
  return graph.file('CIFAR-10: CNN KD',
    'Hinton et al. (2015) on colour images: a small CNN teacher (shipped pretrained on all 50,000 CIFAR-10 images) ' +
    'teaches a CNN with half its width and fewer layers through cross-entropy (weight 0.1) and KD at T = 4 ' +
    '(weight 0.9), on 10,000 training images with random shifts of up to 4 px and horizontal flips.');
}

/** Zagoruyko & Komodakis (2017): cross-entropy plus attention transfer at the end of each of the three resolutions. */
export function cifarAttention(): ExperimentFile {
  const graph = cifarPair();
  const pairs: [string, string][] = [['relu2', 'relu1'], ['relu4', 'relu2'], ['relu5', 'relu3']];
  addTrainer(graph, 'trainer', 'Attention transfer', cifarSettings, { x: column(4), y: 260 });
  const ce = graph.add(createNode('loss', { id: 'ce', lossId: 'ce', label: 'Cross-entropy', position: { x: column(3), y: 0 } }));
  ce.params.weight = 1;
  graph.link('student', 'logits', 'ce', 'logits');
  graph.link('dataset', 'labels', 'ce', 'labels');
  graph.link('ce', 'loss', 'trainer', 'losses');
  pairs.forEach(([teacherLayer, studentLayer], i) => {
    const guide = addTap(graph, 'guide', teacherLayer, { x: column(2), y: 40 + i * 220 });
    const guided = addTap(graph, 'guided', studentLayer, { x: column(2), y: 150 + i * 220 });
    const id = `at${i + 1}`;
    graph.add(createNode('loss', { id, lossId: 'at', label: `AT ${teacherLayer} -> ${studentLayer}`, position: { x: column(3), y: 160 + i * 160 } }));
    graph.link(guide, 'feature', id, 'guide');
    graph.link(guided, 'feature', id, 'guided');
    graph.link(id, 'loss', 'trainer', 'losses');
  });
  return graph.file('CIFAR-10: CNN attention transfer',
    'Zagoruyko and Komodakis (2017): the CIFAR-10 CNN student learns from the labels (cross-entropy) and matches the ' +
    'teacher\'s attention maps at 32 x 32, 16 x 16 and 8 x 8 (beta = 1000, the paper\'s), on 10,000 training images ' +
    'with shifts and flips. The teacher ships pretrained.');
}

/** Romero et al. (2015): hints from the teacher's relu4 [16, 16, 32] into the student's relu2 [16, 16, 16] through a 1x1 conv, then KD. */
export function cifarFitnet(): ExperimentFile {
  const graph = cifarPair();
  const guide = addTap(graph, 'guide', 'relu4', { x: column(2), y: 80 });
  const guided = addTap(graph, 'guided', 'relu2', { x: column(2), y: 440 });
  graph.add(createNode('loss', { id: 'hint', lossId: 'fitnet', label: 'FitNet hint', position: { x: column(3), y: 260 } }));
  graph.link(guide, 'feature', 'hint', 'guide');
  graph.link(guided, 'feature', 'hint', 'guided');
  addInitialisationThenKd(graph,
    { id: 'stage-hints', name: 'Stage 1: hints', trainUpTo: 'relu2', lossIds: ['hint'], position: { x: column(4), y: 260 } },
    { temperature: 4, trainerPosition: { x: column(5), y: 260 }, lossesAt: { x: column(4), y: 420 } },
    cifarSettings);
  return graph.file('CIFAR-10: FitNet hints, then KD',
    'Romero et al. (2015) in two stages on CIFAR-10: stage 1 trains the CNN student up to relu2 [16 x 16 x 16], through ' +
    'a 1x1-convolution adapter, to reproduce the teacher\'s relu4 [16 x 16 x 32] for one epoch; stage 2 trains the ' +
    'whole student with cross-entropy and KD (T = 4). 10,000 training images with shifts and flips.');
}

/** RepDistiller's training recipe (Tian et al. 2020): SGD, momentum 0.9, lr 0.05, weight decay 5e-4, batch 64, 240 epochs. */
export const repDistillerSettings = trainerSettings({
  optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, epochs: 240, batchSize: 64, seed: 1, lrSchedule: { kind: 'cosine' },
});

export function cifarWrnKd(): ExperimentFile {
  const graph = new GraphBuilder();
  const dataset = graph.add(createNode('dataset', { id: 'dataset', label: presetDatasets.cifar10.label, position: { x: column(0), y: 260 } }));
  dataset.params.datasetId = presetDatasets.cifar10.id;
  withCifarAugmentation(graph, null);
  const teacher = addModel(graph, 'teacher', 'teacher', 'wrn-40-2', 'WRN-40-2 teacher', { x: column(1), y: 80 });
  teacher.params.teacherTraining = structuredClone(repDistillerSettings);
  addModel(graph, 'student', 'student', 'wrn-16-2', 'WRN-16-2 student', { x: column(1), y: 440 });
  addTrainer(graph, 'trainer', 'Distil', repDistillerSettings, { x: column(3), y: 260 });
  addCrossEntropyAndKd(graph, 4, column(2), 160, 'trainer');
  return graph.file('CIFAR-10: WRN-40-2 -> WRN-16-2 KD (paper scale)',
    'RepDistiller\'s KD setting (Tian et al. 2020) on CIFAR-10: WRN-40-2 teaches WRN-16-2 with cross-entropy (weight 0.1) ' +
    'and KD at T = 4 (weight 0.9); SGD with momentum 0.9, learning rate 0.05, weight decay 5e-4, batch 64, 240 epochs ' +
    'for the teacher and for the student, all 50,000 images with shifts of up to 4 px and flips. Paper scale: meant ' +
    'for a GPU (export it to PyTorch); on a laptop CPU one epoch takes hours. Differences from the paper: RepDistiller ' +
    'reports CIFAR-100 and divides the rate by 10 at epochs 150, 180 and 210, here a cosine schedule; no pretrained ' +
    'teacher ships (the published weights could not be downloaded here), so the teacher trains first.');
}

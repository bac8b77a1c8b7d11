import type { ExperimentFile, NodeOf, TrainerSettings } from './schema';
import { createNode } from './factory';
import { orderChains } from './phases';
import {
  addCrossEntropyAndKd, addInitialisationThenKd, addTap, addTrainer, cnnSettings, column, mlpSettings, presetDatasets, withModels,
  type SharedTeacher,
} from './presetBuilder';
import {
  adversarialMnist, bornAgainMnist, contrastiveMnist, correlationCongruenceMnist, factorTransferMnist, instanceGraphMnist, tolerantTeacherMnist, mutualLearningMnist, nstEarlyStopMnist, relationsMnist, teacherAssistantMnist, teacherFreeMnist,
} from './presetSchemes';
import { selfDistillationMnist } from './presetSelfDistillation';
import { bornAgainEnsembleMnist } from './presetEnsemble';
import { cifarAttention, cifarFitnet, cifarKd, cifarWrnKd } from './presetCifar';
import { pruneWhileDistillingMnist } from './presetPruning';

/**
 * The source of the preset experiment files in public/presets/ (the app and the headless runner
 * open those files). presets.test.ts checks the files equal these builders' output; run it with
 * UPDATE_PRESETS=1 to rewrite them after an architecture preset changes. The one-teacher, one-student
 * presets are here; the schemes' are in presetSchemes.ts.
 */

/** A teacher, a student and one trainer with Hinton's cross-entropy + KD: the shape of most one-pair presets. */
interface SoftTargetPair {
  teacher: SharedTeacher;
  student: string;
  labels: [string, string];
  settings: TrainerSettings;
  temperature: number;
  dataset?: { id: string; label: string };
}

function softTargetPreset(pair: SoftTargetPair, name: string, description: string): ExperimentFile {
  const graph = withModels(pair.teacher, pair.student, pair.labels, pair.dataset);
  addTrainer(graph, 'trainer', 'Distil', pair.settings, { x: column(3), y: 260 });
  addCrossEntropyAndKd(graph, pair.temperature, column(2), 160, 'trainer');
  return graph.file(name, description);
}

const hintonMnist = (): ExperimentFile => softTargetPreset(
  { teacher: 'hinton-teacher', student: 'hinton-student', labels: ['Teacher 1200-1200 (dropout)', 'Student 800-800'], settings: mlpSettings, temperature: 20 },
  'Hinton KD on MNIST',
  'Hinton, Vinyals and Dean (2015): a 784-1200-1200-10 teacher with dropout teaches a 784-800-800-10 student ' +
    'through soft targets at T = 20 (cross-entropy weight 0.1, KD weight 0.9).');

const articleMnist = (): ExperimentFile => softTargetPreset(
  { teacher: 'article-teacher', student: 'article-student', labels: ['Teacher 2000-2000', 'Student 50-50'], settings: mlpSettings, temperature: 6 },
  'Tiny student (MNIST + Atlas 200DK article)',
  'The seed article\'s setting: a 2000-2000 MLP teacher distils into a 50-50 student at T = 6. The article reports ' +
    '89.68 % alone and 91.63 % distilled; the studio should beat both.');

const cnnTeachesMlp = (): ExperimentFile => softTargetPreset(
  { teacher: 'cnn-teacher', student: 'hinton-student', labels: ['CNN teacher', 'Student 800-800'], settings: mlpSettings, temperature: 20 },
  'CNN teacher -> MLP student',
  'Soft targets cross architectures: the small CNN teacher (more accurate than any MLP here) teaches Hinton\'s ' +
    '784-800-800-10 student at T = 20 (cross-entropy weight 0.1, KD weight 0.9).');

const cnnMnistKd = (): ExperimentFile => softTargetPreset(
  { teacher: 'cnn-teacher', student: 'cnn-student', labels: ['CNN teacher', 'CNN student'], settings: cnnSettings, temperature: 4 },
  'CNN: soft targets only',
  'The CNN pair with cross-entropy and KD (T = 4) alone: the control for the FSP + attention-transfer preset.');

/** The CNN pair on clothing: harder than digits, so the teacher's soft targets carry more (shirt vs T-shirt vs pullover). */
const cnnFashionKd = (): ExperimentFile => softTargetPreset(
  { teacher: 'cnn-teacher', student: 'cnn-student', labels: ['CNN teacher', 'CNN student'], settings: cnnSettings, temperature: 4, dataset: presetDatasets.fashion },
  'CNN KD on Fashion-MNIST',
  'Fashion-MNIST (Xiao et al. 2017): the small CNN teacher distils into the smaller CNN student with cross-entropy ' +
    'and KD at T = 4, on 10,000 training images.');

/** Soft targets across architectures on clothing: the CNN teacher (89.9 %) teaches the MLP student at T = 4. */
const cnnTeachesMlpFashion = (): ExperimentFile => softTargetPreset(
  { teacher: 'cnn-teacher', student: 'hinton-student', labels: ['CNN teacher', 'Student 800-800'], settings: mlpSettings, temperature: 4, dataset: presetDatasets.fashion },
  'CNN teacher -> MLP student on Fashion-MNIST',
  'The small CNN teacher, shipped pretrained on Fashion-MNIST, teaches the 784-800-800-10 MLP student through soft ' +
    'targets at T = 4 (cross-entropy weight 0.1, KD weight 0.9), on 10,000 training images.');

/**
 * Yim et al. use FSP as a first stage that initialises the student, then train on the task: stage 1
 * trains the student up to relu3 to match the teacher's FSP matrices and its relu1 attention map;
 * stage 2 trains the whole student with cross-entropy and KD. (Neither joint AT + FSP + KD at the
 * papers' weights nor this staged form shows a gain beyond seed-to-seed spread on this pair yet:
 * see the README.)
 */
function cnnMnistAttention(): ExperimentFile {
  const graph = withModels('cnn-teacher', 'cnn-student', ['CNN teacher', 'CNN student']);
  const taps = (kind: 'guide' | 'guided', top: number): string[] =>
    ['relu1', 'relu2', 'relu3'].map((layerId, i) => addTap(graph, kind, layerId, { x: column(2), y: top + i * 110 }));
  const [guide1, guide2, guide3] = taps('guide', 0);
  const [guided1, guided2, guided3] = taps('guided', 380);
  graph.add(createNode('loss', { id: 'at', lossId: 'at', label: 'Attention transfer (relu1)', position: { x: column(3), y: 360 } }));
  graph.add(createNode('loss', { id: 'fsp', lossId: 'fsp', label: 'FSP (relu2 -> relu3)', position: { x: column(3), y: 520 } }));
  graph.link(guide1, 'feature', 'at', 'guide');
  graph.link(guided1, 'feature', 'at', 'guided');
  graph.link(guide2, 'feature', 'fsp', 'guide1');
  graph.link(guide3, 'feature', 'fsp', 'guide2');
  graph.link(guided2, 'feature', 'fsp', 'guided1');
  graph.link(guided3, 'feature', 'fsp', 'guided2');
  addInitialisationThenKd(graph,
    { id: 'stage-init', name: 'Stage 1: FSP + AT', trainUpTo: 'relu3', lossIds: ['at', 'fsp'], position: { x: column(4), y: 440 } },
    { temperature: 4, trainerPosition: { x: column(5), y: 260 }, lossesAt: { x: column(3), y: 0 } });
  return graph.file('CNN: FSP + AT, then KD',
    'A small CNN teacher teaches a smaller CNN student in two stages (Yim et al. 2017): stage 1 trains the student ' +
    'up to relu3 to match the teacher\'s FSP matrices between blocks 2 and 3 and its attention map on the first ' +
    'block (same H x W, different channel counts); stage 2 trains the whole student with cross-entropy and KD (T = 4).');
}

function fitnetMnist(): ExperimentFile {
  const graph = withModels('cnn-teacher', 'cnn-student', ['CNN teacher', 'CNN student']);
  const guide = addTap(graph, 'guide', 'relu4', { x: column(2), y: 80 });
  const guided = addTap(graph, 'guided', 'pool2', { x: column(2), y: 440 });
  graph.add(createNode('loss', { id: 'hint', lossId: 'fitnet', label: 'FitNet hint', position: { x: column(3), y: 260 } }));
  graph.link(guide, 'feature', 'hint', 'guide');
  graph.link(guided, 'feature', 'hint', 'guided');
  addInitialisationThenKd(graph,
    { id: 'stage-hints', name: 'Stage 1: hints', trainUpTo: 'pool2', lossIds: ['hint'], position: { x: column(4), y: 260 } },
    { temperature: 4, trainerPosition: { x: column(5), y: 260 }, lossesAt: { x: column(4), y: 420 } });
  return graph.file('FitNet: hints, then KD',
    'Romero et al. (2015) in two stages: stage 1 trains the student up to pool2, through a 1x1-convolution adapter, ' +
    'to reproduce the teacher\'s relu4 features; stage 2 trains the whole student with cross-entropy and KD (T = 4).');
}

/**
 * Full-data variants: all 55,000 training images and cosine-annealed rates. Their teachers are the
 * quick presets' (shared, shipped pretrained: see sharedTeacherTraining). These are the runs behind
 * the figures in the README (`npm run experiment -- public/presets/<file> --backend wasm`); in the
 * browser they take up to an hour.
 */
export interface FullDataRecipe {
  /** The quick preset this one scales up. */
  base: string;
  /** Epochs of a teacher-role network that is not a shared teacher (born-again generation 0); absent = none. */
  ownTeacherEpochs?: number;
  /** Epochs of the final, whole-student stage; initialisation stages (`trainUpTo` set) keep theirs. */
  studentEpochs: number;
}

export const fullDataRecipes: Readonly<Record<string, FullDataRecipe>> = {
  'hinton-mnist-full.json': { base: 'hinton-mnist.json', studentEpochs: 20 },
  'article-mnist-full.json': { base: 'article-mnist.json', studentEpochs: 10 },
  'cnn-mnist-at-full.json': { base: 'cnn-mnist-at.json', studentEpochs: 12 },
  'cnn-mnist-kd-full.json': { base: 'cnn-mnist-kd.json', studentEpochs: 6 },
  // The CNN FSP + AT recipe with FitNet hints as stage 1: same teacher, same epochs.
  'fitnet-mnist-full.json': { base: 'fitnet-mnist.json', studentEpochs: 12 },
  'cnn-mlp-mnist-full.json': { base: 'cnn-mlp-mnist.json', studentEpochs: 10 },
  // No teacher. Each peer trains as long as the article's student.
  'dml-mnist-full.json': { base: 'dml-mnist.json', studentEpochs: 10 },
  // The article's teacher, then 10 epochs for each step of the chain.
  'ta-mnist-full.json': { base: 'ta-mnist.json', studentEpochs: 10 },
  // Every generation trains as long: generation 0 (the teacher role) as well.
  'ban-mnist-full.json': { base: 'ban-mnist.json', ownTeacherEpochs: 10, studentEpochs: 10 },
};

function fullData(recipe: FullDataRecipe): ExperimentFile {
  const experiment = buildPresetExperiment(recipe.base);
  for (const node of experiment.nodes) {
    if (node.kind === 'dataset') node.params.trainSubset = null;
    if (node.kind === 'trainer' && node.params.trainUpTo === null) {
      node.params = { ...node.params, epochs: recipe.studentEpochs, lrSchedule: { kind: 'cosine' } };
    }
    const training = node.kind === 'model' ? node.params.teacherTraining : undefined;
    if (node.kind !== 'model' || training === undefined) continue;
    if (training.trainSubset === null) {
      // A shared teacher: all the images already, so its own "all images" is left out (same key, simpler file).
      const { trainSubset: _allImages, ...shared } = training;
      node.params.teacherTraining = shared;
    } else {
      if (recipe.ownTeacherEpochs === undefined) throw new Error(`${recipe.base}: '${node.id}' is not a shared teacher and the full recipe sets no epochs for it.`);
      node.params.teacherTraining = { ...training, epochs: recipe.ownTeacherEpochs, lrSchedule: { kind: 'cosine' } };
    }
  }
  const settings = fullDataSettings(experiment);
  return { ...experiment, name: `${experiment.name} (full MNIST)`, description: `${experiment.description} ${settings}` };
}

/** The settings sentence of a full-data preset, read from the scaled experiment (used in its description and the index). */
function fullDataSettings(experiment: ExperimentFile): string {
  const stageEpochs = experiment.nodes.flatMap((node) => (node.kind === 'trainer' ? [node.params.epochs] : []));
  const studentBatch = experiment.nodes.find((node) => node.kind === 'trainer')?.params.batchSize;
  const total = stageEpochs.reduce((sum, epochs) => sum + epochs, 0);
  const chains = orderChains(experiment).ordered;
  const students = chains.length > 1 || chains[0]?.learners.length !== 1
    ? `each stage ${stageEpochs.join(', ')} epochs, baselines as long`
    : stageEpochs.length === 1
      ? `student and baseline ${total} epochs`
      : `student stages ${stageEpochs.join(' + ')} epochs, baseline ${total}`;
  const training = experiment.nodes.find((node): node is NodeOf<'model'> => node.kind === 'model' && node.params.role === 'teacher')?.params.teacherTraining;
  const teacher = training === undefined ? '' : [
    `teacher ${training.epochs} epochs`,
    training.batchSize !== studentBatch ? ` (batch ${training.batchSize})` : '',
    training.augmentShift ? ` with random shifts of up to ${training.augmentShift} px` : '',
    ', ',
  ].join('');
  return `Full MNIST: all training images, ${teacher}${students}, cosine learning rate.`;
}

export interface PresetEntry {
  file: string;
  name: string;
  description: string;
}

const builders: Record<string, () => ExperimentFile> = {
  'hinton-mnist.json': hintonMnist,
  'article-mnist.json': articleMnist,
  'cnn-mnist-at.json': cnnMnistAttention,
  'fitnet-mnist.json': fitnetMnist,
  'cnn-mnist-kd.json': cnnMnistKd,
  'cnn-mlp-mnist.json': cnnTeachesMlp,
  'dml-mnist.json': mutualLearningMnist,
  'ta-mnist.json': teacherAssistantMnist,
  'ban-mnist.json': bornAgainMnist,
  'ban-ensemble-mnist.json': bornAgainEnsembleMnist,
  'relations-mnist.json': relationsMnist,
  'tfkd-mnist.json': teacherFreeMnist,
  'self-distillation-mnist.json': selfDistillationMnist,
  'nst-eskd-mnist.json': nstEarlyStopMnist,
  'adversarial-mnist.json': adversarialMnist,
  'crd-mnist.json': contrastiveMnist,
  'ft-mnist.json': factorTransferMnist,
  'cc-mnist.json': correlationCongruenceMnist,
  'irg-mnist.json': instanceGraphMnist,
  'tsd-mnist.json': tolerantTeacherMnist,
  'cnn-fashion-kd.json': cnnFashionKd,
  'cnn-mlp-fashion.json': cnnTeachesMlpFashion,
  'prune-kd-mnist.json': pruneWhileDistillingMnist,
  'cifar10-kd.json': cifarKd,
  'cifar10-at.json': cifarAttention,
  'cifar10-fitnet.json': cifarFitnet,
  'cifar10-wrn-kd.json': cifarWrnKd,
};

/** Builds the preset experiment stored in `file` (a name from presetIndex). */
export function buildPresetExperiment(file: string): ExperimentFile {
  const recipe = fullDataRecipes[file];
  if (recipe !== undefined) return fullData(recipe);
  const build = builders[file];
  if (build === undefined) throw new Error(`No preset '${file}'; presets: ${presetIndex.map((entry) => entry.file).join(', ')}.`);
  return build();
}

/** An index entry of a full-data preset: its description ends with the settings its file holds. */
function fullDataEntry(file: string, name: string, lead: string, duration = ''): PresetEntry {
  const recipe = fullDataRecipes[file];
  const settings = fullDataSettings(fullData(recipe));
  return { file, name, description: [lead, settings, duration].filter((part) => part !== '').join(' ') };
}

/** public/presets/index.json, in the order the app lists them. */
export const presetIndex: readonly PresetEntry[] = [
  { file: 'hinton-mnist.json', name: 'Hinton KD on MNIST', description: 'MLP teacher 1200-1200 -> student 800-800, soft targets at T = 20.' },
  { file: 'article-mnist.json', name: 'Tiny student (article)', description: 'MLP teacher 2000-2000 -> student 50-50 at T = 6, the MNIST + Atlas 200DK article.' },
  { file: 'cnn-mnist-at.json', name: 'CNN: FSP + AT, then KD', description: 'Small CNN teacher -> smaller CNN student: stage 1 matches FSP matrices and attention maps, stage 2 soft targets.' },
  { file: 'fitnet-mnist.json', name: 'FitNet: hints, then KD', description: 'Two stages: a FitNet hint through a 1x1-conv adapter, then cross-entropy and KD.' },
  { file: 'cnn-mnist-kd.json', name: 'CNN: soft targets only', description: 'The CNN pair with cross-entropy and KD alone (the control for FSP + AT).' },
  { file: 'cnn-mlp-mnist.json', name: 'CNN teacher -> MLP student', description: 'The small CNN teaches the 800-800 MLP student through soft targets at T = 20.' },
  { file: 'dml-mnist.json', name: 'Mutual learning: two peers', description: 'Deep mutual learning: two 50-50 MLPs train together, each learning from the other (no teacher).' },
  { file: 'ta-mnist.json', name: 'Teacher assistant chain', description: '2000-2000 teacher -> 800-800 assistant -> 50-50 student, one distillation after the other.' },
  { file: 'ban-mnist.json', name: 'Born-again networks', description: 'Three generations of the same 50-50 MLP, each taught only by the one before.' },
  { file: 'ban-ensemble-mnist.json', name: 'Born-again ensembles', description: 'Three generations of the 50-50 MLP: generation 2 learns from the average of generations 0 and 1; the average of all three is reported.' },
  { file: 'relations-mnist.json', name: 'Relational knowledge: SP, RKD, PKT', description: 'The Hinton pair with KD plus three relational losses; the dashboard shows their B x B matrices.' },
  { file: 'tfkd-mnist.json', name: 'Teacher-free KD', description: 'No teacher: the 800-800 student learns from a virtual teacher (label smoothing as KD).' },
  { file: 'self-distillation-mnist.json', name: 'Self-distillation (Be Your Own Teacher)', description: 'No teacher: classifiers on two shallow layers of the CNN student learn from the labels and from its own final logits (T = 3).' },
  { file: 'adversarial-mnist.json', name: 'Adversarial KD', description: 'The Hinton pair: a discriminator on logits (conditional, with the L1 term) trained in turn with the student.' },
  { file: 'crd-mnist.json', name: 'CRD: contrastive representations', description: 'The Hinton pair: the student picks out the teacher\'s embedding of each image among 1,024 others in a memory bank.' },
  { file: 'ft-mnist.json', name: 'FT: factor transfer', description: 'CNN pair: a paraphraser pre-trains on the teacher\'s maps, then the student\'s translator learns its factor.' },
  { file: 'cc-mnist.json', name: 'CC: correlation congruence', description: 'The Hinton pair with KD plus the correlations between samples, on class-uniform batches.' },
  { file: 'irg-mnist.json', name: 'IRG: instance relationship graph', description: 'The Hinton pair: logits, distances between samples at two layers, and each sample\'s change between them.' },
  { file: 'tsd-mnist.json', name: 'TSD: a tolerant teacher', description: 'The teacher trains with the top score difference, then teaches the student with KD.' },
  { file: 'nst-eskd-mnist.json', name: 'NST with early-stopped KD', description: 'CNN pair: neuron selectivity transfer on relu3, KD cut to zero after epoch 2 of 3.' },
  { file: 'cnn-fashion-kd.json', name: 'CNN KD on Fashion-MNIST', description: 'Clothing instead of digits: the CNN pair with cross-entropy and KD at T = 4.' },
  { file: 'cnn-mlp-fashion.json', name: 'CNN teacher -> MLP student, Fashion-MNIST', description: 'Clothing: the shipped CNN teacher teaches the 800-800 MLP student through soft targets at T = 4.' },
  { file: 'prune-kd-mnist.json', name: 'Pruning: KD while pruning, then KD fine-tune', description: 'The Hinton pair: the 800-800 student is distilled while its hidden kernels are pruned to 90 % zeros, then fine-tuned with KD on the surviving weights.' },
  { file: 'cifar10-kd.json', name: 'CIFAR-10: CNN KD', description: 'Colour images: a shipped CNN teacher teaches a narrower CNN student with cross-entropy and KD at T = 4, on 10,000 images with shifts and flips.' },
  { file: 'cifar10-at.json', name: 'CIFAR-10: CNN attention transfer', description: 'The CIFAR-10 CNN pair: cross-entropy plus attention transfer at three resolutions (beta = 1000).' },
  { file: 'cifar10-fitnet.json', name: 'CIFAR-10: FitNet hints, then KD', description: 'The CIFAR-10 CNN pair in two stages: a hint through a 1x1-conv adapter, then cross-entropy and KD.' },
  { file: 'cifar10-wrn-kd.json', name: 'CIFAR-10: WRN-40-2 -> WRN-16-2 KD (paper scale, GPU)', description: 'RepDistiller\'s recipe: SGD 0.05, momentum 0.9, weight decay 5e-4, batch 64, 240 epochs, T = 4, all images. Slow on a CPU (hours per epoch); no pretrained teacher ships.' },
  fullDataEntry('hinton-mnist-full.json', 'Hinton KD, full MNIST (long)', 'The Hinton preset.', 'Its teacher ships pretrained (98.97 % test; training it again takes about 1 h 50 min on Node wasm); baseline about 20 min, student 24.'),
  fullDataEntry('article-mnist-full.json', 'Tiny student, full MNIST (long)', 'The article preset.'),
  fullDataEntry('cnn-mnist-at-full.json', 'CNN FSP + AT, then KD, full MNIST (long)', 'The CNN preset.'),
  fullDataEntry('fitnet-mnist-full.json', 'FitNet hints, then KD, full MNIST (long)', 'The FitNet preset.'),
  fullDataEntry('cnn-mnist-kd-full.json', 'CNN soft targets only, full MNIST (long)', 'The KD-only CNN preset (the control for FSP + AT).'),
  fullDataEntry('cnn-mlp-mnist-full.json', 'CNN teacher -> MLP student, full MNIST (long)', 'CNN teacher, MLP student.'),
  fullDataEntry('dml-mnist-full.json', 'Mutual learning, full MNIST (long)', 'The mutual-learning preset.'),
  fullDataEntry('ta-mnist-full.json', 'Teacher assistant chain, full MNIST (long)', 'The teacher-assistant preset.'),
  fullDataEntry('ban-mnist-full.json', 'Born-again networks, full MNIST (long)', 'The born-again preset.'),
];

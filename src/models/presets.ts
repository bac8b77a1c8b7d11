import type { ArchitectureSpec, LayerSpec } from './spec';
import { cifarArchitecturePresets } from './cifarPresets';

export { cifarArchitecturePresets } from './cifarPresets';

/**
 * Ready architectures for MNIST-sized input [28, 28, 1]. Hidden activations are separate `relu`
 * layers so their ids are the natural guide/guided taps (the activations before dropout).
 *
 * Counts (params incl. batch-norm moving statistics; FLOPs per the convention in shapes.ts):
 * - hinton-teacher   2,395,210 params,  4.79 MFLOPs
 * - hinton-student   1,276,810 params,  2.55 MFLOPs
 * - article-teacher  5,592,010 params, 11.18 MFLOPs
 * - article-student     42,310 params,  0.08 MFLOPs
 * - cnn-teacher         22,426 params,  0.76 MFLOPs
 * - cnn-student          4,930 params,  0.43 MFLOPs
 * (presets.test.ts and builder.test.ts check the parameter counts.)
 *
 * CNN taps (teacher -> student, same id = same role):
 * - FSP pairs: ('relu2', 'relu3') in both nets, all [14, 14, 8], so both FSP matrices are 8 x 8.
 * - AT pairs (equal H, W): 'relu1' [28, 28, 8] -> 'relu1' [28, 28, 4]; 'relu2' / 'relu3' [14, 14, 8]
 *   -> 'relu2' / 'relu3' [14, 14, 8]; 'relu4' [7, 7, 16] -> 'pool2' [7, 7, 8].
 * - FitNet hint with an adapter: teacher 'relu4' [7, 7, 16] <- student 'pool2' [7, 7, 8] (conv1x1);
 *   without one: 'relu3' -> 'relu3'.
 * On the tfjs cpu backend, install conv-filter-gradient.ts first: tfjs's own conv filter gradient is
 * about 30x slower than this kernel and dominates CNN training time.
 */

const MNIST_INPUT: [number, number, number] = [28, 28, 1];

const dense = (id: string, units: number): LayerSpec => ({ kind: 'dense', id, units });
const relu = (id: string): LayerSpec => ({ kind: 'relu', id });
const dropout = (id: string, rate: number): LayerSpec => ({ kind: 'dropout', id, rate });
const flatten = (id = 'flatten'): LayerSpec => ({ kind: 'flatten', id });
const conv3x3 = (id: string, filters: number): LayerSpec =>
  ({ kind: 'conv2d', id, filters, kernelSize: 3, strides: 1, padding: 'same' });
const batchNorm = (id: string): LayerSpec => ({ kind: 'batchNorm', id, epsilon: 1e-3, momentum: 0.99 });
const maxPool2 = (id: string): LayerSpec => ({ kind: 'maxPool', id, poolSize: 2, strides: 2, padding: 'valid' });

/** conv 3x3 'same' -> batch norm -> relu, with ids conv<n>, bn<n>, relu<n>. */
const convBlock = (n: number, filters: number): LayerSpec[] =>
  [conv3x3(`conv${n}`, filters), batchNorm(`bn${n}`), relu(`relu${n}`)];

/** Two hidden layers fc1/relu1, fc2/relu2 and a 10-way 'logits' layer. */
function mlp(name: string, hidden: number, inputDropout: number, hiddenDropout: number): ArchitectureSpec {
  const hiddenBlock = (n: number): LayerSpec[] => [
    dense(`fc${n}`, hidden),
    relu(`relu${n}`),
    ...(hiddenDropout > 0 ? [dropout(`drop${n}`, hiddenDropout)] : []),
  ];
  return {
    name,
    inputShape: MNIST_INPUT,
    layers: [
      flatten(),
      ...(inputDropout > 0 ? [dropout('drop-in', inputDropout)] : []),
      ...hiddenBlock(1),
      ...hiddenBlock(2),
      dense('logits', 10),
    ],
  };
}

const cnnTeacher: ArchitectureSpec = {
  name: 'cnn-teacher',
  inputShape: MNIST_INPUT,
  layers: [
    ...convBlock(1, 8), // [28, 28, 8]
    maxPool2('pool1'), // [14, 14, 8]
    ...convBlock(2, 8),
    ...convBlock(3, 8), // FSP pair relu2, relu3: [14, 14, 8]
    maxPool2('pool2'), // [7, 7, 8]
    ...convBlock(4, 16), // [7, 7, 16]
    maxPool2('pool3'), // [3, 3, 16]
    flatten(),
    dense('fc1', 128),
    relu('relu5'),
    dropout('drop1', 0.3),
    dense('logits', 10),
  ],
};

const cnnStudent: ArchitectureSpec = {
  name: 'cnn-student',
  inputShape: MNIST_INPUT,
  layers: [
    ...convBlock(1, 4), // [28, 28, 4]
    maxPool2('pool1'), // [14, 14, 4]
    ...convBlock(2, 8),
    ...convBlock(3, 8), // FSP pair relu2, relu3: [14, 14, 8]
    maxPool2('pool2'), // [7, 7, 8]
    flatten(),
    dense('logits', 10),
  ],
};

export const architecturePresets: Record<string, ArchitectureSpec> = {
  // Hinton et al. 2015: dropout 0.2 on the input, 0.5 on the hidden layers.
  'hinton-teacher': mlp('hinton-teacher', 1200, 0.2, 0.5),
  'hinton-student': mlp('hinton-student', 800, 0, 0),
  // The MNIST + Atlas 200DK article: plain MLPs with 2000- and 50-unit hidden layers.
  'article-teacher': mlp('article-teacher', 2000, 0, 0),
  'article-student': mlp('article-student', 50, 0, 0),
  'cnn-teacher': cnnTeacher,
  'cnn-student': cnnStudent,
};

/** Every preset, MNIST-sized first, then the CIFAR-sized DAGs (cifarPresets.ts). */
export const allArchitecturePresets: Record<string, ArchitectureSpec> = { ...architecturePresets, ...cifarArchitecturePresets };

/** A deep copy, so callers can edit a preset without touching the shared table. */
export function getArchitecturePreset(id: string): ArchitectureSpec {
  const preset = allArchitecturePresets[id];
  if (!preset) {
    throw new Error(`Unknown architecture preset '${id}'; known presets: ${Object.keys(allArchitecturePresets).join(', ')}.`);
  }
  return structuredClone(preset);
}

/** Guide (teacher) -> guided (student) layer pairs that fit each method, for experiment presets. */
export interface PresetTapPairs {
  teacher: string;
  student: string;
  /** Pairs of equal [H, W] for attention transfer. */
  attention: { teacherLayerId: string; studentLayerId: string }[];
  /** Two layers per network whose FSP matrices have the same size. */
  fsp: { teacherLayerIds: [string, string]; studentLayerIds: [string, string] }[];
  /** FitNet hints; `adapter` says whether shapes differ and a regressor is needed. */
  hints: { teacherLayerId: string; studentLayerId: string; adapter: 'conv1x1' | 'dense' | null }[];
}

export const presetTapPairs: PresetTapPairs[] = [
  {
    teacher: 'cnn-teacher',
    student: 'cnn-student',
    attention: [
      { teacherLayerId: 'relu1', studentLayerId: 'relu1' },
      { teacherLayerId: 'relu2', studentLayerId: 'relu2' },
      { teacherLayerId: 'relu3', studentLayerId: 'relu3' },
      { teacherLayerId: 'relu4', studentLayerId: 'pool2' },
    ],
    fsp: [{ teacherLayerIds: ['relu2', 'relu3'], studentLayerIds: ['relu2', 'relu3'] }],
    hints: [
      { teacherLayerId: 'relu4', studentLayerId: 'pool2', adapter: 'conv1x1' },
      { teacherLayerId: 'relu3', studentLayerId: 'relu3', adapter: null },
    ],
  },
  {
    teacher: 'hinton-teacher',
    student: 'hinton-student',
    attention: [],
    fsp: [],
    hints: [{ teacherLayerId: 'relu2', studentLayerId: 'relu2', adapter: 'dense' }],
  },
  {
    teacher: 'article-teacher',
    student: 'article-student',
    attention: [],
    fsp: [],
    hints: [{ teacherLayerId: 'relu2', studentLayerId: 'relu2', adapter: 'dense' }],
  },
];

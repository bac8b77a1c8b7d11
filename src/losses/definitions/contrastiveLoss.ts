import type { LossDefinition, LossParams } from '../types';
import { checkFeature, missingPorts, readChoice, readParam, requireInput } from '../inputs';
import { CrdModule, type CrdSettings } from '../crd';

const NEGATIVES_FROM = ['other classes', 'any image'] as const;

function crdSettings(params: LossParams): CrdSettings {
  return {
    dimension: Math.round(readParam(params, 'dimension', 128)),
    negatives: Math.round(readParam(params, 'negatives', 4096)),
    temperature: readParam(params, 'temperature', 0.07),
    momentum: readParam(params, 'momentum', 0.5),
    negativesFrom: readChoice(params, 'negativesFrom', NEGATIVES_FROM, 'other classes') === 'other classes' ? 'otherClasses' : 'anyImage',
  };
}

export const contrastiveRepresentationLoss: LossDefinition = {
  id: 'crd',
  label: 'CRD (contrastive)',
  family: 'relations',
  formula: String.raw`h(v, m) = \frac{e^{v \cdot m / \tau}}{Z},\quad \mathcal{L}_{CRD} = -\sum_{\text{both ways}} \frac{1}{B}\sum_{i}\Bigl[\log\frac{h(v_i, m_i)}{h(v_i, m_i) + \frac{K}{N}} + \sum_{k=1}^{K}\log\frac{K/N}{h(v_i, m_{j_k}) + \frac{K}{N}}\Bigr]`,
  citation: 'Y. Tian, D. Krishnan, P. Isola (2020). Contrastive Representation Distillation.',
  summary:
    "Each student embedding must pick out the teacher's embedding of the same image among K teacher embeddings of other images, and the other way round (noise-contrastive estimation). " +
    'A memory bank keeps one embedding per training image on each side, so negatives cost no extra forward passes. RepDistiller adds it to cross-entropy with weight 0.8.',
  ports: [
    { name: 'guide', label: 'Guide (teacher feature)', type: 'feature', side: 'teacher' },
    { name: 'guided', label: 'Guided (student feature)', type: 'feature', side: 'student' },
  ],
  params: [
    { key: 'dimension', label: 'Embedding size', default: 128, min: 8, max: 1024, step: 8, integer: true, description: 'Both features are embedded linearly into this many dimensions and L2-normalised (feat_dim 128).' },
    {
      key: 'negatives', label: 'Negatives K', default: 4096, min: 1, max: 16384, step: 1, integer: true,
      description: 'Memory entries each image is contrasted with. The paper uses 16384; each step gathers batch x (K + 1) x embedding floats per side (64 x 16385 x 128 is 0.5 GB), too much for a browser, so the default is 4096 (the paper\'s ablation shows a small loss at 4096).',
    },
    { key: 'temperature', label: 'Temperature tau', default: 0.07, min: 0.01, max: 1, step: 0.01, description: 'Softness of the contrast: v . m / tau (nce_t 0.07).' },
    {
      key: 'negativesFrom', label: 'Negatives from', default: 0, min: 0, max: 1, step: 1, choices: [...NEGATIVES_FROM],
      description: 'other classes: K images of other classes than the anchor\'s, without replacement (RepDistiller\'s training); any image: K uniform draws over the training set (may include the same class).',
    },
    { key: 'momentum', label: 'Memory momentum', default: 0.5, min: 0, max: 0.99, step: 0.01, description: 'A memory entry becomes m * old + (1 - m) * new, then L2-normalised (nce_m 0.5).' },
  ],
  // RepDistiller: cross-entropy 1, KD 0, CRD 0.8.
  defaultWeight: 0.8,
  needsAdapter: false,
  checkShapes(shapes) {
    return missingPorts(shapes, ['guide', 'guided']) ?? checkFeature(shapes.guide, 'guide') ?? checkFeature(shapes.guided, 'guided');
  },
  createModule(shapes, params, seed, context) {
    if (context.trainCount < 2) throw new Error('CRD draws negatives from the other training images: it needs at least 2.');
    return new CrdModule(shapes.guided, shapes.guide, context.trainCount, crdSettings(params), seed, context.trainLabels);
  },
  compute(inputs, _params, module) {
    if (!(module instanceof CrdModule)) throw new Error('CRD needs its embeddings and memory banks: the trainer creates them from the plan.');
    return module.loss(requireInput(inputs, 'guided', 'crd'), requireInput(inputs, 'guide', 'crd'));
  },
};

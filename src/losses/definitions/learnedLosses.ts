import * as tf from '@tensorflow/tfjs';
import type { LossDefinition, LossParams } from '../types';
import { checkFeature, formatShape, missingPorts, product, readChoice, readParam, requireInput } from '../inputs';
import { CcModule, ccLoss } from '../cc';
import { AdversarialModule, generatorLoss, type AdversarialOptions } from '../adversarial';
import { VidModule, vidNegativeLogLikelihood, vidShapeProblem } from '../vid';

/** Losses that own trainable parts (created per run through `createModule`, never exported). */

export const variationalInformationLoss: LossDefinition = {
  id: 'vid',
  label: 'VID (variational information)',
  family: 'features',
  formula: String.raw`\mathcal{L}_{VID} = \frac{1}{B\,HW}\sum_{b,h,w}\sum_{c}\Bigl[\log\sigma_c + \frac{\bigl(t_{c} - \mu_c(s)\bigr)^2}{2\sigma_c^2}\Bigr],\quad \sigma_c^2 = \operatorname{softplus}(\alpha_c) + \epsilon`,
  citation: 'S. Ahn, S. X. Hu, A. Damianou, N. D. Lawrence, Z. Dai (2019). Variational Information Distillation for Knowledge Transfer.',
  summary:
    'The student layer must make the teacher layer predictable: a small learned regressor predicts the teacher feature from the student feature, with a learned uncertainty per channel. Maximises a lower bound of their mutual information.',
  ports: [
    { name: 'guide', label: 'Guide (teacher feature t)', type: 'feature', side: 'teacher' },
    { name: 'guided', label: 'Guided (student feature s)', type: 'feature', side: 'student' },
  ],
  params: [
    {
      key: 'form', label: 'Form', default: 0, min: 0, max: 1, step: 1, choices: ['paper', 'repdistiller'],
      description: 'paper: summed over channels, averaged over positions and the batch; repdistiller: averaged over every element (C times smaller).',
    },
  ],
  // RepDistiller trains VID with weight 1 next to cross-entropy and KD.
  defaultWeight: 1,
  needsAdapter: false,
  checkShapes(shapes) {
    return missingPorts(shapes, ['guide', 'guided']) ?? vidShapeProblem(shapes.guide, shapes.guided);
  },
  createModule(shapes, _params, seed) {
    const problem = vidShapeProblem(shapes.guide ?? [], shapes.guided ?? []);
    if (problem) throw new Error(problem);
    return new VidModule(shapes.guided[shapes.guided.length - 1], shapes.guide[shapes.guide.length - 1], seed);
  },
  compute(inputs, params, module) {
    if (!(module instanceof VidModule)) throw new Error('VID needs its learned regressor and variances: the trainer creates them from the plan.');
    const guided = requireInput(inputs, 'guided', 'vid');
    const guide = requireInput(inputs, 'guide', 'vid');
    const form = readChoice(params, 'form', ['paper', 'repdistiller'] as const, 'paper');
    return tf.tidy(() => vidNegativeLogLikelihood(module.mean(guided), guide, module.variance(), form));
  },
};

const OBJECTIVES = ['bce', 'lsgan'] as const;

function adversarialOptions(params: LossParams): AdversarialOptions {
  return {
    objective: readChoice(params, 'objective', OBJECTIVES, 'bce'),
    conditional: readChoice(params, 'conditional', ['off', 'on'] as const, 'off') === 'on',
    l1: readParam(params, 'l1', 0),
  };
}

export const adversarialKdLoss: LossDefinition = {
  id: 'adversarial',
  label: 'Adversarial KD',
  family: 'logits',
  formula: String.raw`\min_{\theta_s}\ \mathbb{E}\bigl[\ell_G\bigl(D(z_s)\bigr)\bigr] + \lambda\,\lVert z_s - z_t \rVert_1,\qquad \min_{D}\ \tfrac12\,\mathbb{E}\bigl[\ell_{real}\bigl(D(z_t)\bigr) + \ell_{fake}\bigl(D(z_s)\bigr)\bigr]`,
  citation: 'Z. Xu, Y.-C. Hsu, J. Huang (2018). Training Shallow and Thin Networks for Acceleration via Knowledge Distillation with Conditional Adversarial Networks.',
  summary:
    "A small discriminator learns to tell the teacher's logits from the student's; the student learns to fool it. The two are updated in turn, the discriminator with its own optimiser. The conditional form also makes both answer for the class.",
  ports: [
    { name: 'teacherLogits', label: 'Teacher logits (real)', type: 'logits', side: 'teacher' },
    { name: 'studentLogits', label: 'Student logits (fake)', type: 'logits', side: 'student' },
    { name: 'labels', label: 'Labels', type: 'labels', side: 'data' },
  ],
  params: [
    { key: 'objective', label: 'Objective', default: 0, min: 0, max: 1, step: 1, choices: [...OBJECTIVES], description: 'bce: binary cross-entropy (the student minimises -log D(z_s)); lsgan: least squares, D loss ((D(t) - 1)^2 + D(s)^2) / 2, student loss (D(s) - 1)^2.' },
    { key: 'conditional', label: 'Conditional', default: 0, min: 0, max: 1, step: 1, choices: ['off', 'on'], description: 'on: D outputs C + 2 values (class logits and real/fake), and both sides also learn the class (cross-entropy objective only).' },
    { key: 'l1', label: 'L1 weight', default: 0, min: 0, max: 10, step: 0.1, description: 'Weight of mean |z_s - z_t| in the student\'s loss (Xu et al. add it to the conditional form).' },
    { key: 'hidden', label: 'Hidden units', default: 64, min: 8, max: 512, step: 8, integer: true, description: 'Width of the discriminator\'s residual MLP.' },
    { key: 'learningRate', label: 'D learning rate', default: 0.0002, min: 0.000001, max: 0.1, step: 0.0001, description: 'Adam step size of the discriminator\'s own updates.' },
  ],
  defaultWeight: 1,
  needsAdapter: false,
  checkShapes(shapes, params) {
    const reason = missingPorts(shapes, ['teacherLogits', 'studentLogits', 'labels']);
    if (reason) return reason;
    if (shapes.teacherLogits.length !== 1 || shapes.teacherLogits.join() !== shapes.studentLogits.join()) {
      return `Adversarial KD compares class logits: teacher ${formatShape(shapes.teacherLogits)} and student ${formatShape(shapes.studentLogits)} must both be [classes] and equal.`;
    }
    if (params.conditional === 1 && params.objective === 1) return 'The conditional form trains with cross-entropy heads: set the objective to bce, or turn conditional off for LSGAN.';
    return null;
  },
  createModule(shapes, params, seed) {
    const options = adversarialOptions(params);
    if (options.conditional && options.objective === 'lsgan') throw new Error('The conditional form trains with cross-entropy heads: set the objective to bce.');
    return new AdversarialModule(shapes.studentLogits[0], options, Math.round(readParam(params, 'hidden', 64)), readParam(params, 'learningRate', 0.0002), seed);
  },
  compute(inputs, params, module) {
    if (!(module instanceof AdversarialModule)) throw new Error('Adversarial KD needs its discriminator: the trainer creates it from the plan.');
    return generatorLoss(module.discriminator, inputs, adversarialOptions(params));
  },
};

const ccOptions = (params: LossParams) => ({ gamma: readParam(params, 'gamma', 0.4), P: readParam(params, 'P', 2) });

export const correlationCongruenceLoss: LossDefinition = {
  id: 'cc',
  label: 'CC (correlation congruence)',
  family: 'relations',
  formula: String.raw`e = \frac{W f + b}{\lVert W f + b \rVert_2},\quad C_{ij} = \sum_{p=0}^{P} e^{-2\gamma} \frac{(2\gamma)^p}{p!} \bigl(e_i^\top e_j\bigr)^p \approx e^{-\gamma \lVert e_i - e_j \rVert_2^2},\quad \mathcal{L}_{CC} = \frac{1}{B^2}\bigl\lVert C_t - C_s \bigr\rVert_F^2`,
  citation: 'B. Peng, X. Jin, J. Liu, S. Zhou, Y. Wu, Y. Liu, D. Li, Z. Zhang (2019). Correlation Congruence for Knowledge Distillation.',
  summary:
    'How strongly each pair of samples in the batch correlates (a Gaussian kernel on learned, normalised embeddings) should be the same for student and teacher. Meant to be used with class-uniform batches (a few classes, several samples each), as in the paper.',
  ports: [
    { name: 'guide', label: 'Guide (teacher feature)', type: 'feature', side: 'teacher' },
    { name: 'guided', label: 'Guided (student feature)', type: 'feature', side: 'student' },
  ],
  params: [
    { key: 'dim', label: 'Embedding size', default: 128, min: 8, max: 512, step: 8, integer: true, description: 'Both features are mapped by learned linear embeddings to this size and L2-normalised (128 as in RepDistiller\'s CC embeddings).' },
    { key: 'gamma', label: 'Gamma', default: 0.4, min: 0.05, max: 2, step: 0.05, description: 'Width of the Gaussian RBF kernel exp(-gamma |x - y|^2) (0.4 in the paper).' },
    { key: 'P', label: 'Taylor order P', default: 2, min: 0, max: 6, step: 1, integer: true, description: 'Order of the Taylor series that approximates the kernel (2 in the paper).' },
  ],
  // KD-Zoo trains this Taylor-RBF form (1/B^2 mean) with weight 100; the paper's beta could not be checked.
  // RepDistiller's 0.02 belongs to its simplified CC, a different loss.
  defaultWeight: 100,
  needsAdapter: false,
  minBatch: () => 2,
  checkShapes(shapes) {
    return missingPorts(shapes, ['guide', 'guided']) ?? checkFeature(shapes.guide, 'guide') ?? checkFeature(shapes.guided, 'guided');
  },
  createModule(shapes, params, seed) {
    const problem = missingPorts(shapes, ['guide', 'guided']);
    if (problem) throw new Error(problem);
    return new CcModule(product(shapes.guide), product(shapes.guided), Math.round(readParam(params, 'dim', 128)), seed);
  },
  compute(inputs, params, module) {
    if (!(module instanceof CcModule)) throw new Error('CC needs its learned embeddings: the trainer creates them from the plan.');
    return ccLoss(requireInput(inputs, 'guided', 'cc'), requireInput(inputs, 'guide', 'cc'), module, ccOptions(params));
  },
};

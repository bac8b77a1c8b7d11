import * as tf from '@tensorflow/tfjs';
import type { LossDefinition } from '../types';
import { missingPorts, readChoice, requireInput } from '../inputs';
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

import type { LossDefinition, LossParams } from '../types';
import { missingPorts, readChoice, readParam, requireInput } from '../inputs';
import { FtModule, ftShapeProblem, type FtSettings } from '../ft';

const FORMS = ['paper', 'repdistiller'] as const;

function ftSettings(params: LossParams): FtSettings {
  return {
    rate: readParam(params, 'rate', 0.5),
    paraphraserEpochs: Math.round(readParam(params, 'paraphraserEpochs', 30)),
    paraphraserRate: readParam(params, 'paraphraserRate', 0.001),
  };
}

export const factorTransferLoss: LossDefinition = {
  id: 'ft',
  label: 'FT (factor transfer)',
  family: 'features',
  formula: String.raw`F_T = E_{para}(t),\ F_S = E_{trans}(s),\quad \mathcal{L}_{FT} = \frac{1}{B}\sum_{b}\Bigl\lVert \frac{F_T}{\lVert F_T\rVert_2} - \frac{F_S}{\lVert F_S\rVert_2} \Bigr\rVert_1,\quad E_{para} \text{ first trained on } \lVert t - D_{para}(E_{para}(t)) \rVert_2^2`,
  citation: 'J. Kim, S. Park, N. Kwak (2018). Paraphrasing Complex Network: Network Compression via Factor Transfer.',
  summary:
    "A paraphraser first learns, alone, to compress the teacher's feature map into a smaller 'factor' and rebuild it. " +
    "Then a translator on the student's map learns to produce the same (normalised) factor, while the paraphraser stays fixed.",
  ports: [
    { name: 'guide', label: 'Guide (teacher feature map)', type: 'feature', side: 'teacher' },
    { name: 'guided', label: 'Guided (student feature map)', type: 'feature', side: 'student' },
  ],
  params: [
    { key: 'rate', label: 'Factor rate k', default: 0.5, min: 0.05, max: 2, step: 0.05, description: 'Factor channels = k x the teacher map\'s channels (the paper\'s paraphrase rate; 0.5 on CIFAR).' },
    {
      key: 'paraphraserEpochs', label: 'Paraphraser epochs', default: 30, min: 1, max: 100, step: 1, integer: true,
      description: 'Epochs the paraphraser trains alone on reconstructing the teacher feature (mean squared error) before the stage that first uses this block (RepDistiller: 30).',
    },
    {
      key: 'paraphraserRate', label: 'Paraphraser learning rate', default: 0.001, min: 0.00001, max: 0.1, step: 0.0001,
      description: 'Adam step size of the paraphraser\'s own training (RepDistiller reuses the run\'s SGD, 0.05 with momentum 0.9).',
    },
    {
      key: 'form', label: 'Form', default: 0, min: 0, max: 1, step: 1, choices: [...FORMS],
      description: 'paper: the L1 norm of the normalised factors\' difference per sample, averaged over the batch; repdistiller: RepDistiller\'s loss, which reduces each factor to its channel mean of squares per position before normalising and averages the absolute difference (use weight 200 with it).',
    },
  ],
  // Paper form; RepDistiller's 200 goes with its reduced, averaged form.
  defaultWeight: 1,
  needsAdapter: false,
  needsFeatureMaps: true,
  needsFrozenTeacher: true,
  checkShapes(shapes) {
    return missingPorts(shapes, ['guide', 'guided']) ?? ftShapeProblem(shapes.guide, shapes.guided);
  },
  createModule(shapes, params, seed) {
    const problem = ftShapeProblem(shapes.guide ?? [], shapes.guided ?? []);
    if (problem) throw new Error(problem);
    return new FtModule(shapes.guided, shapes.guide, ftSettings(params), seed);
  },
  compute(inputs, params, module) {
    if (!(module instanceof FtModule)) throw new Error('FT needs its paraphraser and translator: the trainer creates them from the plan.');
    return module.loss(requireInput(inputs, 'guided', 'ft'), requireInput(inputs, 'guide', 'ft'), readChoice(params, 'form', FORMS, 'paper'));
  },
};

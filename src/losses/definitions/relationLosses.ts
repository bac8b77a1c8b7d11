import type { LossDefinition, LossPortDef } from '../types';
import type { Shape } from '../../models/spec';
import { checkFeature, missingPorts, readChoice, readParam, requireInput } from '../inputs';
import { pktLoss, rkdLoss, spLoss } from '../relations';

/** Relational losses compare batch-internal structure, so any two non-empty features will do. */
function checkTwoFeatures(shapes: Record<string, Shape>): string | null {
  return missingPorts(shapes, ['guide', 'guided']) ?? checkFeature(shapes.guide, 'guide') ?? checkFeature(shapes.guided, 'guided');
}

const featurePorts: LossPortDef[] = [
  { name: 'guide', label: 'Guide (teacher feature)', type: 'feature', side: 'teacher' },
  { name: 'guided', label: 'Guided (student feature)', type: 'feature', side: 'student' },
];

export const similarityPreservingLoss: LossDefinition = {
  id: 'sp',
  label: 'Similarity preserving',
  family: 'relations',
  formula: String.raw`G = \operatorname{rownorm}\bigl(Q Q^\top\bigr),\ Q = \operatorname{reshape}(F, [B, -1]),\quad \mathcal{L}_{SP} = \frac{1}{B^2}\bigl\lVert G_t - G_s \bigr\rVert_F^2`,
  citation: 'F. Tung, G. Mori (2019). Similarity-Preserving Knowledge Distillation.',
  summary:
    'Inputs that look alike to the teacher should look alike to the student: the batch\'s pairwise similarity matrices are matched. Feature sizes need not match.',
  ports: featurePorts,
  params: [],
  defaultWeight: 3000,
  needsAdapter: false,
  checkShapes: checkTwoFeatures,
  compute(inputs) {
    return spLoss(requireInput(inputs, 'guided', 'sp'), requireInput(inputs, 'guide', 'sp'));
  },
};

export const relationalKdLoss: LossDefinition = {
  id: 'rkd',
  label: 'RKD (distance + angle)',
  family: 'relations',
  formula: String.raw`\psi_D(a,b) = \frac{\lVert a-b\rVert_2}{\mu},\ \psi_A(a,b,c) = \Bigl\langle \tfrac{a-b}{\lVert a-b\rVert_2}, \tfrac{c-b}{\lVert c-b\rVert_2} \Bigr\rangle,\quad \mathcal{L}_{RKD} = \lambda_D \operatorname*{mean}_{i \ne j} \ell_\delta\bigl(\psi_D^t, \psi_D^s\bigr) + \lambda_A \operatorname*{mean}_{i,j,k\ \text{distinct}} \ell_\delta\bigl(\psi_A^t, \psi_A^s\bigr)`,
  citation: 'W. Park, D. Kim, Y. Lu, M. Cho (2019). Relational Knowledge Distillation.',
  summary:
    'The student keeps the geometry of the teacher\'s embedding: relative distances between pairs of samples and angles within triples (Huber loss, delta 1). Needs batches of at least 3.',
  ports: featurePorts,
  params: [
    {
      key: 'distanceWeight',
      label: 'Distance weight',
      default: 25,
      min: 0,
      max: 100,
      step: 1,
      description: 'lambda_D on the distance term (RepDistiller 25). Only the ratio to the angle weight matters if you rescale the block weight.',
    },
    {
      key: 'angleWeight',
      label: 'Angle weight',
      default: 50,
      min: 0,
      max: 100,
      step: 1,
      description: 'lambda_A on the angle term (RepDistiller 50).',
    },
  ],
  defaultWeight: 1,
  needsAdapter: false,
  minBatch(params) {
    if (readParam(params, 'angleWeight', 50) !== 0) return 3;
    return readParam(params, 'distanceWeight', 25) !== 0 ? 2 : 1;
  },
  checkShapes: checkTwoFeatures,
  compute(inputs, params) {
    return rkdLoss(requireInput(inputs, 'guided', 'rkd'), requireInput(inputs, 'guide', 'rkd'), {
      distanceWeight: readParam(params, 'distanceWeight', 25),
      angleWeight: readParam(params, 'angleWeight', 50),
    });
  },
};

export const probabilisticTransferLoss: LossDefinition = {
  id: 'pkt',
  label: 'PKT (probabilistic transfer)',
  family: 'relations',
  formula: String.raw`K(a,b) = \tfrac{1}{2}\bigl(\cos(a,b) + 1\bigr),\ p_{i|j} = \frac{K(x_i, x_j)}{\sum_{k \ne j} K(x_k, x_j)},\quad \mathcal{L}_{PKT} = \frac{1}{B}\sum_{j}\sum_{i \ne j} p^t_{i|j} \log\frac{p^t_{i|j}}{p^s_{i|j}}`,
  citation: 'N. Passalis, A. Tefas (2018). Learning Deep Representations with Probabilistic Knowledge Transfer.',
  summary:
    'Each sample\'s neighbourhood in the batch becomes a probability distribution (cosine similarity); the student\'s neighbourhoods are made to match the teacher\'s (KL divergence). Feature sizes need not match.',
  ports: featurePorts,
  params: [
    {
      key: 'form',
      label: 'Form',
      default: 0,
      min: 0,
      max: 1,
      step: 1,
      choices: ['paper', 'repdistiller'],
      description: 'paper: KL of each sample\'s neighbour distribution (self excluded), batch mean; repdistiller: the authors\' code (self-pairs kept, mean over all B^2 entries, about paper / B), used there with weight 30000.',
    },
  ],
  // RepDistiller's 30000 on its B^2 mean is about 30000 / B on the per-sample mean: ~470 at batch 64.
  // With weight 1 the term is ~1e-3, invisible next to cross-entropy.
  defaultWeight: 500,
  needsAdapter: false,
  minBatch: (params) => (readChoice(params, 'form', ['paper', 'repdistiller'] as const, 'paper') === 'paper' ? 2 : 1),
  checkShapes: checkTwoFeatures,
  compute(inputs, params) {
    return pktLoss(requireInput(inputs, 'guided', 'pkt'), requireInput(inputs, 'guide', 'pkt'), {
      form: readChoice(params, 'form', ['paper', 'repdistiller'] as const, 'paper'),
    });
  },
};

import type { LossDefinition, LossPortDef } from '../types';
import type { Shape } from '../../models/spec';
import { checkFeature, formatShape, missingPorts, readChoice, readParam, requireInput } from '../inputs';
import { pktLoss, rkdLoss, spLoss } from '../relations';
import { irgLoss, type IrgOptions } from '../irg';
import { checkLogits } from './logitLosses';

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

const IRG_FEATURES = ['guide1', 'guide2', 'guided1', 'guided2'] as const;

/** KD-Zoo's weights (Liu et al.'s own values could not be checked; see the entry's params). */
function irgOptions(params: Record<string, number>): IrgOptions {
  return {
    vertexWeight: readParam(params, 'vertexWeight', 0.1),
    edgeWeight: readParam(params, 'edgeWeight', 5),
    transformWeight: readParam(params, 'transformWeight', 5),
  };
}

/** The transformation compares two layers of one network after pooling over positions: equal channels. */
function checkIrgPair(first: Shape, second: Shape, network: string, ports: [string, string]): string | null {
  const [c1, c2] = [first[first.length - 1], second[second.length - 1]];
  if (c1 === c2) return null;
  return `IRG's transformation pools the ${network}'s layers '${ports[0]}' ${formatShape(first)} and '${ports[1]}' ${formatShape(second)} ` +
    `to vectors of their channels (${c1} vs ${c2}): pick two ${network} layers with equal channels (one stage), or set the transformation weight to 0.`;
}

export const instanceRelationshipGraphLoss: LossDefinition = {
  id: 'irg',
  label: 'IRG (instance relationship graph)',
  family: 'relations',
  formula: String.raw`A_{ij} = \frac{\lVert f_i - f_j \rVert_2^2}{\max_{kl} \lVert f_k - f_l \rVert_2^2},\ \Lambda_i = \frac{\lVert \bar f^{1}_i - \bar f^{2}_i \rVert_2^2}{\max_k \lVert \bar f^{1}_k - \bar f^{2}_k \rVert_2^2},\quad \mathcal{L}_{IRG} = \lambda_V \operatorname{MSE}(z_t, z_s) + \frac{\lambda_E}{2}\sum_{l=1}^{2} \operatorname{MSE}\bigl(A^{l}_t, A^{l}_s\bigr) + \lambda_T \operatorname{MSE}(\Lambda_t, \Lambda_s)`,
  citation: 'Y. Liu, J. Cao, B. Li, C. Yuan, W. Hu, Y. Li, Y. Duan (2019). Knowledge Distillation via Instance Relationship Graph.',
  summary:
    'The batch is a graph: samples are vertices (matched through the logits), squared distances between samples are edges (matched at two layers), and how far each sample moves between the two layers is the transformation. Distances are divided by their batch maximum, as the authors\' code does.',
  ports: [
    { name: 'teacherLogits', label: 'Teacher logits (vertices)', type: 'logits', side: 'teacher' },
    { name: 'studentLogits', label: 'Student logits (vertices)', type: 'logits', side: 'student' },
    { name: 'guide1', label: 'Guide 1 (teacher, earlier)', type: 'feature', side: 'teacher' },
    { name: 'guide2', label: 'Guide 2 (teacher, later)', type: 'feature', side: 'teacher' },
    { name: 'guided1', label: 'Guided 1 (student, earlier)', type: 'feature', side: 'student' },
    { name: 'guided2', label: 'Guided 2 (student, later)', type: 'feature', side: 'student' },
  ],
  params: [
    { key: 'vertexWeight', label: 'Vertex weight', default: 0.1, min: 0, max: 10, step: 0.1, description: 'lambda_V on the MSE of the logits (0.1 as in the Knowledge-Distillation-Zoo port; the paper\'s value could not be checked).' },
    { key: 'edgeWeight', label: 'Edge weight', default: 5, min: 0, max: 50, step: 0.5, description: 'lambda_E on the mean over the two layers of the MSE of the max-normalised squared-distance matrices (KD-Zoo 5; the authors\' Caffe code used loss weight 0.005 on a summed form, about 0.16 on this MSE at batch 64).' },
    { key: 'transformWeight', label: 'Transformation weight', default: 5, min: 0, max: 50, step: 0.5, description: 'lambda_T on the MSE of the max-normalised distances between each sample\'s two layers, after averaging over positions as the authors\' code does (KD-Zoo 5). 0 turns the term off and lifts the equal-channels rule.' },
  ],
  // The term weights carry the scale (KD-Zoo runs IRG with lambda_kd = 1).
  defaultWeight: 1,
  needsAdapter: false,
  minBatch: (params) => (irgOptions(params).edgeWeight !== 0 ? 2 : 1),
  checkShapes(shapes, params) {
    const reason = missingPorts(shapes, ['teacherLogits', 'studentLogits', ...IRG_FEATURES])
      ?? checkLogits(shapes.teacherLogits, 'teacherLogits') ?? checkLogits(shapes.studentLogits, 'studentLogits')
      ?? IRG_FEATURES.map((port) => checkFeature(shapes[port], port)).find((r) => r !== null);
    if (reason) return reason;
    if (shapes.teacherLogits[0] !== shapes.studentLogits[0]) {
      return `IRG's vertices compare logits: teacher ${formatShape(shapes.teacherLogits)} and student ${formatShape(shapes.studentLogits)} must have the same classes.`;
    }
    if (irgOptions(params).transformWeight === 0) return null;
    return checkIrgPair(shapes.guide1, shapes.guide2, 'teacher', ['guide1', 'guide2'])
      ?? checkIrgPair(shapes.guided1, shapes.guided2, 'student', ['guided1', 'guided2']);
  },
  compute(inputs, params) {
    const read = (port: string) => requireInput(inputs, port, 'irg');
    return irgLoss({
      teacherLogits: read('teacherLogits'),
      studentLogits: read('studentLogits'),
      teacher: [read('guide1'), read('guide2')],
      student: [read('guided1'), read('guided2')],
    }, irgOptions(params));
  },
};

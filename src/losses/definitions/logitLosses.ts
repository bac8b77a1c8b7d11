import type { LossDefinition } from '../types';
import { formatShape, missingPorts, readParam, requireInput } from '../inputs';
import { crossEntropy, dkdLoss, kdLoss, tfkdLoss, tsdLoss } from '../logits';
import type { Shape } from '../../models/spec';

export function checkLogits(shape: Shape, port: string): string | null {
  if (shape.length !== 1 || (shape[0] ?? 0) < 2) {
    return `'${port}' must be class logits [classes] (the network's last dense layer), got ${formatShape(shape)}.`;
  }
  return null;
}

function checkLabels(shape: Shape): string | null {
  return shape.length === 0 ? null : `'labels' must be one class index per sample (shape []), got ${formatShape(shape)}.`;
}

const temperature = {
  key: 'T',
  label: 'Temperature T',
  default: 4,
  min: 1,
  max: 50,
  step: 0.5,
  description: 'Softens both distributions: higher T reveals more of the small "dark knowledge" probabilities.',
};

export const crossEntropyLoss: LossDefinition = {
  id: 'ce',
  label: 'Cross-entropy',
  family: 'task',
  formula: String.raw`\mathcal{L}_{CE} = -\frac{1}{B}\sum_{b=1}^{B} \log \operatorname{softmax}(z_s^{(b)})_{y_b}`,
  citation: 'Standard task loss (negative log-likelihood of the true class).',
  summary: 'The ordinary training loss: the student is rewarded for giving the true class a high probability.',
  ports: [
    { name: 'logits', label: 'Student logits', type: 'logits', side: 'student' },
    { name: 'labels', label: 'Labels', type: 'labels', side: 'data' },
  ],
  params: [],
  defaultWeight: 1,
  needsAdapter: false,
  checkShapes(shapes) {
    return missingPorts(shapes, ['logits', 'labels']) ?? checkLogits(shapes.logits, 'logits') ?? checkLabels(shapes.labels);
  },
  compute(inputs) {
    return crossEntropy(requireInput(inputs, 'logits', 'ce'), requireInput(inputs, 'labels', 'ce'));
  },
};

export const knowledgeDistillationLoss: LossDefinition = {
  id: 'kd',
  label: 'KD (soft targets)',
  family: 'logits',
  formula: String.raw`\mathcal{L}_{KD} = T^2 \cdot \frac{1}{B}\sum_{b} \mathrm{KL}\!\left(\operatorname{softmax}\!\left(\tfrac{z_t}{T}\right) \,\middle\|\, \operatorname{softmax}\!\left(\tfrac{z_s}{T}\right)\right)`,
  citation: 'G. Hinton, O. Vinyals, J. Dean (2015). Distilling the Knowledge in a Neural Network.',
  summary:
    "The student learns to copy the teacher's softened class probabilities, which show how similar the classes look to the teacher. T^2 keeps the gradient on the scale of the hard-label loss.",
  ports: [
    { name: 'teacherLogits', label: 'Teacher logits', type: 'logits', side: 'teacher' },
    { name: 'studentLogits', label: 'Student logits', type: 'logits', side: 'student' },
  ],
  params: [temperature],
  defaultWeight: 0.9,
  needsAdapter: false,
  checkShapes(shapes) {
    const reason = missingPorts(shapes, ['teacherLogits', 'studentLogits'])
      ?? checkLogits(shapes.teacherLogits, 'teacherLogits')
      ?? checkLogits(shapes.studentLogits, 'studentLogits');
    if (reason) return reason;
    if (shapes.teacherLogits[0] !== shapes.studentLogits[0]) {
      return `Teacher has ${shapes.teacherLogits[0]} classes, student ${shapes.studentLogits[0]}: both must classify the same classes.`;
    }
    return null;
  },
  compute(inputs, params) {
    return kdLoss(requireInput(inputs, 'studentLogits', 'kd'), requireInput(inputs, 'teacherLogits', 'kd'), {
      T: readParam(params, 'T', 4),
    });
  },
};

export const teacherFreeLoss: LossDefinition = {
  id: 'tfkd',
  label: 'Tf-KD (virtual teacher)',
  family: 'logits',
  formula: String.raw`p^d_k = \begin{cases} a & k = y \\ \frac{1-a}{C-1} & k \ne y \end{cases},\quad \mathcal{L}_{Tf} = T^2 \cdot \frac{1}{B}\sum_{b} \mathrm{KL}\!\left(\operatorname{softmax}\!\left(\tfrac{p^d}{T}\right) \,\middle\|\, \operatorname{softmax}\!\left(\tfrac{z_s}{T}\right)\right)`,
  citation: 'L. Yuan, F. E. H. Tay, G. Li, T. Wang, J. Feng (2020). Revisiting Knowledge Distillation via Label Smoothing Regularization.',
  summary:
    'No teacher network: a hand-made "virtual teacher" puts probability a on the true class and spreads the rest evenly, and the student distils from it like KD. It acts as a smarter label smoothing.',
  ports: [
    { name: 'logits', label: 'Student logits', type: 'logits', side: 'student' },
    { name: 'labels', label: 'Labels', type: 'labels', side: 'data' },
  ],
  params: [
    {
      key: 'a',
      label: 'True-class probability a',
      default: 0.9,
      min: 0.5,
      max: 0.99,
      step: 0.01,
      description: "The virtual teacher's confidence in the true class (the paper uses a >= 0.9).",
    },
    { ...temperature, default: 20, description: 'Softens the virtual teacher (as logits, like the authors\' code) and the student.' },
  ],
  defaultWeight: 0.9,
  needsAdapter: false,
  checkShapes(shapes) {
    return missingPorts(shapes, ['logits', 'labels']) ?? checkLogits(shapes.logits, 'logits') ?? checkLabels(shapes.labels);
  },
  compute(inputs, params) {
    return tfkdLoss(requireInput(inputs, 'logits', 'tfkd'), requireInput(inputs, 'labels', 'tfkd'), {
      a: readParam(params, 'a', 0.9),
      T: readParam(params, 'T', 20),
    });
  },
};

export const decoupledKdLoss: LossDefinition = {
  id: 'dkd',
  label: 'DKD (decoupled KD)',
  family: 'logits',
  formula: String.raw`\mathcal{L}_{DKD} = T^2\Bigl(\alpha\,\mathrm{KL}\bigl(b^t \,\|\, b^s\bigr) + \beta\,\mathrm{KL}\bigl(\hat p^t \,\|\, \hat p^s\bigr)\Bigr),\quad b = [p_y,\, 1 - p_y],\quad \hat p_i = \frac{p_i}{1 - p_y}\ (i \ne y)`,
  citation: 'B. Zhao, Q. Cui, R. Song, Y. Qiu, J. Liang (2022). Decoupled Knowledge Distillation.',
  summary:
    'KD split in two: how sure teacher and student are of the true class (TCKD), and how they rank the other classes (NCKD). Classical KD weighs the second by 1 - p_y of the teacher, so it fades when the teacher is confident; DKD gives it its own weight beta.',
  ports: [
    { name: 'teacherLogits', label: 'Teacher logits', type: 'logits', side: 'teacher' },
    { name: 'studentLogits', label: 'Student logits', type: 'logits', side: 'student' },
    { name: 'labels', label: 'Labels', type: 'labels', side: 'data' },
  ],
  params: [
    temperature,
    { key: 'alpha', label: 'Alpha (TCKD)', default: 1, min: 0, max: 10, step: 0.1, description: 'Weight of the target-class term; 1 in the paper.' },
    { key: 'beta', label: 'Beta (NCKD)', default: 8, min: 0, max: 20, step: 0.5, description: 'Weight of the non-target term: 8 for CIFAR-100 in the paper (0.5 for ImageNet).' },
  ],
  defaultWeight: 1,
  needsAdapter: false,
  checkShapes(shapes) {
    const reason = missingPorts(shapes, ['teacherLogits', 'studentLogits', 'labels'])
      ?? checkLogits(shapes.teacherLogits, 'teacherLogits') ?? checkLogits(shapes.studentLogits, 'studentLogits') ?? checkLabels(shapes.labels);
    if (reason) return reason;
    return shapes.teacherLogits[0] === shapes.studentLogits[0]
      ? null
      : `Teacher and student must have the same classes: ${formatShape(shapes.teacherLogits)} vs ${formatShape(shapes.studentLogits)}.`;
  },
  compute(inputs, params) {
    return dkdLoss(requireInput(inputs, 'studentLogits', 'dkd'), requireInput(inputs, 'teacherLogits', 'dkd'), requireInput(inputs, 'labels', 'dkd'), {
      T: readParam(params, 'T', 4), alpha: readParam(params, 'alpha', 1), beta: readParam(params, 'beta', 8),
    });
  },
};


export const topScoreDifferenceLoss: LossDefinition = {
  id: 'tsd',
  label: 'TSD (tolerant teacher)',
  family: 'logits',
  formula: String.raw`p = \operatorname{softmax}(z),\quad \mathcal{L}_{TSD} = \frac{1}{B}\sum_{b} \Bigl( p_{y_b} - \frac{1}{K-1}\sum_{k=2}^{K} p_{a_k} \Bigr),\quad a_2, \dots, a_K = \text{the } K-1 \text{ most confident classes other than } y_b`,
  citation: 'C. Yang, L. Xie, S. Qiao, A. Yuille (2019). Training Deep Neural Networks in Generations: A More Tolerant Teacher Educates Better Students.',
  summary:
    'A regulariser for the network being trained (to make a tolerant teacher for the next generation): it shrinks the gap between the true class\'s confidence and the mean of the K - 1 most confident other classes, so a few similar classes keep some probability. Scores are read as softmax confidences and the true class as the primary one (the paper\'s exact form could not be checked).',
  ports: [
    { name: 'logits', label: 'Logits (network being trained)', type: 'logits', side: 'student' },
    { name: 'labels', label: 'Labels', type: 'labels', side: 'data' },
  ],
  params: [
    {
      key: 'K',
      integer: true,
      label: 'Classes K',
      default: 5,
      min: 2,
      max: 20,
      step: 1,
      description: 'The true class plus the K - 1 most confident others (at most the number of classes). 5 is our choice for "a few secondary classes"; the paper\'s value could not be checked.',
    },
  ],
  // eta, added to cross-entropy: the paper's value could not be checked; 1 adds the gap unweighted.
  defaultWeight: 1,
  needsAdapter: false,
  checkShapes(shapes, params) {
    const reason = missingPorts(shapes, ['logits', 'labels']) ?? checkLogits(shapes.logits, 'logits') ?? checkLabels(shapes.labels);
    if (reason) return reason;
    const K = readParam(params, 'K', 5);
    return K <= shapes.logits[0] ? null : `TSD's K = ${K} exceeds the ${shapes.logits[0]} classes of 'logits': lower K.`;
  },
  compute(inputs, params) {
    return tsdLoss(requireInput(inputs, 'logits', 'tsd'), requireInput(inputs, 'labels', 'tsd'), { K: readParam(params, 'K', 5) });
  },
};

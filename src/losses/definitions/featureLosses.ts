import type { LossDefinition, LossParamDef } from '../types';
import type { Shape } from '../../models/spec';
import { checkMap, formatShape, missingPorts, readChoice, readParam, requireInput } from '../inputs';
import { attentionLoss, fspLoss, hintLoss, nstLoss } from '../features';

const PAPER_OR_REPDISTILLER = ['paper', 'repdistiller'] as const;

function formParam(description: string): LossParamDef {
  return { key: 'form', label: 'Form', default: 0, min: 0, max: 1, step: 1, choices: [...PAPER_OR_REPDISTILLER], description };
}

export const fitnetLoss: LossDefinition = {
  id: 'fitnet',
  label: 'FitNet hints',
  family: 'features',
  formula: String.raw`\mathcal{L}_{HT} = \frac{1}{B}\sum_{b} \tfrac{1}{2}\,\bigl\lVert u_t(x_b) - r\bigl(v_s(x_b)\bigr) \bigr\rVert_2^2`,
  citation: 'A. Romero, N. Ballas, S. E. Kahou, A. Chassang, C. Gatta, Y. Bengio (2015). FitNets: Hints for Thin Deep Nets.',
  summary:
    "A middle layer of the student (through a small adapter r) learns to reproduce a middle layer of the teacher. The paper trains this hint first, then the whole student with KD.",
  ports: [
    { name: 'guide', label: 'Guide (teacher feature)', type: 'feature', side: 'teacher' },
    { name: 'guided', label: 'Guided (student feature)', type: 'feature', side: 'student' },
  ],
  params: [
    {
      key: 'form',
      label: 'Form',
      default: 0,
      min: 0,
      max: 1,
      step: 1,
      choices: ['paper', 'mse'],
      description: "paper: 1/2 squared L2 per sample, summed over all H*W*C elements (meant for a hint-only first stage: on a [7, 7, 16] map it starts near 400, about 100x cross-entropy); mse: mean squared error over all elements (RepDistiller's one-stage form, used with weight 100).",
    },
  ],
  defaultWeight: 1,
  needsAdapter: true,
  checkShapes(shapes) {
    const reason = missingPorts(shapes, ['guide', 'guided']);
    if (reason) return reason;
    const { guide, guided } = shapes;
    if (guide.length !== guided.length || guide.some((d, i) => d !== guided[i])) {
      return `Guided ${formatShape(guided)} must match guide ${formatShape(guide)}: add an adapter on the guided layer or pick layers of the same shape.`;
    }
    return null;
  },
  compute(inputs, params) {
    return hintLoss(requireInput(inputs, 'guided', 'fitnet'), requireInput(inputs, 'guide', 'fitnet'), {
      form: readChoice(params, 'form', ['paper', 'mse'] as const, 'paper'),
    });
  },
};

export const attentionTransferLoss: LossDefinition = {
  id: 'at',
  label: 'Attention transfer',
  family: 'features',
  formula: String.raw`Q(F) = \operatorname{vec}\Bigl(\sum_{k} |F_k|^p\Bigr),\quad w\,\mathcal{L}_{AT} = \frac{\beta}{2}\cdot\frac{1}{B}\sum_{b} \Bigl\lVert \frac{Q_s}{\lVert Q_s\rVert_2} - \frac{Q_t}{\lVert Q_t\rVert_2} \Bigr\rVert_2,\quad \beta = \frac{w}{HW}`,
  citation: 'S. Zagoruyko, N. Komodakis (2017). Paying More Attention to Attention: Improving the Performance of Convolutional Neural Networks via Attention Transfer.',
  summary:
    'The student learns where the teacher "looks": each layer gives a spatial map of activation energy, and the normalised maps of teacher and student are made alike. Channel counts may differ.',
  ports: [
    { name: 'guide', label: 'Guide (teacher map)', type: 'feature', side: 'teacher' },
    { name: 'guided', label: 'Guided (student map)', type: 'feature', side: 'student' },
  ],
  params: [
    { key: 'p', label: 'Power p', default: 2, min: 1, max: 4, step: 1, description: 'Q(F) sums |F_k|^p over channels; p = 2 in the paper.' },
    formParam(
      'paper: beta/2 times the L2 distance per sample with beta = weight / (H W), as the paper sets it; repdistiller: mean squared difference of the normalised maps.',
    ),
    {
      key: 'resize',
      label: 'Resize',
      default: 0,
      min: 0,
      max: 1,
      step: 1,
      choices: ['off', 'bilinear'],
      description: 'When H, W differ, upsample the smaller attention map bilinearly (align corners) to the larger one.',
    },
  ],
  defaultWeight: 1000,
  needsAdapter: false,
  needsFeatureMaps: true,
  checkShapes(shapes, params) {
    const reason = missingPorts(shapes, ['guide', 'guided']) ?? checkMap(shapes.guide, 'guide') ?? checkMap(shapes.guided, 'guided');
    if (reason) return reason;
    const [ht, wt] = shapes.guide;
    const [hs, ws] = shapes.guided;
    if ((ht !== hs || wt !== ws) && (params.resize ?? 0) !== 1) {
      return `Attention maps differ in size (teacher ${ht}x${wt}, student ${hs}x${ws}): pick layers with equal H, W or set Resize to bilinear.`;
    }
    return null;
  },
  compute(inputs, params) {
    return attentionLoss(requireInput(inputs, 'guided', 'at'), requireInput(inputs, 'guide', 'at'), {
      p: readParam(params, 'p', 2),
      form: readChoice(params, 'form', PAPER_OR_REPDISTILLER, 'paper'),
      resize: readChoice(params, 'resize', ['off', 'bilinear'] as const, 'off') === 'bilinear',
    });
  },
};

function checkFspPair(first: Shape, second: Shape, network: string, ports: [string, string]): string | null {
  if (first[0] !== second[0] || first[1] !== second[1]) {
    return `The ${network}'s FSP layers '${ports[0]}' (${first[0]}x${first[1]}) and '${ports[1]}' (${second[0]}x${second[1]}) need the same H, W: pick two ${network} layers of one spatial size.`;
  }
  return null;
}

export const fspMatrixLoss: LossDefinition = {
  id: 'fsp',
  label: 'FSP matrix',
  family: 'features',
  formula: String.raw`G_{ij}(x) = \frac{1}{hw}\sum_{s=1}^{h}\sum_{t=1}^{w} F^{1}_{s,t,i}\,F^{2}_{s,t,j},\quad \mathcal{L}_{FSP} = \frac{1}{B}\sum_{x} \bigl\lVert G_t(x) - G_s(x) \bigr\rVert_2^2`,
  citation: 'J. Yim, D. Joo, J. Bae, J. Kim (2017). A Gift from Knowledge Distillation: Fast Optimization, Network Minimization and Transfer Learning.',
  summary:
    'The "flow" between two layers (how the channels of one relate to the channels of the next) is summarised as a matrix; the student copies the teacher\'s matrix. The paper uses it to initialise the student before normal training.',
  ports: [
    { name: 'guide1', label: 'Guide 1 (teacher, earlier)', type: 'feature', side: 'teacher' },
    { name: 'guide2', label: 'Guide 2 (teacher, later)', type: 'feature', side: 'teacher' },
    { name: 'guided1', label: 'Guided 1 (student, earlier)', type: 'feature', side: 'student' },
    { name: 'guided2', label: 'Guided 2 (student, later)', type: 'feature', side: 'student' },
  ],
  params: [formParam('paper: squared Frobenius distance per sample, batch mean; repdistiller: mean over matrix entries (used with weight 50).')],
  defaultWeight: 1,
  needsAdapter: false,
  needsFeatureMaps: true,
  checkShapes(shapes) {
    const ports = ['guide1', 'guide2', 'guided1', 'guided2'];
    const reason = missingPorts(shapes, ports) ?? ports.map((p) => checkMap(shapes[p], p)).find((r) => r !== null);
    if (reason) return reason;
    const { guide1, guide2, guided1, guided2 } = shapes;
    const pairReason = checkFspPair(guide1, guide2, 'teacher', ['guide1', 'guide2'])
      ?? checkFspPair(guided1, guided2, 'student', ['guided1', 'guided2']);
    if (pairReason) return pairReason;
    const [m, n] = [guide1[2], guide2[2]];
    const [ms, ns] = [guided1[2], guided2[2]];
    if (m !== ms || n !== ns) {
      const fixes: string[] = [];
      if (m !== ms) fixes.push(`'guided1' has ${ms} channels, 'guide1' ${m}`);
      if (n !== ns) fixes.push(`'guided2' has ${ns} channels, 'guide2' ${n}`);
      return `Teacher FSP matrix is ${m}x${n}, student ${ms}x${ns} (${fixes.join('; ')}): pick student layers with those channel counts or change their filters.`;
    }
    return null;
  },
  compute(inputs, params) {
    const read = (port: string) => requireInput(inputs, port, 'fsp');
    return fspLoss([read('guide1'), read('guide2')], [read('guided1'), read('guided2')], {
      form: readChoice(params, 'form', PAPER_OR_REPDISTILLER, 'paper'),
    });
  },
};

const NST_KERNELS = ['linear', 'polynomial', 'gaussian'] as const;

export const neuronSelectivityLoss: LossDefinition = {
  id: 'nst',
  label: 'NST (neuron selectivity)',
  family: 'features',
  formula: String.raw`f_k = \frac{\operatorname{vec}(F_{:,:,k})}{\lVert \operatorname{vec}(F_{:,:,k}) \rVert_2},\quad \mathcal{L}_{NST} = \frac{1}{K_t^2}\sum_{i,i'} k(t_i, t_{i'}) + \frac{1}{K_s^2}\sum_{j,j'} k(s_j, s_{j'}) - \frac{2}{K_t K_s}\sum_{i,j} k(t_i, s_j)`,
  citation: 'Z. Huang, N. Wang (2017). Like What You Like: Knowledge Distill via Neuron Selectivity Transfer.',
  summary:
    "Each channel's spatial pattern is one sample; the student's set of channel patterns is made to follow the same distribution as the teacher's (squared MMD). Channel counts may differ, positions H*W must match.",
  ports: [
    { name: 'guide', label: 'Guide (teacher map)', type: 'feature', side: 'teacher' },
    { name: 'guided', label: 'Guided (student map)', type: 'feature', side: 'student' },
  ],
  params: [
    {
      key: 'kernel',
      label: 'Kernel',
      default: 1,
      min: 0,
      max: 2,
      step: 1,
      choices: [...NST_KERNELS],
      description: 'linear x.y; polynomial (x.y + c)^d (the paper\'s best, d = 2, c = 0: Gram matching); gaussian exp(-|x-y|^2 / 2 sigma^2).',
    },
    { key: 'degree', label: 'Degree d', default: 2, min: 1, max: 4, step: 1, integer: true, description: 'Polynomial kernel degree.' },
    { key: 'c', label: 'Offset c', default: 0, min: 0, max: 2, step: 0.1, description: 'Polynomial kernel offset.' },
    { key: 'sigma', label: 'Sigma', default: 1, min: 0.1, max: 10, step: 0.1, description: 'Gaussian kernel width.' },
  ],
  defaultWeight: 50,
  needsAdapter: false,
  needsFeatureMaps: true,
  checkShapes(shapes) {
    const reason = missingPorts(shapes, ['guide', 'guided']) ?? checkMap(shapes.guide, 'guide') ?? checkMap(shapes.guided, 'guided');
    if (reason) return reason;
    const teacherPositions = shapes.guide[0] * shapes.guide[1];
    const studentPositions = shapes.guided[0] * shapes.guided[1];
    if (teacherPositions !== studentPositions) {
      return `NST compares channel patterns position by position: teacher has H*W = ${teacherPositions}, student ${studentPositions}. Pick layers with the same spatial size.`;
    }
    return null;
  },
  compute(inputs, params) {
    return nstLoss(requireInput(inputs, 'guided', 'nst'), requireInput(inputs, 'guide', 'nst'), {
      kernel: readChoice(params, 'kernel', NST_KERNELS, 'polynomial'),
      degree: readParam(params, 'degree', 2),
      c: readParam(params, 'c', 0),
      sigma: readParam(params, 'sigma', 1),
    });
  },
};

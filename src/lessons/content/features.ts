import type { Lesson } from '../types';
import { runAsk, sayDistillation } from './sayDistillation';

/** Quick settings of the CNN presets' two stages. */
const twoStageQuick = (firstStage: string) => [
  { kind: 'trainSubset' as const, images: 2000 },
  { kind: 'epochs' as const, trainerId: firstStage, epochs: 1 },
  { kind: 'epochs' as const, trainerId: 'stage-kd', epochs: 1 },
];

const distillationEffect = { measure: 'distillation' as const, args: { studentId: 'student' }, say: sayDistillation };

/** Lesson 3: a teacher layer guides a student layer through an adapter. */
export const fitnetLesson: Lesson = {
  id: 'fitnet',
  title: { en: 'FitNet hints and adapters', zh: 'FitNet 提示层与适配器' },
  summary: {
    en: 'A teacher layer (the hint) guides a thinner student layer; an adapter maps the student\'s channels to the teacher\'s.',
    zh: '教师的一层（提示层）引导学生较窄的一层；适配器把学生的通道映射到教师的通道数。',
  },
  setup: { preset: 'fitnet-mnist.json', name: { en: 'Lesson: FitNet hints', zh: '课程：FitNet 提示层' }, patches: twoStageQuick('stage-hints') },
  steps: [
    {
      title: { en: 'Hint and guided layer', zh: '提示层与被引导层' },
      text: {
        en: 'FitNets (Romero et al. 2015) teach features, not only outputs: the student\'s guided layer v_s is trained to reproduce the teacher\'s hint layer u_t on every image.',
        zh: 'FitNets（Romero 等，2015）不仅传授输出，还传授特征：训练学生的被引导层 v_s，使它在每张图像上重现教师的提示层 u_t。',
      },
      formula: '\\mathcal{L}_{HT} = \\tfrac{1}{2} \\left\\lVert u_t(x) - r\\big(v_s(x)\\big) \\right\\rVert^2',
      anchors: ['node-guided-pool2'],
      ask: { en: 'Click the student\'s guided layer (pool2) on the canvas.', zh: '在画布上点击学生的被引导层（pool2）。' },
      goal: { kind: 'nodeSelected', nodeId: 'guided-pool2' },
      effect: null,
    },
    {
      title: { en: 'The adapter', zh: '适配器' },
      text: {
        en: 'The teacher\'s hint is 7×7×16, the student\'s layer 7×7×8: the shapes differ, so the studio inserts the regressor r, a 1×1 convolution from 8 to 16 channels. It trains with the student and is never exported.',
        zh: '教师的提示层是 7×7×16，学生的层是 7×7×8：形状不同，所以工作室插入回归器 r，即一个从 8 个通道到 16 个通道的 1×1 卷积（适配器）。它与学生一起训练，但不会被导出。',
      },
      formula: 'r(v)_{h,w} = W\\, v_{h,w} + b, \\qquad W \\in \\mathbb{R}^{16 \\times 8}',
      anchors: ['adapter-status', 'node-guided-pool2'],
      ask: null,
      goal: null,
      effect: null,
    },
    {
      title: { en: 'Hints, then soft targets', zh: '先提示，再软目标' },
      text: {
        en: 'Stage 1 trains the student up to its guided layer (and the adapter) on the hint alone; stage 2 trains the whole student with cross-entropy and KD. Watch the two stages in the loss chart.',
        zh: '第一阶段只用提示损失训练学生到被引导层为止的部分（以及适配器）；第二阶段用交叉熵和知识蒸馏训练整个学生。在损失曲线中观察这两个阶段。',
      },
      formula: '\\text{stage 1: } \\min_{\\theta_s^{\\le g},\\, r} \\mathcal{L}_{HT}, \\qquad \\text{stage 2: } \\min_{\\theta_s} 0.1\\,\\mathrm{CE} + 0.9\\,T^2 \\mathrm{KL}',
      anchors: ['run-button'],
      ask: runAsk,
      goal: { kind: 'runFinished', studentId: 'student' },
      effect: distillationEffect,
    },
  ],
};

/** Lesson 4: attention maps of teacher and student. */
export const attentionLesson: Lesson = {
  id: 'attention',
  title: { en: 'Attention transfer', zh: '注意力迁移' },
  summary: {
    en: 'Where a network looks: the student matches the teacher\'s spatial attention maps, whatever its channel count.',
    zh: '网络看向哪里：学生匹配教师的空间注意力图，与通道数无关。',
  },
  setup: { preset: 'cnn-mnist-at.json', name: { en: 'Lesson: attention transfer', zh: '课程：注意力迁移' }, patches: twoStageQuick('stage-init') },
  steps: [
    {
      title: { en: 'An attention map', zh: '注意力图' },
      text: {
        en: 'Zagoruyko and Komodakis (2017) sum a feature map\'s channels into one map of where the network responds. Teacher and student may have different channel counts: only the H×W maps are compared.',
        zh: 'Zagoruyko 与 Komodakis（2017）把特征图的各通道求和，得到一张表示网络在哪里产生响应的图。教师和学生的通道数可以不同：只比较 H×W 的注意力图。',
      },
      formula: 'Q(F) = \\sum_{k=1}^{K} \\left| F_{:,:,k} \\right|^{p}',
      anchors: ['node-at'],
      ask: { en: 'Click the AT block on the canvas.', zh: '在画布上点击 AT（注意力迁移）模块。' },
      goal: { kind: 'nodeSelected', nodeId: 'at' },
      effect: null,
    },
    {
      title: { en: 'The exponent p', zh: '指数 p' },
      text: {
        en: 'A larger p weighs the most active positions more, so the map concentrates on the strokes that matter most. The loss compares the L2-normalised maps.',
        zh: 'p 越大，越强调响应最强的位置，注意力图越集中在最重要的笔画上。损失比较的是 L2 归一化后的注意力图。',
      },
      formula: '\\mathcal{L}_{AT} = \\frac{\\beta}{2} \\left\\lVert \\frac{Q_s}{\\lVert Q_s \\rVert_2} - \\frac{Q_t}{\\lVert Q_t \\rVert_2} \\right\\rVert_2',
      anchors: ['loss-param-p', 'node-at'],
      ask: { en: 'Set p to 4.', zh: '把 p 设为 4。' },
      goal: { kind: 'lossParam', nodeId: 'at', key: 'p', atLeast: 4 },
      control: { kind: 'lossParam', nodeId: 'at', key: 'p', label: { en: 'Exponent p', zh: '指数 p' }, min: 1, max: 4 },
      effect: null,
    },
    {
      title: { en: 'Teacher and student maps side by side', zh: '并排比较教师与学生的注意力图' },
      text: {
        en: 'During the run the dashboard draws both networks\' attention maps for a few test digits; after stage 1 the student\'s should resemble the teacher\'s.',
        zh: '运行时仪表板会画出两个网络在几张测试数字上的注意力图；第一阶段之后，学生的注意力图应当与教师的相似。',
      },
      formula: 'Q_s \\approx Q_t \\quad \\text{(normalised)}',
      anchors: ['attention-maps', 'run-button'],
      ask: runAsk,
      goal: { kind: 'runFinished', studentId: 'student' },
      effect: distillationEffect,
    },
  ],
};

/** Lesson 5: the flow between two layers as a Gram matrix. */
export const fspLesson: Lesson = {
  id: 'fsp',
  title: { en: 'FSP: the flow of the solution procedure', zh: 'FSP：解题流程' },
  summary: {
    en: 'How features flow from one layer to the next, as an FSP matrix the student learns to match.',
    zh: '特征如何从一层流向下一层：用 FSP 矩阵表示，学生学习匹配它。',
  },
  setup: { preset: 'cnn-mnist-at.json', name: { en: 'Lesson: FSP matrices', zh: '课程：FSP 矩阵' }, patches: twoStageQuick('stage-init') },
  steps: [
    {
      title: { en: 'The FSP matrix', zh: 'FSP 矩阵' },
      text: {
        en: 'Yim et al. (2017) take two layers of one network with the same H×W and multiply their channels position by position: entry (i, j) says how channel i of the earlier layer flows into channel j of the later one.',
        zh: 'Yim 等（2017）取同一网络中 H×W 相同的两层，逐位置相乘它们的通道：元素 (i, j) 表示前一层的通道 i 如何流向后一层的通道 j。',
      },
      formula: 'G_{ij}(x) = \\frac{1}{h w} \\sum_{s=1}^{h} \\sum_{t=1}^{w} F^{1}_{s,t,i}(x)\\, F^{2}_{s,t,j}(x)',
      anchors: ['node-fsp'],
      ask: { en: 'Click the FSP block on the canvas.', zh: '在画布上点击 FSP 模块。' },
      goal: { kind: 'nodeSelected', nodeId: 'fsp' },
      effect: null,
    },
    {
      title: { en: 'Matching the flow', zh: '匹配流程' },
      text: {
        en: 'The student\'s matrix must be the same size, m×n, so its two layers have the teacher\'s channel counts; no adapter is used. In stage 1 the student matches the FSP matrices (with attention transfer), in stage 2 it learns from soft targets.',
        zh: '学生的矩阵必须同样是 m×n，所以它的两层要与教师的通道数相同；不使用适配器。第一阶段学生匹配 FSP 矩阵（同时进行注意力迁移），第二阶段学习软目标。',
      },
      formula: '\\mathcal{L}_{FSP} = \\frac{1}{B} \\sum_{x} \\left\\lVert G_t(x) - G_s(x) \\right\\rVert_F^2',
      anchors: ['fsp-matrices', 'run-button'],
      ask: runAsk,
      goal: { kind: 'runFinished', studentId: 'student' },
      effect: distillationEffect,
    },
    {
      title: { en: 'Reading the matrices', zh: '解读矩阵' },
      text: {
        en: 'The dashboard shows the teacher\'s and the student\'s FSP matrices for one test digit and how far apart they are during training: the distance falls in stage 1.',
        zh: '仪表板显示教师和学生在一张测试数字上的 FSP 矩阵，以及训练中二者的距离：第一阶段距离会下降。',
      },
      formula: 'd = \\left\\lVert G_t - G_s \\right\\rVert_F',
      anchors: ['fsp-matrices'],
      ask: null,
      goal: null,
      effect: distillationEffect,
    },
  ],
};

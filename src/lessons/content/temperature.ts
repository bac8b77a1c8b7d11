import type { Lesson } from '../types';
import { fixed } from './format';

/** Lesson 1: no training, the shipped teacher's real logits softened at the KD block's T. */
export const temperatureLesson: Lesson = {
  id: 'soft-targets',
  title: { en: 'Soft targets and temperature', zh: '软目标与温度' },
  summary: {
    en: 'How the temperature T softens a teacher\'s predictions, and why the KD loss is multiplied by T². No training needed.',
    zh: '温度 T 如何软化教师的预测，以及为什么知识蒸馏损失要乘以 T²。无需训练。',
  },
  setup: {
    preset: 'hinton-mnist.json',
    name: { en: 'Lesson: soft targets and temperature', zh: '课程：软目标与温度' },
    patches: [{ kind: 'lossParam', nodeId: 'kd', key: 'T', value: 1 }, { kind: 'trainSubset', images: 5_000 }, { kind: 'epochs', trainerId: 'trainer', epochs: 1 }],
  },
  steps: [
    {
      title: { en: 'The teacher\'s soft targets', zh: '教师的软目标' },
      text: {
        en: 'In knowledge distillation a small student learns from a large teacher\'s class probabilities, its soft targets, not only from the labels. The KD block turns the teacher\'s logits z into probabilities with a temperature T. This experiment starts at T = 1, the ordinary softmax.',
        zh: '在知识蒸馏中，小的学生网络不仅从标签学习，还从大的教师网络给出的类别概率（即软目标）中学习。KD 模块用温度 T 把教师的 logits z 变成概率。本实验从 T = 1（普通的 softmax）开始。',
      },
      formula: 'p_i^{T} = \\frac{\\exp(z_i / T)}{\\sum_{j} \\exp(z_j / T)}',
      anchors: ['node-kd'],
      ask: { en: 'Click the KD block on the canvas to open its settings.', zh: '在画布上点击 KD 模块，打开它的设置。' },
      goal: { kind: 'nodeSelected', nodeId: 'kd' },
      effect: null,
    },
    {
      title: { en: 'Raise the temperature', zh: '提高温度' },
      text: {
        en: 'At T = 1 a good teacher puts almost all its probability on one digit, so its soft targets say little more than the label. Dividing the logits by a larger T flattens them: the small probabilities of the wrong classes (which digits this one resembles) become visible. Entropy measures how spread they are.',
        zh: '在 T = 1 时，好的教师几乎把全部概率放在一个数字上，软目标比标签多不了多少信息。用更大的 T 去除 logits 会让分布变平：错误类别上的小概率（这个数字像哪些数字）显现出来。熵衡量概率分布得有多散。',
      },
      formula: 'H(p^{T}) = -\\sum_{i} p_i^{T} \\log_2 p_i^{T} \\;\\le\\; \\log_2 10',
      anchors: ['loss-param-T', 'node-kd'],
      ask: { en: 'Set the temperature T to 8 or more (in the inspector, or in the field below).', zh: '把温度 T 设为 8 或更高（在检查器中，或在下面的输入框中）。' },
      goal: { kind: 'lossParam', nodeId: 'kd', key: 'T', atLeast: 8 },
      control: { kind: 'lossParam', nodeId: 'kd', key: 'T', label: { en: 'Temperature T', zh: '温度 T' }, min: 1, max: 50 },
      effect: {
        measure: 'teacherEntropy',
        args: { lossNodeId: 'kd' },
        say: {
          en: (v) => `The shipped teacher on ${v.images} real test digits: mean entropy ${fixed(v.entropyAtOne, 2)} bits at T = 1, ${fixed(v.entropyNow, 2)} bits at T = ${fixed(v.temperature, 1)} (at most ${fixed(v.maxEntropy, 2)}).`,
          zh: (v) => `已附带的教师在 ${v.images} 张真实测试数字上：T = 1 时平均熵为 ${fixed(v.entropyAtOne, 2)} 比特，T = ${fixed(v.temperature, 1)} 时为 ${fixed(v.entropyNow, 2)} 比特（最多 ${fixed(v.maxEntropy, 2)}）。`,
        },
      },
    },
    {
      title: { en: 'Why the loss is multiplied by T²', zh: '为什么损失要乘以 T²' },
      text: {
        en: 'Both softmaxes divide by T, so the gradients of the soft-target term shrink as 1/T². Hinton et al. multiply the KD loss by T² to keep it on the scale of the hard-label cross-entropy whatever T is. Their MNIST run used T = 20.',
        zh: '两个 softmax 都除以 T，所以软目标项的梯度按 1/T² 缩小。Hinton 等人把知识蒸馏损失乘以 T²，使它无论 T 取何值都与硬标签交叉熵处于同一量级。他们在 MNIST 上使用 T = 20。',
      },
      formula: '\\mathcal{L}_{KD} = T^2 \\, \\mathrm{KL}\\left(p_t^{T} \\,\\|\\, p_s^{T}\\right), \\qquad \\frac{\\partial \\mathcal{L}_{KD}}{\\partial z_s} = T \\left(p_s^{T} - p_t^{T}\\right)',
      anchors: ['loss-param-T', 'node-kd'],
      ask: { en: 'Set T to 20, Hinton\'s value for MNIST.', zh: '把 T 设为 20，即 Hinton 在 MNIST 上使用的值。' },
      goal: { kind: 'lossParam', nodeId: 'kd', key: 'T', atLeast: 20 },
      control: { kind: 'lossParam', nodeId: 'kd', key: 'T', label: { en: 'Temperature T', zh: '温度 T' }, min: 1, max: 50 },
      effect: {
        measure: 'temperatureScale',
        args: { lossNodeId: 'kd' },
        say: {
          en: (v) => `At T = ${fixed(v.temperature, 1)} the KD term is multiplied by T² = ${fixed(v.scale, 0)}; without it its gradients would be about 1/${fixed(v.scale, 0)} of the cross-entropy's.`,
          zh: (v) => `T = ${fixed(v.temperature, 1)} 时，KD 项乘以 T² = ${fixed(v.scale, 0)}；否则它的梯度只有交叉熵梯度的约 1/${fixed(v.scale, 0)}。`,
        },
      },
    },
    {
      title: { en: 'See it on real digits', zh: '在真实数字上观察' },
      text: {
        en: 'The temperature explorer shows the shipped teacher\'s soft targets for twelve test digits. Move its slider: the bars of the wrong classes grow with T. This mass on the wrong classes is the "dark knowledge" the student learns from.',
        zh: '温度探索器显示已附带教师对十二张测试数字的软目标。拖动滑块：错误类别的柱子随 T 增高。错误类别上的这部分概率就是学生从中学习的“暗知识”。',
      },
      formula: '\\text{dark knowledge} = \\sum_{i \\ne y} p_i^{T}',
      anchors: ['open-temperature-explorer'],
      ask: { en: 'Open the Temperature explorer and move its slider.', zh: '打开温度探索器（Temperature explorer）并拖动滑块。' },
      goal: { kind: 'shown', testId: 'temperature-explorer' },
      effect: null,
    },
  ],
};

import type { Lesson } from '../types';
import { runAsk, sayDistillation } from './sayDistillation';

const quick = [{ kind: 'trainSubset' as const, images: 5_000 }, { kind: 'epochs' as const, trainerId: 'trainer', epochs: 1 }];

/** Lesson 6: knowledge in the relations between samples. */
export const relationsLesson: Lesson = {
  id: 'relations',
  title: { en: 'Relational knowledge', zh: '关系知识' },
  summary: {
    en: 'Not what the teacher says about each image, but how it places images relative to each other: distances and angles.',
    zh: '不是教师对每张图像说了什么，而是它如何安排图像之间的相对位置：距离与角度。',
  },
  setup: { preset: 'relations-mnist.json', name: { en: 'Lesson: relational knowledge', zh: '课程：关系知识' }, patches: quick },
  steps: [
    {
      title: { en: 'Distances between samples', zh: '样本之间的距离' },
      text: {
        en: 'Relational KD (Park et al. 2019) compares the distances between the embeddings of every pair of images in a batch, each divided by the batch\'s mean distance μ, so teacher and student may have different sizes.',
        zh: '关系知识蒸馏 RKD（Park 等，2019）比较一个批次中每对图像嵌入之间的距离，每个距离除以该批次的平均距离 μ，因此教师和学生的维度可以不同。',
      },
      formula: '\\psi_D(a, b) = \\frac{\\lVert a - b \\rVert_2}{\\mu}, \\qquad \\mathcal{L}_D = \\operatorname{mean}_{(i,j)} \\mathrm{Huber}\\left(\\psi_D^{t}, \\psi_D^{s}\\right)',
      anchors: ['node-rkd'],
      ask: { en: 'Click the RKD block on the canvas.', zh: '在画布上点击 RKD 模块。' },
      goal: { kind: 'nodeSelected', nodeId: 'rkd' },
      effect: null,
    },
    {
      title: { en: 'Angles between samples', zh: '样本之间的角度' },
      text: {
        en: 'The angle term compares, for every triple of images, the angle at the middle one. Turn it off to distil the distances alone (with SP and PKT, the other relational losses here).',
        zh: '角度项对每三张图像比较以中间那张为顶点的夹角。把它关掉，只蒸馏距离（还有本实验中的另外两种关系损失 SP 和 PKT）。',
      },
      formula: '\\psi_A(a, b, c) = \\left\\langle \\frac{a - b}{\\lVert a - b \\rVert}, \\frac{c - b}{\\lVert c - b \\rVert} \\right\\rangle',
      anchors: ['loss-param-angleWeight', 'node-rkd'],
      ask: { en: 'Set the angle weight λ_A to 0.', zh: '把角度权重 λ_A 设为 0。' },
      goal: { kind: 'lossParam', nodeId: 'rkd', key: 'angleWeight', atMost: 0 },
      control: { kind: 'lossParam', nodeId: 'rkd', key: 'angleWeight', label: { en: 'Angle weight λ_A', zh: '角度权重 λ_A' }, min: 0, max: 100 },
      effect: null,
    },
    {
      title: { en: 'The B×B relation matrices', zh: 'B×B 关系矩阵' },
      text: {
        en: 'During the run the dashboard draws the teacher\'s and the student\'s relation matrices over a batch: the student\'s pattern should come to look like the teacher\'s.',
        zh: '运行时仪表板画出教师和学生在一个批次上的关系矩阵：学生的模式应逐渐变得与教师相似。',
      },
      formula: '\\mathcal{L}_{RKD} = \\lambda_D \\mathcal{L}_D + \\lambda_A \\mathcal{L}_A',
      anchors: ['relation-matrices', 'run-button'],
      ask: runAsk,
      goal: { kind: 'runFinished', studentId: 'student' },
      effect: { measure: 'distillation', args: { studentId: 'student' }, say: sayDistillation },
    },
  ],
};

/** Lesson 7: no teacher; two students teach each other. */
export const mutualLesson: Lesson = {
  id: 'mutual',
  title: { en: 'Deep mutual learning', zh: '深度互学习' },
  summary: {
    en: 'No pretrained teacher: two small peers train together, each learning from the labels and from the other\'s predictions.',
    zh: '没有预训练的教师：两个小的同伴网络一起训练，各自从标签和对方的预测中学习。',
  },
  setup: { preset: 'dml-mnist.json', name: { en: 'Lesson: mutual learning', zh: '课程：互学习' }, patches: quick },
  steps: [
    {
      title: { en: 'Two peers', zh: '两个同伴' },
      text: {
        en: 'In deep mutual learning (Zhang et al. 2018) each peer minimises its cross-entropy plus the KL divergence from the other peer\'s predictions, taken as fixed targets at each step.',
        zh: '在深度互学习（Zhang 等，2018）中，每个同伴最小化自己的交叉熵，加上与另一个同伴预测之间的 KL 散度；每一步都把对方的预测当作固定目标。',
      },
      formula: '\\mathcal{L}_{\\Theta_1} = \\mathrm{CE}(y, p_1) + \\mathrm{KL}\\left(p_2 \\,\\|\\, p_1\\right), \\qquad \\mathcal{L}_{\\Theta_2} = \\mathrm{CE}(y, p_2) + \\mathrm{KL}\\left(p_1 \\,\\|\\, p_2\\right)',
      anchors: ['node-kd-peer1'],
      ask: { en: 'Click the KD block through which peer 1 learns from peer 2.', zh: '点击同伴 1 向同伴 2 学习所经过的 KD 模块。' },
      goal: { kind: 'nodeSelected', nodeId: 'kd-peer1' },
      effect: null,
    },
    {
      title: { en: 'Does learning together help?', zh: '一起学习有帮助吗？' },
      text: {
        en: 'Each peer is compared with its baseline, the same network trained alone on the labels. Compression is 1× here: the peers are the same size.',
        zh: '每个同伴都与它的基线（同一网络只用标签单独训练）比较。这里的压缩比为 1×：两个同伴大小相同。',
      },
      formula: '\\text{gain}_1 = \\mathrm{acc}_1 - \\mathrm{acc}_{1,\\text{baseline}}',
      anchors: ['run-button'],
      ask: {
        en: 'Press ▶ Run. The two peers train together, and each one alone as its baseline, for one epoch on 5,000 images (a minute or two).',
        zh: '点击 ▶ 运行。两个同伴一起训练，并各自单独训练作为基线，在 5,000 张图像上训练一个轮次（约一两分钟）。',
      },
      goal: { kind: 'runFinished', studentId: 'peer1' },
      effect: { measure: 'distillation', args: { studentId: 'peer1' }, say: sayDistillation },
    },
  ],
};

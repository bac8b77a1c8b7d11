import type { Lesson } from '../types';
import { count, ratio } from './format';
import { runAsk, sayDistillation } from './sayDistillation';

const sayCompression = {
  en: (v: { teacherParams: number; studentParams: number; ratio: number }) =>
    `Teacher ${count(v.teacherParams)} ÷ student ${count(v.studentParams)} parameters = compression ${ratio(v.ratio)}.`,
  zh: (v: { teacherParams: number; studentParams: number; ratio: number }) =>
    `教师 ${count(v.teacherParams)} ÷ 学生 ${count(v.studentParams)} 个参数 = 压缩比 ${ratio(v.ratio)}。`,
};

/** Lesson 8: shrink the student, watch the compression grow and what it costs in accuracy. */
export const compressionLesson: Lesson = {
  id: 'compression',
  title: { en: 'Distillation with compression', zh: '带压缩的蒸馏' },
  summary: {
    en: 'A 2000-2000 teacher and a tiny student: shrink the student further and see what the compression costs.',
    zh: '2000-2000 的教师与一个很小的学生：把学生再缩小，看看压缩的代价。',
  },
  setup: {
    preset: 'article-mnist.json',
    name: { en: 'Lesson: distillation with compression', zh: '课程：带压缩的蒸馏' },
    patches: [{ kind: 'trainSubset', images: 5_000 }, { kind: 'epochs', trainerId: 'trainer', epochs: 1 }],
  },
  steps: [
    {
      title: { en: 'A tiny student', zh: '一个很小的学生' },
      text: {
        en: 'Distillation is a way to compress a network: the student is what gets deployed (here on an Atlas 200DK board in the article this preset follows). Its hidden layers have 50 units against the teacher\'s 2,000.',
        zh: '知识蒸馏是一种压缩网络的方法：部署的是学生网络（本预设所依据的文章把它部署在 Atlas 200DK 开发板上）。它的隐藏层只有 50 个单元，而教师有 2,000 个。',
      },
      formula: '\\text{compression} = \\frac{|\\theta_t|}{|\\theta_s|}, \\qquad |\\theta| = \\sum_{l} (n_{l-1} + 1)\\, n_l',
      anchors: ['node-student'],
      ask: { en: 'Click the student on the canvas.', zh: '在画布上点击学生。' },
      goal: { kind: 'nodeSelected', nodeId: 'student' },
      effect: { measure: 'compression', args: { teacherId: 'teacher', studentId: 'student' }, say: sayCompression },
    },
    {
      title: { en: 'Shrink the student', zh: '缩小学生' },
      text: {
        en: 'Most of a small MLP\'s parameters sit in its first layer (784 inputs per unit), so the compression ratio grows almost as fast as the hidden width shrinks.',
        zh: '小型多层感知机的大部分参数都在第一层（每个单元有 784 个输入），所以隐藏层宽度缩小多少，压缩比就几乎增大多少。',
      },
      formula: '|\\theta_s| \\approx 784\\, n_1 \\quad\\Rightarrow\\quad \\text{compression} \\propto \\frac{1}{n_1}',
      anchors: ['layer-editor', 'node-student'],
      ask: { en: 'Make the student\'s hidden layers 20 units wide (below, or in the inspector\'s layers), for a compression of 300× or more.', zh: '把学生的隐藏层宽度设为 20 个单元（在下方，或在检查器的层列表中），使压缩比达到 300× 以上。' },
      goal: { kind: 'compressionAtLeast', teacherId: 'teacher', studentId: 'student', ratio: 300 },
      control: { kind: 'hiddenUnits', modelId: 'student', label: { en: 'Hidden units per layer', zh: '每层隐藏单元数' }, min: 1, max: 2000 },
      effect: { measure: 'compression', args: { teacherId: 'teacher', studentId: 'student' }, say: sayCompression },
    },
    {
      title: { en: 'What the compression costs', zh: '压缩的代价' },
      text: {
        en: 'A smaller student drops more accuracy below its teacher; distillation tries to win some of it back, which the gain over the baseline measures.',
        zh: '学生越小，准确率比教师下降得越多；知识蒸馏试图挽回一部分，蒸馏增益（相对基线）衡量挽回了多少。',
      },
      formula: '\\text{drop} = \\mathrm{acc}_t - \\mathrm{acc}_s, \\qquad \\text{gain} = \\mathrm{acc}_s - \\mathrm{acc}_{\\text{baseline}}',
      anchors: ['run-button'],
      ask: runAsk,
      goal: { kind: 'runFinished', studentId: 'student' },
      effect: { measure: 'distillation', args: { studentId: 'student' }, say: sayDistillation },
    },
  ],
};

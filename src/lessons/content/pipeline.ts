import type { Lesson } from '../types';
import { count, ratio } from './format';
import { runAsk, sayDistillation } from './sayDistillation';

/** Lesson 2: the phases of a run and the three numbers every distillation reports. */
export const pipelineLesson: Lesson = {
  id: 'pipeline',
  title: { en: 'The teacher-student pipeline and the three metrics', zh: '教师-学生流程与三个指标' },
  summary: {
    en: 'A teacher trains first, then a student learns from it; its baseline learns from labels alone. Compression, accuracy drop and distillation gain.',
    zh: '先训练教师，再让学生向它学习；学生的基线只从标签学习。压缩比、准确率下降与蒸馏增益。',
  },
  setup: {
    preset: 'hinton-mnist.json',
    name: { en: 'Lesson: the pipeline and the three metrics', zh: '课程：流程与三个指标' },
    patches: [{ kind: 'trainSubset', images: 5_000 }, { kind: 'epochs', trainerId: 'trainer', epochs: 1 }],
  },
  steps: [
    {
      title: { en: 'The teacher', zh: '教师' },
      text: {
        en: 'A run has phases: the teacher trains on the labels first (here a teacher trained on all 55,000 images ships with the studio, so it is reused), then it is frozen and teaches. The student minimises cross-entropy plus the soft-target term.',
        zh: '一次运行分为几个阶段：先用标签训练教师（这里工作室附带了一个在全部 55,000 张图像上训练好的教师，直接复用），然后教师被冻结并进行教学。学生最小化交叉熵加上软目标项。',
      },
      formula: '\\mathcal{L}_s = 0.1\\,\\mathrm{CE}(y, p_s) + 0.9\\,T^2\\,\\mathrm{KL}\\left(p_t^{T} \\,\\|\\, p_s^{T}\\right)',
      anchors: ['node-teacher'],
      ask: { en: 'Click the teacher on the canvas; the inspector says that a shipped teacher matches.', zh: '在画布上点击教师；检查器会显示有匹配的预训练教师。' },
      goal: { kind: 'nodeSelected', nodeId: 'teacher' },
      effect: null,
    },
    {
      title: { en: 'Compression', zh: '压缩比' },
      text: {
        en: 'The first number is known before training: how many times fewer parameters the student has than its teacher.',
        zh: '第一个指标在训练前就已知：学生的参数比教师少多少倍。',
      },
      formula: '\\text{compression} = \\frac{|\\theta_t|}{|\\theta_s|}',
      anchors: ['node-student'],
      ask: { en: 'Click the student on the canvas.', zh: '在画布上点击学生。' },
      goal: { kind: 'nodeSelected', nodeId: 'student' },
      effect: {
        measure: 'compression',
        args: { teacherId: 'teacher', studentId: 'student' },
        say: {
          en: (v) => `Teacher ${count(v.teacherParams)} ÷ student ${count(v.studentParams)} parameters = ${ratio(v.ratio)}.`,
          zh: (v) => `教师 ${count(v.teacherParams)} ÷ 学生 ${count(v.studentParams)} 个参数 = ${ratio(v.ratio)}。`,
        },
      },
    },
    {
      title: { en: 'Run: the student and its baseline', zh: '运行：学生与它的基线' },
      text: {
        en: 'To know what the teacher added, the same student with the same initial weights, data and epochs also trains on the labels alone: the baseline. The accuracy drop compares the student with its teacher, the distillation gain with its baseline.',
        zh: '为了知道教师带来了什么，同一个学生以相同的初始权重、数据和轮次只用标签再训练一次：这就是基线。准确率下降把学生与教师比较，蒸馏增益把学生与基线比较。',
      },
      formula: '\\text{drop} = \\mathrm{acc}_t - \\mathrm{acc}_s, \\qquad \\text{gain} = \\mathrm{acc}_s - \\mathrm{acc}_{\\text{baseline}}',
      anchors: ['run-button'],
      ask: runAsk,
      goal: { kind: 'runFinished', studentId: 'student' },
      effect: { measure: 'distillation', args: { studentId: 'student' }, say: sayDistillation },
    },
    {
      title: { en: 'Reading the three numbers', zh: '解读三个指标' },
      text: {
        en: 'A good distillation has a large compression, a small accuracy drop and a positive gain. One short run of one epoch is noisy: the seed sweep (Seeds next to Run) tells whether a gain is more than chance.',
        zh: '好的蒸馏压缩比大、准确率下降小、蒸馏增益为正。只训练一个轮次的短训练噪声很大：运行按钮旁的多种子实验可以判断增益是否超出偶然。',
      },
      formula: '\\text{gain} > 0 \\iff \\mathrm{acc}_s > \\mathrm{acc}_{\\text{baseline}}',
      anchors: ['results-headline', 'results-panel'],
      ask: null,
      goal: null,
      effect: { measure: 'distillation', args: { studentId: 'student' }, say: sayDistillation },
    },
  ],
};

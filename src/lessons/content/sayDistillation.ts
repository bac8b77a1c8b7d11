import type { BilingualSay, MeasureValues } from '../types';
import { fixed, points, ratio } from './format';

/** The three numbers of a finished run, said the same way by every lesson that trains. */
export const sayDistillation: BilingualSay<MeasureValues['distillation']> = {
  en: (v) => `Compression ${ratio(v.compression)}; accuracy drop ${fixed(v.teacherAccuracy, 2)} % − ${fixed(v.studentAccuracy, 2)} % = ${points(v.drop)} points; `
    + `distillation gain ${fixed(v.studentAccuracy, 2)} % − baseline ${fixed(v.baselineAccuracy, 2)} % = ${points(v.gain)} points`
    + `${v.gain > 0 ? ': the teacher helped.' : v.gain < 0 ? ': the teacher did not help in this short run.' : '.'}`,
  zh: (v) => `压缩比 ${ratio(v.compression)}；准确率下降 ${fixed(v.teacherAccuracy, 2)} % − ${fixed(v.studentAccuracy, 2)} % = ${points(v.drop)} 个百分点；`
    + `蒸馏增益 ${fixed(v.studentAccuracy, 2)} % − 基线 ${fixed(v.baselineAccuracy, 2)} % = ${points(v.gain)} 个百分点`
    + `${v.gain > 0 ? '：教师起了作用。' : v.gain < 0 ? '：在这次短训练中教师没有带来提升。' : '。'}`,
};

/** The ask of every lesson step that trains: Run, on the shipped teacher and a small subset. */
export const runAsk = {
  en: 'Press ▶ Run. The shipped teacher is reused; the student and its baseline train for one epoch on part of the training images (a few minutes on WebAssembly).',
  zh: '点击 ▶ 运行。会直接使用已附带的预训练教师；学生及其基线在部分训练图像上训练一个轮次（在 WebAssembly 上需几分钟）。',
};

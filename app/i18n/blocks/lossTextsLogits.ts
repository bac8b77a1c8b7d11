import type { LossTextZh, ParamTextZh } from './types';
import { zhPorts } from './lossPorts';

/** Losses on logits (the output layer): CE, KD and its variants, TSD, adversarial KD. */

const temperature: ParamTextZh = {
  label: '温度 T',
  description: '软化两个分布：T 越高，越能显现那些很小的“暗知识”概率。',
};

export const logitLossTextsZh: Readonly<Record<string, LossTextZh>> = {
  ce: {
    label: '交叉熵',
    summary: '普通的训练损失：学生给真实类别的概率越高，损失越小。',
    ports: { logits: '学生 logits', ...zhPorts.labels },
    params: {},
  },
  kd: {
    label: 'KD（软目标）',
    summary: '学生学习模仿教师经温度软化后的类别概率（软目标），它们反映了教师眼中各类别有多相似。乘以 T² 使梯度与硬标签损失保持同一量级。',
    ports: { ...zhPorts.teacherLogits, ...zhPorts.studentLogits },
    params: { T: temperature },
  },
  tfkd: {
    label: 'Tf-KD（虚拟教师）',
    summary: '没有教师网络：手工构造的“虚拟教师”把概率 a 给真实类别，其余均匀分给其他类别，学生像 KD 一样向它蒸馏。其作用相当于一种更聪明的标签平滑。',
    ports: { logits: '学生 logits', ...zhPorts.labels },
    params: {
      a: { label: '真实类别概率 a', description: '虚拟教师对真实类别的置信度（论文使用 a ≥ 0.9）。' },
      T: { label: '温度 T', description: '软化虚拟教师（按 logits 处理，与作者代码一致）和学生。' },
    },
  },
  dkd: {
    label: 'DKD（解耦知识蒸馏）',
    summary: '把 KD 拆成两部分：教师与学生对真实类别有多确定（TCKD），以及它们如何排列其他类别（NCKD）。经典 KD 以教师的 1 − p_y 加权第二项，教师越自信它就越弱；DKD 给它单独的权重 beta。',
    ports: { ...zhPorts.teacherLogits, ...zhPorts.studentLogits, ...zhPorts.labels },
    params: {
      T: temperature,
      alpha: { label: 'Alpha（TCKD）', description: '目标类别项的权重；论文中为 1。' },
      beta: { label: 'Beta（NCKD）', description: '非目标类别项的权重：论文中 CIFAR-100 用 8（ImageNet 用 0.5）。' },
    },
  },
  tsd: {
    label: 'TSD（宽容的教师）',
    summary: '用于正在训练的网络的正则项（为下一代培养一个宽容的教师）：缩小真实类别置信度与其余 K − 1 个最自信类别的平均置信度之间的差距，使几个相似类别保留一些概率。分数按 softmax 置信度读取，真实类别视为主类别（论文的确切形式未能核实）。',
    ports: { logits: 'Logits（正在训练的网络）', ...zhPorts.labels },
    params: {
      K: {
        label: '类别数 K',
        description: '真实类别加上 K − 1 个最自信的其他类别（不超过类别总数）。5 是我们对“几个次要类别”的选择；论文的取值未能核实。',
      },
    },
  },
  adversarial: {
    label: '对抗式 KD',
    summary: '一个小判别器学习区分教师与学生的 logits，学生则学习骗过它。两者轮流更新，判别器使用自己的优化器。条件形式还要求两者都给出类别。',
    ports: { teacherLogits: '教师 logits（真）', studentLogits: '学生 logits（假）', ...zhPorts.labels },
    params: {
      objective: {
        label: '目标函数',
        choices: ['bce', 'lsgan'],
        description: 'bce：二元交叉熵（学生最小化 −log D(z_s)）；lsgan：最小二乘，判别器损失 ((D(t) − 1)² + D(s)²) / 2，学生损失 (D(s) − 1)²。',
      },
      conditional: {
        label: '条件式',
        choices: ['关', '开'],
        description: '开：判别器输出 C + 2 个值（类别 logits 和真/假），双方也都学习类别（仅限交叉熵目标）。',
      },
      l1: { label: 'L1 权重', description: '学生损失中平均 |z_s − z_t| 的权重（Xu 等人在条件形式中加入此项）。' },
      hidden: { label: '隐藏单元数', description: '判别器残差 MLP 的宽度。' },
      learningRate: { label: '判别器学习率', description: '判别器自身更新所用 Adam 的步长。' },
    },
  },
};

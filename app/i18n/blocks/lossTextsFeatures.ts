import type { LossTextZh } from './types';
import { zhPaperOrRepDistiller, zhPorts } from './lossPorts';

/** Losses on intermediate layers: FitNet hints, attention, FSP, NST, VID, factor transfer. */
export const featureLossTextsZh: Readonly<Record<string, LossTextZh>> = {
  fitnet: {
    label: 'FitNet 提示层',
    summary: '学生的一个中间层（经过一个小适配器 r）学习重现教师的一个中间层（提示层）。论文先单独训练这一提示，再用 KD 训练整个学生网络。',
    ports: zhPorts.feature,
    params: {
      form: {
        label: '形式',
        choices: ['论文', 'mse'],
        description: '论文：每个样本的 1/2 平方 L2 距离，对全部 H*W*C 个元素求和（用于只训练提示层的第一阶段：在 [7, 7, 16] 的特征图上初始约为 400，约为交叉熵的 100 倍）；mse：所有元素的均方误差（RepDistiller 的单阶段形式，配合权重 100 使用）。',
      },
    },
  },
  at: {
    label: '注意力迁移',
    summary: '学生学习教师“看向哪里”：每层给出一张激活能量的空间图（注意力图），使教师与学生归一化后的注意力图相似。通道数可以不同。',
    ports: { guide: '引导层（教师特征图）', guided: '被引导层（学生特征图）' },
    params: {
      p: { label: '幂次 p', description: 'Q(F) 对各通道的 |F_k|^p 求和；论文中 p = 2。' },
      form: {
        label: '形式',
        choices: zhPaperOrRepDistiller,
        description: '论文：每个样本 L2 距离的 beta/2 倍，beta = 权重 / (H W)，与论文设定一致；RepDistiller：归一化注意力图的均方差。',
      },
      resize: {
        label: '缩放',
        choices: ['关', '双线性'],
        description: '当 H、W 不同时，把较小的注意力图双线性上采样（角点对齐）到较大的尺寸。',
      },
    },
  },
  fsp: {
    label: 'FSP 矩阵',
    summary: '两层之间的“流”（前一层各通道与后一层各通道的关系）汇总为一个矩阵；学生复制教师的矩阵。论文用它在正常训练前初始化学生网络。',
    ports: zhPorts.twoLayers,
    params: {
      form: {
        label: '形式',
        choices: zhPaperOrRepDistiller,
        description: '论文：每个样本的 Frobenius 距离平方，对批次取平均；RepDistiller：对矩阵元素取平均（配合权重 50 使用）。',
      },
    },
  },
  nst: {
    label: 'NST（神经元选择性迁移）',
    summary: '每个通道的空间模式视为一个样本；让学生的通道模式集合服从与教师相同的分布（平方 MMD）。通道数可以不同，位置数 H*W 必须一致。',
    ports: zhPorts.map,
    params: {
      kernel: {
        label: '核函数',
        choices: ['线性', '多项式', '高斯'],
        description: '线性 x.y；多项式 (x.y + c)^d（论文最佳，d = 2、c = 0：Gram 矩阵匹配）；高斯 exp(−|x−y|² / 2 sigma²)。',
      },
      degree: { label: '次数 d', description: '多项式核的次数。' },
      c: { label: '偏移 c', description: '多项式核的偏移量。' },
      sigma: { label: 'Sigma', description: '高斯核的宽度。' },
    },
  },
  vid: {
    label: 'VID（变分信息蒸馏）',
    summary: '学生层必须让教师层变得可预测：一个小的可学习回归器由学生特征预测教师特征，并为每个通道学习一个不确定度。最大化二者互信息的一个下界。',
    ports: { guide: '引导层（教师特征 t）', guided: '被引导层（学生特征 s）' },
    params: {
      form: {
        label: '形式',
        choices: zhPaperOrRepDistiller,
        description: '论文：对通道求和，对位置和批次取平均；RepDistiller：对所有元素取平均（小 C 倍）。',
      },
    },
  },
  ft: {
    label: 'FT（因子迁移）',
    summary: '先单独训练一个释义器（paraphraser），把教师的特征图压缩成更小的“因子”并重建出来；然后学生特征图上的翻译器（translator）学习产生相同的（归一化）因子，此时释义器保持不变。',
    ports: zhPorts.map,
    params: {
      rate: { label: '因子比例 k', description: '因子通道数 = k × 教师特征图的通道数（论文的释义比例；CIFAR 上为 0.5）。' },
      paraphraserEpochs: {
        label: '释义器轮数',
        description: '在首次使用此模块的阶段之前，释义器单独训练重建教师特征（均方误差）的轮数（RepDistiller：30）。',
      },
      paraphraserRate: {
        label: '释义器学习率',
        description: '释义器自身训练所用 Adam 的步长（RepDistiller 沿用运行的 SGD：0.05，动量 0.9）。',
      },
      form: {
        label: '形式',
        choices: zhPaperOrRepDistiller,
        description: '论文：每个样本归一化因子之差的 L1 范数，对批次取平均；RepDistiller：RepDistiller 的损失，先把每个因子在每个位置上化为各通道平方的均值再归一化，并对绝对差取平均（配合权重 200 使用）。',
      },
    },
  },
};

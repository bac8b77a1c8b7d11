import type { ModelRole, NodeKind } from '../../../src/graph/schema';
import type { FieldTextZh } from './types';

/** Chinese texts of the non-loss blocks in `src/graph/nodeKinds.ts`: kinds, roles, fields, ports. */

type BlockKind = Exclude<NodeKind, 'loss'>;

export const blockTextsZh: Readonly<Record<BlockKind, { label: string; description: string }>> = {
  dataset: {
    label: '数据集',
    description: '图像与标签：训练子集、验证留出集、测试子集、数据增强、批次采样和探针图像。',
  },
  model: { label: '模型', description: '以层列表给出的网络：教师、助教、学生或同伴。' },
  guide: {
    label: '引导层',
    description: '施教网络（教师、助教或同伴）中输出用于施教的一层（提示层）；学生自己较深的层也可以教它较浅的层（自蒸馏）。',
  },
  guided: {
    label: '被引导层',
    description: '学习网络（学生、助教或同伴）中向引导层学习的一层；当损失逐元素比较二者时，适配器把它映射到引导层的形状。',
  },
  head: {
    label: '辅助分类器',
    description: '接在学习层上的小分类器（全局平均池化，再接一个到各类别的全连接层）：它的 logits 向标签和网络自己最终的 logits 学习（自蒸馏，“Be Your Own Teacher”）。它与所属网络一起训练，测试时和导出时都会被去掉。',
  },
  ensemble: {
    label: '集成',
    description: '两个或更多已训练网络的类别概率平均（再生网络集成）：它的 Logits（平均 softmax 的对数）可以在损失的教师一侧施教，其准确率作为单独的结果报告。T ≠ 1 的 KD 模块软化的是平均后的分布（其 logits / T 的 softmax），而不是平均前的每个成员。',
  },
  trainer: {
    label: '训练器',
    description: '一个训练阶段：优化器、学习率计划、轮数以及它最小化的损失。用 next -> after 把训练器串成多个阶段。',
  },
  export: {
    label: '导出',
    description: '把训练好的网络（学生、助教或同伴）导出为 ONNX 或 Atlas（ATC）包。',
  },
};

export const roleTextsZh: Readonly<Record<ModelRole, { label: string; short: string; description: string }>> = {
  teacher: { label: '教师', short: '施教，冻结', description: '先用标签训练，施教时保持冻结。' },
  assistant: { label: '助教', short: '先学习，再施教', description: '向教师学习，再去教一个更小的网络（教师-助教链）。' },
  student: { label: '学生', short: '学习', description: '向施教的网络学习；与只用标签训练的基线对比。' },
  peer: { label: '同伴', short: '与其他同伴一起学习', description: '在同一个训练器中与其他同伴一起学习，彼此互教（互学习）。' },
};

/** By block kind, then port name; the loss block's own output is `loss`. */
export const blockPortTextsZh: Readonly<Record<NodeKind, Readonly<Record<string, string>>>> = {
  dataset: { images: '图像', labels: '标签' },
  model: { images: '图像', logits: 'Logits', layers: '层' },
  guide: { layers: '教师', feature: '特征' },
  guided: { layers: '学生', feature: '特征' },
  head: { feature: '特征', logits: 'Logits' },
  ensemble: { members: '成员', logits: 'Logits' },
  trainer: { losses: '损失', after: '之后', next: '下一阶段' },
  export: { model: '网络' },
  loss: { loss: '损失' },
};

/**
 * Inspector fields by group, then key. Groups follow the registry's arrays: each kind's `fields`,
 * the trainer settings shared by trainers and teachers, and the two fields edited on their own.
 */
export const fieldTextsZh = {
  dataset: {
    datasetId: { label: '数据集', description: '已注册的数据集 id（例如 mnist）。' },
    trainSubset: { label: '训练图像', description: '只使用前 N 张训练图像；留空 = 全部。' },
    validationSize: { label: '验证图像', description: '从训练文件末尾留出。' },
    testSubset: { label: '测试图像', description: '只使用前 N 张测试图像；留空 = 全部。' },
    augmentShift: { label: '随机平移（像素）', description: '随机平移数据增强；0 = 关闭。' },
    probeCount: { label: '探针图像', description: '在软目标和注意力面板中展示的固定测试图像。' },
  },
  model: {
    role: {
      label: '角色',
      description: '教师（先训练，然后冻结）、助教（先学习，再施教）、学生（学习）或同伴（与其他同伴一起学习）。',
    },
  },
  guide: { layerId: { label: '施教层', description: '要引出的施教网络中的层。' } },
  guided: {
    layerId: { label: '学习层', description: '要引出的学习网络中的层。' },
    adapter: {
      label: '适配器',
      description: 'auto：特征图尺寸相同而通道数不同时用 1x1 卷积，向量用全连接层，形状一致时不用。',
    },
  },
  head: {},
  ensemble: {},
  trainer: { stageName: { label: '阶段名称', description: '显示在进度和图表中。' } },
  trainerSettings: {
    optimizer: { label: '优化器', description: '带动量的 SGD，或 Adam。' },
    learningRate: { label: '学习率', description: '初始步长。' },
    momentum: { label: '动量', description: 'SGD 的动量（Adam 忽略它）。' },
    epochs: { label: '轮数', description: '遍历训练子集的次数。' },
    batchSize: { label: '批次大小', description: '每个梯度步的图像数。' },
    seed: { label: '随机种子', description: '决定权重初始化、打乱顺序和数据增强。' },
  },
  export: {
    format: { label: '格式', description: '纯 ONNX，或 ONNX 加上 ATC 转换包。' },
    socVersion: { label: 'SoC 版本', description: 'ATC 的 --soc_version，例如 Ascend310。' },
    aipp: { label: 'AIPP', description: '让昇腾预处理单元对图像做归一化。' },
    batchSize: { label: '批次大小', description: '导出图的固定批次大小。' },
    softmaxOutput: { label: 'Softmax 输出', description: '追加一个 softmax，使模型输出概率。' },
    opset: {
      label: 'ONNX opset',
      description: 'ONNX 算子集版本：默认 11；Atlas 200DK 支持的 CANN 版本中的 ATC 可读取 9 到 13。',
    },
  },
  weightDecay: {
    weightDecay: {
      label: '权重衰减',
      description: '对所有权重施加的耦合 L2 正则，与 PyTorch 的 weight_decay 相同；留空 = 不衰减。RepDistiller 的 CIFAR 配方使用 5e-4。',
    },
  },
  teacherAugmentShift: {
    augmentShift: {
      label: '教师随机平移（像素）',
      description: '仅用于教师自身训练的随机平移；留空 = 使用数据集的设置。Hinton 等人对教师做最多 2 像素的抖动，再在原始图像上蒸馏。',
    },
  },
  samplesPerClass: {
    samplesPerClass: {
      label: '每类图像数',
      description: '类别均匀批次：从 B / k 个随机类别中各取 k 张图像（若 B / k 超过类别数，则均匀取所有类别）。',
    },
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, FieldTextZh>>>>;

import { defineTexts } from '../texts';

/** Pruning: the trainer inspector's settings and the results table's columns for pruned models. */
export const pruningTexts = defineTexts({
  en: {
    heading: 'Pruning',
    method: 'Prune while this stage trains',
    off: 'Off',
    magnitude: 'Magnitude (unstructured weights)',
    channel: 'Channels (conv filters by L1 norm)',
    offHelp: 'Prunes nothing new. Weights pruned by an earlier stage stay 0: the surviving weights fine-tune.',
    magnitudeHelp: 'Zeroes the smallest |w| of each conv and dense kernel (not the classifier, not depthwise kernels). ' +
      'Pruned weights get no gradient and stay 0 in this and every later stage.',
    channelHelp: 'Zeroes whole output channels of each conv layer, smallest filter L1 norm first (Li et al. 2017): ' +
      'the filter, its bias and the next batch norm\'s scale and shift, so the channel outputs exactly 0.',
    targetSparsity: 'Target sparsity (fraction of each pruned layer)',
    targetHelp: '0.9 = 90 % of the weights (or channels) of every pruned layer become 0.',
    schedule: 'Schedule',
    oneShot: 'One-shot (before the first step)',
    gradual: 'Gradual (Zhu & Gupta cubic ramp)',
    everySteps: 'Update the masks every (steps)',
    rampFraction: 'Ramp over this fraction of the stage',
    gradualHelp: 's_t = s_f (1 - (1 - t / (n Δt))^3) at t = 0, Δt, … n Δt; then the stage trains at the target.',
    // Results columns
    sparsity: 'Sparsity',
    nonzeroParams: 'Non-zero params',
    sparseSize: 'Sparse size',
  },
  zh: {
    heading: '剪枝',
    method: '本阶段训练时剪枝',
    off: '关闭',
    magnitude: '权重幅值（非结构化）',
    channel: '通道（按 L1 范数剪卷积滤波器）',
    offHelp: '不再剪新的权重。之前阶段剪掉的权重保持为 0：剩下的权重继续微调。',
    magnitudeHelp: '把每个卷积核和全连接核中 |w| 最小的权重置 0（不含分类器和深度卷积核）。' +
      '被剪的权重没有梯度，在本阶段和之后每个阶段都保持为 0。',
    channelHelp: '按滤波器 L1 范数从小到大，把每个卷积层的整个输出通道置 0（Li 等，2017）：' +
      '滤波器、其偏置以及后面批归一化的缩放和平移，因此该通道的输出恰好为 0。',
    targetSparsity: '目标稀疏度（每个被剪层的比例）',
    targetHelp: '0.9 表示每个被剪层 90 % 的权重（或通道）变为 0。',
    schedule: '计划',
    oneShot: '一次性（在第一步之前）',
    gradual: '逐步（Zhu & Gupta 三次曲线）',
    everySteps: '每隔多少步更新掩码',
    rampFraction: '在本阶段的这一比例内逐步增加',
    gradualHelp: '在 t = 0、Δt、… n Δt 时 s_t = s_f (1 - (1 - t / (n Δt))^3)；之后本阶段以目标稀疏度训练。',
    sparsity: '稀疏度',
    nonzeroParams: '非零参数',
    sparseSize: '稀疏大小',
  },
});

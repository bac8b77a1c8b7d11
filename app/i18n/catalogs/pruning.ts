import type { SlimBlockReason } from '../../../src/compress/slim';
import { defineTexts } from '../texts';

/** Pruning: the trainer inspector's settings, the results table's columns for pruned models and the export panel's smaller files. */
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
    onnxFile: 'ONNX file',
    prunedOnnxFile: 'Pruned ONNX file',
    form: (form: 'slimmed' | 'sparse'): string => (form === 'slimmed' ? 'slimmed' : 'sparse'),
    // Export panel: the smaller files of a pruned student
    prunedHeading: 'Smaller files of the pruned student',
    slimmedFile: (bytes: string, dense: string) => `Slimmed ONNX (pruned channels removed): ${bytes}, dense ONNX ${dense}.`,
    slimmedConvs: (list: string) => `Channels kept: ${list}.`,
    keptWhole: (list: string) => `Kept whole, their zeroed channels stay in the file: ${list}.`,
    keptReason: (layer: string, zero: number, blockedBy: string, reason: SlimBlockReason) =>
      `${layer} (${zero} zero channels reach ${blockedBy}, ${({ add: 'a residual add', concat: 'a concat', pad: '-Infinity border padding', depthwise: 'a depthwise conv', activation: 'an activation that does not keep 0', batchNorm: 'a batch norm not zeroed there', other: 'a layer slimming does not handle' })[reason]})`,
    slimmedBundle: 'The Atlas bundle carries the slimmed network (what ATC should convert).',
    sparseFile: (bytes: string, dense: string, tensors: number) =>
      `Sparse ONNX (${tensors} weight tensors as sparse initialisers, for ONNX Runtime; ATC is not known to read them): ${bytes}, dense ONNX ${dense}.`,
    prunedVerified: (diff: string, agreement: string, samples: number) =>
      `Checked with ONNX Runtime against the pruned student: max logit difference ${diff}, same class on ${agreement} of ${samples} images.`,
    prunedMismatch: (diff: string) => `Not offered: ONNX Runtime disagrees with the pruned student (max logit difference ${diff}).`,
    downloadSlimmed: 'Download slimmed ONNX',
    downloadSparse: 'Download sparse ONNX',
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
    onnxFile: 'ONNX 文件',
    prunedOnnxFile: '剪枝后的 ONNX 文件',
    form: (form: 'slimmed' | 'sparse') => (form === 'slimmed' ? '瘦身' : '稀疏'),
    prunedHeading: '剪枝学生的更小文件',
    slimmedFile: (bytes: string, dense: string) => `瘦身 ONNX（去掉被剪通道）：${bytes}，稠密 ONNX ${dense}。`,
    slimmedConvs: (list: string) => `保留的通道：${list}。`,
    keptWhole: (list: string) => `整层保留，其置零的通道仍在文件中：${list}。`,
    keptReason: (layer: string, zero: number, blockedBy: string, reason: SlimBlockReason) =>
      `${layer}（${zero} 个零通道到达 ${blockedBy}，${({ add: '残差相加', concat: '通道拼接', pad: '-Infinity 边界填充', depthwise: '深度卷积', activation: '不保持 0 的激活函数', batchNorm: '该处未置零的批归一化', other: '瘦身不处理的层' })[reason]}）`,
    slimmedBundle: 'Atlas 部署包中是瘦身后的网络（ATC 应转换的模型）。',
    sparseFile: (bytes: string, dense: string, tensors: number) =>
      `稀疏 ONNX（${tensors} 个权重张量存为稀疏初始化器，供 ONNX Runtime 使用；未知 ATC 是否支持）：${bytes}，稠密 ONNX ${dense}。`,
    prunedVerified: (diff: string, agreement: string, samples: number) =>
      `已用 ONNX Runtime 与剪枝学生对照检查：最大 logit 差 ${diff}，${samples} 张图像中 ${agreement} 类别相同。`,
    prunedMismatch: (diff: string) => `不提供下载：ONNX Runtime 与剪枝学生不一致（最大 logit 差 ${diff}）。`,
    downloadSlimmed: '下载瘦身 ONNX',
    downloadSparse: '下载稀疏 ONNX',
  },
});

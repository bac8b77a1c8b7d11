import { defineTexts } from '../texts';

/** The trainer's INT8 quantisation-aware training fields and the INT8 columns of the results. */
export const quantizationTexts = defineTexts({
  en: {
    heading: 'INT8 quantisation',
    qat: 'Quantise to INT8',
    qatHelp: 'Per-channel INT8 weights and per-tensor INT8 activations. Its INT8 test accuracy and size appear in the results.',
    method: 'Method',
    methodHelp: 'QAT: from this stage on the network trains through fake quantisation (straight-through gradients). PTQ: it trains in float and is quantised after training, with activation ranges from the calibration images; compare the two on the same network.',
    methodQat: 'QAT',
    methodPtq: 'PTQ',
    int8Method: 'INT8 by',
    emaMomentum: 'Activation range momentum',
    emaMomentumHelp: 'How slowly the activation ranges follow each batch (moving average of min and max).',
    calibrationImages: 'Calibration images',
    calibrationImagesHelp: 'Training images whose min and max set the activation ranges (QAT: when it begins; PTQ: after training).',
    int8Accuracy: 'INT8 test',
    int8Size: 'INT8 size',
    downloadInt8: 'Download INT8 (QDQ) ONNX',
    int8Verified: (diff: string, agreement: string, samples: number) =>
      `INT8 (QDQ) ONNX checked with ONNX Runtime against the studio's INT8 model: max logit difference ${diff}, same class on ${agreement} of ${samples} images.`,
  },
  zh: {
    heading: 'INT8 量化',
    qat: '量化为 INT8',
    qatHelp: '权重逐通道 INT8，激活逐张量 INT8。结果中会给出其 INT8 测试准确率和大小。',
    method: '方法',
    methodHelp: 'QAT（量化感知训练）：从本阶段起，网络经过伪量化训练（直通梯度）。PTQ（训练后量化）：网络以浮点训练，训练结束后量化，激活范围取自校准图像；可在同一网络上比较两者。',
    methodQat: '量化感知训练（QAT）',
    methodPtq: '训练后量化（PTQ）',
    int8Method: 'INT8 方式',
    emaMomentum: '激活范围动量',
    emaMomentumHelp: '激活范围跟随每个批次的快慢（最小值和最大值的滑动平均）。',
    calibrationImages: '校准图像数',
    calibrationImagesHelp: '用这些训练图像的最小值和最大值确定激活范围（QAT：开始时；PTQ：训练结束后）。',
    int8Accuracy: 'INT8 测试',
    int8Size: 'INT8 大小',
    downloadInt8: '下载 INT8（QDQ）ONNX',
    int8Verified: (diff: string, agreement: string, samples: number) =>
      `INT8（QDQ）ONNX 已用 ONNX Runtime 与工作室的 INT8 模型对照检查：最大 logit 差 ${diff}，${samples} 张图像中 ${agreement} 类别相同。`,
  },
});

import { defineTexts } from '../texts';

/** The trainer's INT8 quantisation-aware training fields and the INT8 columns of the results. */
export const quantizationTexts = defineTexts({
  en: {
    heading: 'INT8 quantisation',
    qat: 'Quantisation-aware training (INT8)',
    qatHelp: 'From this stage on, the network trains through INT8 fake quantisation (per-channel weights, per-tensor activations, straight-through gradients). Its INT8 test accuracy and size appear in the results.',
    emaMomentum: 'Activation range momentum',
    emaMomentumHelp: 'How slowly the activation ranges follow each batch (moving average of min and max).',
    calibrationImages: 'Calibration images',
    calibrationImagesHelp: 'Training images whose min and max start the activation ranges when QAT begins.',
    int8Accuracy: 'INT8 test',
    int8Size: 'INT8 size',
    downloadInt8: 'Download INT8 (QDQ) ONNX',
    int8Verified: (diff: string, agreement: string, samples: number) =>
      `INT8 (QDQ) ONNX checked with ONNX Runtime against the studio's INT8 model: max logit difference ${diff}, same class on ${agreement} of ${samples} images.`,
  },
  zh: {
    heading: 'INT8 量化',
    qat: '量化感知训练（INT8）',
    qatHelp: '从本阶段起，网络经过 INT8 伪量化训练（权重逐通道、激活逐张量、直通梯度）。结果中会给出其 INT8 测试准确率和大小。',
    emaMomentum: '激活范围动量',
    emaMomentumHelp: '激活范围跟随每个批次的快慢（最小值和最大值的滑动平均）。',
    calibrationImages: '校准图像数',
    calibrationImagesHelp: '开始量化感知训练时，用这些训练图像的最小值和最大值初始化激活范围。',
    int8Accuracy: 'INT8 测试',
    int8Size: 'INT8 大小',
    downloadInt8: '下载 INT8（QDQ）ONNX',
    int8Verified: (diff: string, agreement: string, samples: number) =>
      `INT8（QDQ）ONNX 已用 ONNX Runtime 与工作室的 INT8 模型对照检查：最大 logit 差 ${diff}，${samples} 张图像中 ${agreement} 类别相同。`,
  },
});

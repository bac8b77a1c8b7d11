import { defineTexts } from '../texts';

/**
 * The export panel and its model card. Why a trained model no longer matches the graph, and the
 * export worker's errors, come from the core and stay English; so does the bundle's README.
 */
export const exportTexts = defineTexts({
  en: {
    region: 'Export',
    title: (model: string | null) => (model === null ? 'Export a trained model' : `Export "${model}"`),
    model: 'Model',
    fromSweep: (model: string, seed: number) =>
      `From the seed sweep, this is the last run's ${model} (seed ${seed}); its gain is that seed's, the sweep's mean is in the results panel.`,
    format: 'Format',
    formatAtc: 'ATC bundle (Atlas 200 DK)',
    formatOnnx: 'ONNX only',
    aipp: 'AIPP (uint8 input, normalised on the chip)',
    batchSize: 'Batch size',
    softmaxOutput: 'Softmax output "probs"',
    downloadOnnx: 'Download ONNX',
    downloadBundle: 'Download ATC bundle',
    downloadTfjs: 'Download tfjs model',
    downloadExperiment: 'Download experiment',
    downloadPytorch: 'PyTorch project (.zip)',
    pytorchRunning: 'Writing the PyTorch project…',
    pytorchFailed: (message: string) => `PyTorch project not written: ${message}`,
    loadWeights: 'Load weights (.json + .bin)',
    loadWeightsPair: 'Choose both files of a weights pair: <model id>.json and <model id>.bin.',
    loadWeightsNoModel: (stem: string) => `The graph has no model node '${stem}': the file name must be the model's id.`,
    // Verification
    idle: 'Train a student (or any model that learns) to export it.',
    running: 'Exporting and verifying with ONNX Runtime…',
    failed: (layer: string | null, message: string) => `Export failed${layer === null ? '' : ` at layer '${layer}'`}: ${message}`,
    workerCrashed: (detail: string) => `The export worker crashed: ${detail}`,
    facts: (maxDiff: string, tolerance: string, agree: string, samples: number) =>
      `max |diff| ${maxDiff} (tolerance ${tolerance}), ${agree} % of classes agree on ${samples} test images`,
    verified: (facts: string) => `Verified: ${facts}.`,
    mismatch: (facts: string) => `ONNX Runtime disagrees with the tfjs model: ${facts}. Downloads are disabled; please report this experiment.`,
    // Model card
    cardModel: 'Model',
    cardTestAccuracy: 'Test accuracy',
    cardTeacherAccuracy: 'Teacher accuracy',
    cardBaseline: 'Baseline (no teacher)',
    cardGain: 'Distillation gain',
    cardSeed: 'Seed',
    cardParameters: 'Parameters',
    cardFlops: 'FLOPs per image',
    cardInputOutputs: 'Input / outputs',
    cardOperators: 'Operators',
    cardBundle: 'Bundle',
    notAvailable: 'n/a',
    points: (points: string) => `${points} points`,
    noGain: (baseline: string, gain: string) =>
      `Distillation did not help this time: the same network trained without a teacher reached ${baseline} (${gain} for this model). ` +
      'On one seed a few tenths of a point are within seed-to-seed spread: run over several seeds before choosing, ' +
      'or export the baseline instead (in the model list).',
  },
  zh: {
    region: '导出',
    title: (model: string | null) => (model === null ? '导出已训练的模型' : `导出“${model}”`),
    model: '模型',
    fromSweep: (model: string, seed: number) =>
      `来自种子扫描：这是最后一次运行的 ${model}（种子 ${seed}）；其增益只属于该种子，扫描的平均增益见结果面板。`,
    format: '格式',
    formatAtc: 'ATC 部署包（Atlas 200 DK）',
    formatOnnx: '仅 ONNX',
    aipp: 'AIPP（uint8 输入，在芯片上归一化）',
    batchSize: '批大小',
    softmaxOutput: 'Softmax 输出 “probs”',
    downloadOnnx: '下载 ONNX',
    downloadBundle: '下载 ATC 部署包',
    downloadTfjs: '下载 tfjs 模型',
    downloadExperiment: '下载实验',
    downloadPytorch: 'PyTorch 项目（.zip）',
    pytorchRunning: '正在生成 PyTorch 项目…',
    pytorchFailed: (message: string) => `未能生成 PyTorch 项目：${message}`,
    loadWeights: '加载权重（.json + .bin）',
    loadWeightsPair: '请同时选择一对权重文件：<模型 id>.json 和 <模型 id>.bin。',
    loadWeightsNoModel: (stem: string) => `图中没有模型节点 '${stem}'：文件名必须是模型的 id。`,
    idle: '训练一个学生（或任何会学习的模型）后即可导出。',
    running: '正在导出并用 ONNX Runtime 验证…',
    failed: (layer: string | null, message: string) => `导出失败${layer === null ? '' : `（层 '${layer}'）`}：${message}`,
    workerCrashed: (detail: string) => `导出工作线程崩溃：${detail}`,
    facts: (maxDiff: string, tolerance: string, agree: string, samples: number) =>
      `最大 |差值| ${maxDiff}（容差 ${tolerance}），在 ${samples} 张测试图像上 ${agree} % 的类别一致`,
    verified: (facts: string) => `已验证：${facts}。`,
    mismatch: (facts: string) => `ONNX Runtime 与 tfjs 模型结果不一致：${facts}。下载已禁用；请报告此实验。`,
    cardModel: '模型',
    cardTestAccuracy: '测试集准确率',
    cardTeacherAccuracy: '教师准确率',
    cardBaseline: '基线（无教师）',
    cardGain: '蒸馏增益',
    cardSeed: '种子',
    cardParameters: '参数量',
    cardFlops: '每张图像的 FLOPs',
    cardInputOutputs: '输入 / 输出',
    cardOperators: '算子',
    cardBundle: '部署包',
    notAvailable: '无',
    points: (points: string) => `${points} 个百分点`,
    noGain: (baseline: string, gain: string) =>
      `这次蒸馏没有带来提升：不用教师训练的同一网络达到了 ${baseline}（此模型为 ${gain}）。` +
      '只用一个种子时，零点几个百分点的差异在种子间波动范围之内：请先用多个种子运行再做选择，' +
      '或改为导出基线（在模型列表中）。',
  },
});

import type { Language } from './language';

interface PresetText { name: string; description: string }

/** A full-data twin of a quick preset: same graph, every MNIST image, hence the long run. */
const full = (name: string, quick: string): PresetText => ({
  name: `${name}，完整 MNIST（耗时较长）`,
  description: `与“${quick}”预设相同，但使用完整的 MNIST 训练集和测试集，运行时间较长。`,
});

/**
 * The preset list in Chinese, keyed by preset file (public/presets/index.json, built from
 * presetIndex). The experiment name inside a file is user data and stays as written.
 */
export const presetTextsZh: Readonly<Record<string, PresetText>> = {
  'hinton-mnist.json': { name: 'MNIST 上的 Hinton KD', description: 'MLP 教师 1200-1200 -> 学生 800-800，温度 T = 20 的软目标。' },
  'article-mnist.json': { name: '极小学生（文章）', description: 'MLP 教师 2000-2000 -> 学生 50-50，T = 6，即 MNIST + Atlas 200DK 文章中的实验。' },
  'cnn-mnist-at.json': { name: 'CNN：FSP + AT，然后 KD', description: '小型 CNN 教师 -> 更小的 CNN 学生：第 1 阶段匹配 FSP 矩阵和注意力图，第 2 阶段使用软目标。' },
  'fitnet-mnist.json': { name: 'FitNet：提示，然后 KD', description: '两个阶段：先通过 1x1 卷积适配器进行 FitNet 提示学习，再用交叉熵和 KD。' },
  'cnn-mnist-kd.json': { name: 'CNN：仅软目标', description: '同一对 CNN 只用交叉熵和 KD（FSP + AT 的对照组）。' },
  'cnn-mlp-mnist.json': { name: 'CNN 教师 -> MLP 学生', description: '小型 CNN 通过 T = 20 的软目标教 800-800 的 MLP 学生。' },
  'dml-mnist.json': { name: '互学习：两个同伴', description: '深度互学习：两个 50-50 MLP 一起训练，彼此学习（没有教师）。' },
  'ta-mnist.json': { name: '助教链', description: '2000-2000 教师 -> 800-800 助教 -> 50-50 学生，依次进行两次蒸馏。' },
  'ban-mnist.json': { name: '再生网络（Born-again）', description: '同一个 50-50 MLP 的三代，每一代只由上一代施教。' },
  'ban-ensemble-mnist.json': { name: '再生网络集成', description: '50-50 MLP 的三代：第 2 代向第 0 代和第 1 代的平均预测学习；报告三代的平均。' },
  'relations-mnist.json': { name: '关系知识：SP、RKD、PKT', description: 'Hinton 的教师与学生，KD 加三种关系损失；仪表板显示它们的 B x B 矩阵。' },
  'tfkd-mnist.json': { name: '无教师 KD', description: '没有教师：800-800 学生向虚拟教师学习（把标签平滑当作 KD）。' },
  'self-distillation-mnist.json': { name: '自蒸馏（Be Your Own Teacher）', description: '没有教师：CNN 学生两个浅层上的分类器向标签和它自己最终的 Logits 学习（T = 3）。' },
  'adversarial-mnist.json': { name: '对抗 KD', description: 'Hinton 的教师与学生：Logits 上的判别器（条件式，带 L1 项）与学生轮流训练。' },
  'cifar10-kd.json': { name: 'CIFAR-10：CNN 知识蒸馏（KD）', description: '彩色图像：预训练好的 CNN 教师通过交叉熵和 T = 4 的 KD 教更窄的 CNN 学生，使用 10,000 张训练图像，带随机平移和翻转。' },
  'cifar10-at.json': { name: 'CIFAR-10：CNN 注意力迁移', description: '同一对 CIFAR-10 CNN：交叉熵加上三个分辨率上的注意力迁移（beta = 1000）。' },
  'cifar10-fitnet.json': { name: 'CIFAR-10：FitNet 提示，然后 KD', description: '同一对 CIFAR-10 CNN，分两个阶段：先通过 1x1 卷积适配器进行提示学习，再用交叉熵和 KD。' },
  'cifar10-wrn-kd.json': { name: 'CIFAR-10：WRN-40-2 -> WRN-16-2 KD（论文规模，需 GPU）', description: 'RepDistiller 的配方：SGD 学习率 0.05、动量 0.9、权重衰减 5e-4、批大小 64、240 个 epoch、T = 4、全部图像。在 CPU 上很慢（每个 epoch 需数小时）；不附带预训练教师。' },
  'crd-mnist.json': { name: 'CRD：对比表示', description: 'Hinton 的教师与学生：学生要在记忆库的 1,024 个其他样本中认出每张图像的教师嵌入。' },
  'ft-mnist.json': { name: 'FT：因子迁移', description: 'CNN 教师与学生：释义器先在教师的特征图上预训练，然后学生的翻译器学习其因子。' },
  'cc-mnist.json': { name: 'CC：相关一致性', description: 'Hinton 的教师与学生，KD 加样本之间的相关性，使用类别均匀的批次。' },
  'irg-mnist.json': { name: 'IRG：实例关系图', description: 'Hinton 的教师与学生：Logits、两层上样本之间的距离，以及每个样本在两层之间的变化。' },
  'tsd-mnist.json': { name: 'TSD：宽容的教师', description: '教师用最高分差训练，然后用 KD 教学生。' },
  'nst-eskd-mnist.json': { name: 'NST 与提前停止的 KD', description: 'CNN 教师与学生：在 relu3 上进行神经元选择性迁移，KD 在 3 轮中的第 2 轮之后降为零。' },
  'cnn-fashion-kd.json': { name: 'Fashion-MNIST 上的 CNN KD', description: '用服装代替数字：同一对 CNN 使用交叉熵和 T = 4 的 KD。' },
  'cnn-mlp-fashion.json': { name: 'CNN 教师 -> MLP 学生，Fashion-MNIST', description: '服装：随附的 CNN 教师通过 T = 4 的软目标教 800-800 的 MLP 学生。' },
  'prune-kd-mnist.json': { name: '剪枝：边剪枝边 KD，然后 KD 微调', description: 'Hinton 教师与学生：蒸馏 800-800 学生的同时把其隐藏层权重剪到 90 % 为零，然后用 KD 微调剩下的权重。' },
  'hinton-mnist-full.json': full('Hinton KD', 'MNIST 上的 Hinton KD'),
  'article-mnist-full.json': full('极小学生', '极小学生（文章）'),
  'cnn-mnist-at-full.json': full('CNN FSP + AT，然后 KD', 'CNN：FSP + AT，然后 KD'),
  'fitnet-mnist-full.json': full('FitNet 提示，然后 KD', 'FitNet：提示，然后 KD'),
  'cnn-mnist-kd-full.json': full('CNN 仅软目标', 'CNN：仅软目标'),
  'cnn-mlp-mnist-full.json': full('CNN 教师 -> MLP 学生', 'CNN 教师 -> MLP 学生'),
  'dml-mnist-full.json': full('互学习', '互学习：两个同伴'),
  'ta-mnist-full.json': full('助教链', '助教链'),
  'ban-mnist-full.json': full('再生网络', '再生网络（Born-again）'),
};

/** A preset list entry in `language`; a file with no Chinese text keeps the index's English. */
export function localizedPreset<E extends { file: string; name: string; description: string }>(entry: E, language: Language): E {
  const zh = language === 'zh' ? presetTextsZh[entry.file] : undefined;
  return zh === undefined ? entry : { ...entry, ...zh };
}

import type { LossTextZh } from './types';
import { zhPaperOrRepDistiller, zhPorts } from './lossPorts';

/** Relational knowledge (how samples relate within a batch) and the learned-embedding losses CC and CRD. */
export const relationLossTextsZh: Readonly<Record<string, LossTextZh>> = {
  sp: {
    label: '相似性保持',
    summary: '在教师看来相似的输入，在学生看来也应相似：匹配批次内样本两两之间的相似度矩阵。特征尺寸无须一致。',
    ports: zhPorts.feature,
    params: {},
  },
  rkd: {
    label: 'RKD（距离 + 角度）',
    summary: '学生保持教师嵌入空间的几何结构：样本对之间的相对距离与三元组内的角度（Huber 损失，delta 为 1）。批次至少需要 3 个样本。',
    ports: zhPorts.feature,
    params: {
      distanceWeight: {
        label: '距离权重',
        description: '距离项上的 lambda_D（RepDistiller 为 25）。若调整模块权重，只有它与角度权重之比才重要。',
      },
      angleWeight: { label: '角度权重', description: '角度项上的 lambda_A（RepDistiller 为 50）。' },
    },
  },
  pkt: {
    label: 'PKT（概率知识迁移）',
    summary: '每个样本在批次中的邻域变成一个概率分布（余弦相似度）；让学生的邻域分布与教师的一致（KL 散度）。特征尺寸无须一致。',
    ports: zhPorts.feature,
    params: {
      form: {
        label: '形式',
        choices: zhPaperOrRepDistiller,
        description: '论文：每个样本邻居分布的 KL 散度（不含自身），对批次取平均；RepDistiller：作者的代码（保留自身配对，对全部 B² 项取平均，约为论文值 / B），在那里配合权重 30000 使用。',
      },
    },
  },
  irg: {
    label: 'IRG（实例关系图）',
    summary: '把批次看作一张图：样本是顶点（通过 logits 匹配），样本间的平方距离是边（在两层上匹配），每个样本在两层之间移动多远是变换。距离除以其批次内最大值，与作者代码一致。',
    ports: { teacherLogits: '教师 logits（顶点）', studentLogits: '学生 logits（顶点）', ...zhPorts.twoLayers },
    params: {
      vertexWeight: {
        label: '顶点权重',
        description: 'logits 均方误差上的 lambda_V（0.1，与 Knowledge-Distillation-Zoo 的移植一致；论文的取值未能核实）。',
      },
      edgeWeight: {
        label: '边权重',
        description: '两层上按最大值归一化的平方距离矩阵之均方误差的平均值上的 lambda_E（KD-Zoo 为 5；作者的 Caffe 代码对求和形式使用损失权重 0.005，在批次 64 时约相当于此均方误差上的 0.16）。',
      },
      transformWeight: {
        label: '变换权重',
        description: '每个样本两层之间按最大值归一化的距离之均方误差上的 lambda_T，先像作者代码那样对位置取平均（KD-Zoo 为 5）。设为 0 即关闭此项，也不再要求通道数相等。',
      },
    },
  },
  cc: {
    label: 'CC（相关性一致）',
    summary: '批次中每对样本的相关程度（在可学习的归一化嵌入上的高斯核）在学生与教师中应当相同。应配合类别均匀的批次使用（少数几个类别，每类若干样本），与论文一致。',
    ports: zhPorts.feature,
    params: {
      dim: {
        label: '嵌入维度',
        description: '两个特征都经可学习的线性嵌入映射到这个维度并做 L2 归一化（128，与 RepDistiller 的 CC 嵌入一致）。',
      },
      gamma: { label: 'Gamma', description: '高斯 RBF 核 exp(−gamma |x − y|²) 的宽度（论文中为 0.4）。' },
      P: { label: '泰勒阶数 P', description: '近似该核函数的泰勒级数的阶数（论文中为 2）。' },
    },
  },
  crd: {
    label: 'CRD（对比表示蒸馏）',
    summary: '每个学生嵌入必须在教师对其他图像的 K 个嵌入中找出教师对同一图像的嵌入，反之亦然（噪声对比估计）。记忆库为每张训练图像在每一侧保存一个嵌入，因此负样本无须额外的前向计算。RepDistiller 以权重 0.8 把它加到交叉熵上。',
    ports: zhPorts.feature,
    params: {
      dimension: { label: '嵌入维度', description: '两个特征都线性嵌入到这么多维并做 L2 归一化（feat_dim 128）。' },
      negatives: {
        label: '负样本数 K',
        description: '每张图像与之对比的记忆条目数。论文使用 16384；每一步每侧要收集 批次 × (K + 1) × 嵌入维度 个浮点数（64 × 16385 × 128 即 0.5 GB），对浏览器来说太多，因此默认值为 4096（论文的消融实验显示 4096 时损失很小）。',
      },
      temperature: { label: '温度 tau', description: '对比的柔和程度：v . m / tau（nce_t 0.07）。' },
      negativesFrom: {
        label: '负样本来源',
        choices: ['其他类别', '任意图像'],
        description: '其他类别：从与锚点类别不同的图像中无放回地取 K 张（RepDistiller 的训练方式）；任意图像：在训练集上均匀抽取 K 次（可能包含同一类别）。',
      },
      momentum: { label: '记忆动量', description: '记忆条目更新为 m * 旧值 + (1 − m) * 新值，然后做 L2 归一化（nce_m 0.5）。' },
    },
  },
};

import type { ProblemDetail } from '../../../src/graph/problemDetail';
import { sideZh, type ProblemContext } from './problemContext';
import { stageProblemZh } from './problemTextsZhStages';

export type { ProblemContext } from './problemContext';

/**
 * The Chinese text of a graph problem. The switch covers the roles, the dataset, models and what
 * hangs off them; the rest (losses, trainers, stages) is in problemTextsZhStages.ts, and a code
 * neither handles is a type error.
 */
export function problemZh(detail: ProblemDetail, context: ProblemContext): string {
  const { name, nameOf } = context;
  switch (detail.code) {
    case 'neverTrained':
      return `${name}从未被训练：把它的 Logits 连接到某个训练器中的损失（例如与标签一起连接交叉熵），或删除它。`;
    case 'teachesButNeverTrained':
      return `${name}在施教却从未被训练：把它的 Logits 连接到某个训练器中损失的学生一侧（例如与标签一起连接交叉熵），让它先学习再施教。`;
    case 'assistantTeachesNobody':
      return `${name}是助教，却不教任何网络，因此它只是一个学生：把它的 Logits（或其“层”上的引导层）连接到训练另一个网络的损失的教师一侧，或把它改为学生。`;
    case 'teacherIdle':
      return `${name}没有教任何网络：把它的 Logits（或其“层”上的引导层）连接到训练另一个网络的损失（例如 KD）的教师一侧，或删除它。`;
    case 'lonePeer':
      return `${name}是${nameOf(detail.trainer)}训练的唯一同伴：互学习至少需要同一个训练器训练的两个同伴。` +
        `请在其中训练第二个同伴（彼此用 KD 互教），或把${name}改为${detail.instead === 'assistant' ? '助教（先学习，再施教）' : '学生'}。`;
    case 'identicalStart':
      return `${name}与${nameOf(detail.twin)}从相同的权重开始（层相同，种子 ${detail.seed}）：` +
        `给${detail.teacher ? '它的训练设置' : '它的第一个训练器'}换一个种子，让两者从不同的起点开始。`;
    case 'noDataset':
      return '实验中没有数据集：添加一个数据集节点，并把它的“图像”连接到每个模型。';
    case 'extraDataset':
      return `一个实验只能使用一个数据集：删除${name}或另一个数据集。`;
    case 'userDatasetMissing':
      return `此实验使用导入的数据集“${detail.datasetId}”，但它不在这个浏览器中：请重新导入图像（本检查器中的“导入图像…”），或选择其他数据集。`;
    case 'noLearner':
      return '实验中没有会学习的网络：添加一个学生（或一个助教，或两个同伴），并把数据集的“图像”连接到它。';
    case 'noTrainer':
      return '实验中没有训练器：添加一个，并把损失（例如交叉熵和 KD）连接到它。';
    case 'unknownDataset':
      return `未知的数据集“${detail.datasetId}”：请从 ${detail.known.join('、')} 中选择一个。`;
    case 'trainSubsetTooBig':
      return `${context.dataset(detail.dataset)} 有 ${detail.trainCount} 张训练图像：训练子集加验证集（${detail.trainSubset ?? '全部'} + ${detail.validation}）必须放得下；请减小其中之一。`;
    case 'testSubsetTooBig':
      return `${context.dataset(detail.dataset)} 有 ${detail.testCount} 张测试图像：把测试子集设为不超过 ${detail.testCount}，或清空以使用全部。`;
    case 'samplerOneClass':
      return `每类 ${detail.perClass} 张图像时，${detail.batchSize} 张的类别均匀批次只含一个类别，每一步只见到一个标签：每类请少于 ${detail.batchSize} 张。`;
    case 'samplerTooFewClasses': {
      const { batchSize, perClass, classes } = detail;
      return `每类 ${perClass} 张图像时，${batchSize} 张的类别均匀批次需要 ${Math.ceil(batchSize / perClass)} 个类别，` +
        `但 ${context.dataset(detail.dataset)} 只有 ${classes} 个：每个批次含全部 ${classes} 个类别，每类 ${detail.spread} 张。` +
        `若要每类 ${perClass} 张，批次大小至多为 ${classes * perClass}；或每类至少 ${Math.ceil(batchSize / classes)} 张。`;
    }
    case 'imagesUnconnected':
      return `把数据集的“图像”连接到${name}。`;
    case 'outputUnits':
      return `${name}的最后一层有 ${detail.units} 个单元，但 ${context.dataset(detail.dataset)} 有 ${detail.classes} 个类别：把它的单元数设为 ${detail.classes}。`;
    case 'teacherDefaults':
      return `${name}（教师）没有训练设置，因此使用默认值：请在检查器中设置。`;
    case 'architectureInvalid':
      return `${name}的结构无法构建${detail.layer === null ? '' : `（层“${detail.layer}”）`}：请在检查器的层编辑器中修正它。`;
    case 'teacherSubsetTooBig':
      return `${context.dataset(detail.dataset)} 有 ${detail.trainCount} 张训练图像：教师的 ${detail.subset} 张加上留作验证的 ${detail.validation} 张放不下；` +
        '请减少它的训练图像，或让它用全部图像训练。';
    case 'tapUnconnected':
      return `把${sideZh[detail.side]}的“层”连接到${name}。`;
    case 'tapNoLayer':
      return `在检查器中为${name}选择${nameOf(detail.model)}的一层。`;
    case 'tapNoSuchLayer':
      return `${nameOf(detail.model)}没有层“${detail.layer}”：请从 ${detail.layers.join('、')} 中选择一层。`;
    case 'tapFeedsNoLoss':
      return `${name}没有输入任何损失：把它的特征图连接到一个损失块，或删除它。`;
    case 'adapterConflict':
      return `该被引导层输入的几个损失中，引导层形状不同（${detail.first} 和 ${detail.second}）；一个适配器无法同时映射到两者。请再用一个被引导层节点。`;
    case 'adapterNoneButShapesDiffer':
      return `形状不同（学生 ${detail.student}，教师 ${detail.teacher}），而适配器设为“无”：请把被引导层节点的适配器设为“自动”。`;
    case 'adapterImpossible':
      return `没有适配器能映射学生 ${detail.student} 到教师 ${detail.teacher}：卷积保持 H x W，全连接映射向量。` +
        '请选择空间尺寸相同（或都在展平之后）的引导层和被引导层。';
    case 'adapterDenseNeedsVectors':
      return `全连接适配器映射向量，但学生为 ${detail.student}、教师为 ${detail.teacher}：特征图请用 conv1x1 适配器，或选择展平之后的层。`;
    case 'adapterConvNeedsMaps':
      return `${detail.kind} 适配器保持 H x W，因此两个特征都必须是空间尺寸相同的特征图（学生 ${detail.student}，教师 ${detail.teacher}）。` +
        '请选择 H x W 相同的层，向量则用全连接适配器。';
    case 'headUnconnected':
      return `把被引导层节点（学习网络的一层）的“特征”连接到${name}。`;
    case 'headInputShape':
      return `${name}对向量或 [H, W, C] 特征图分类，但${nameOf(detail.model)}的层“${detail.layer}”输出 ${detail.shape}：请选取另一层。`;
    case 'headFeedsNoLoss':
      return `${name}没有输入任何损失：把它的 Logits 连接到交叉熵，以及一个教师一侧为该网络自身 Logits 的 KD 块的学生一侧，或删除它。`;
    case 'ensembleTooFew':
      return `${name}至少平均 ${detail.minimum} 个网络的预测，但${detail.members.length === 0 ? '一个也没有连接' : `只连接了${nameOf(detail.members[0])}（它自己的平均）`}：` +
        '把另一个网络的 Logits 连接到它的“成员”，或删除它。';
    case 'ensembleClasses':
      return `${name}平均各成员的类别概率，因此成员必须给出相同的类别，但它们给出 ` +
        `${detail.members.map((member) => `${nameOf(member.model)} ${member.classes}`).join('、')}：请连接类别数相同的网络。`;
    default:
      return stageProblemZh(detail, context);
  }
}

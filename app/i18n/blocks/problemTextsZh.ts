import type { ProblemDetail } from '../../../src/graph/problemDetail';

const sideZh = { teacher: '施教的网络（教师、助教或同伴）', student: '学习的网络（学生、助教或同伴）', data: '数据集' } as const;

/**
 * The Chinese text of a coded graph problem. `name` is the flagged node's name, `nameOf` names
 * another node by id. The switch is exhaustive: a new code without a text is a type error.
 */
export function problemZh(detail: ProblemDetail, name: string, nameOf: (id: string) => string): string {
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
    case 'imagesUnconnected':
      return `把数据集的“图像”连接到${name}。`;
    case 'outputUnits':
      return `${name}的最后一层有 ${detail.units} 个单元，但 ${detail.dataset} 有 ${detail.classes} 个类别：把它的单元数设为 ${detail.classes}。`;
    case 'teacherDefaults':
      return `${name}（教师）没有训练设置，因此使用默认值：请在检查器中设置。`;
    case 'tapUnconnected':
      return `把${sideZh[detail.side]}的“层”连接到${name}。`;
    case 'tapNoLayer':
      return `在检查器中为${name}选择${nameOf(detail.model)}的一层。`;
    case 'tapFeedsNoLoss':
      return `${name}没有输入任何损失：把它的特征图连接到一个损失块，或删除它。`;
    case 'lossPortUnconnected':
      return `连接${name}的“${detail.port}”（来自${sideZh[detail.from]}）。`;
    case 'lossInNoTrainer':
      return `${name}不在任何训练器中，因此不起作用：把它的“损失”输出连接到一个训练器。`;
    case 'trainerNoLosses':
      return `${name}没有损失：至少把一个损失（例如交叉熵）连接到它的“损失”输入。`;
    default: {
      const unknown: never = detail;
      return unknown;
    }
  }
}

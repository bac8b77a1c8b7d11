import type { ProblemDetail } from '../../../src/graph/problemDetail';
import { namesZh, sideZh, type ProblemContext } from './problemContext';

export type StageProblem = Extract<ProblemDetail, { code:
  | 'unknownLoss' | 'lossPortUnconnected' | 'lossShapes' | 'needsFeatureMaps' | 'teacherSideTrains' | 'lossInNoTrainer'
  | 'trainerNoLosses' | 'allWeightsZero' | 'allCutBySchedule' | 'batchTooSmall' | 'scheduleNotOfStage' | 'scheduleAfterEnd'
  | 'warmupTooLong' | 'stagesLoop' | 'trainUpToUnknown' | 'trainUpToPartial' | 'trainUpToNoWeights' | 'chainTrainsNothing'
  | 'trainedTwice' | 'teachingLoop' | 'exportUnconnected' | 'edgeRefused' | 'validationFailed' | 'pruningNoLayers' }>;

/** The Chinese text of a problem of losses, trainers and stages (see problemZh). */
export function stageProblemZh(detail: StageProblem, context: ProblemContext): string {
  const { name, nameOf } = context;
  switch (detail.code) {
    case 'unknownLoss':
      return `未知的损失“${detail.lossId}”：请用调色板中的损失块替换它。`;
    case 'lossPortUnconnected':
      return `连接${name}的“${context.port(detail.port)}”（来自${sideZh[detail.from]}）。`;
    case 'lossShapes':
      return `${name}不接受这些输入形状（${detail.shapes.map((s) => `${context.port(s.port)} ${s.shape}`).join('，')}）：` +
        '请按检查器中该损失的说明，为引导层和被引导层选择形状合适的层。';
    case 'needsFeatureMaps':
      return `${name}比较卷积层输出的 [H, W, C] 特征图，但${namesZh(detail.models, nameOf)}是没有特征图的 MLP：` +
        `请换用 CNN 预设（教师用 ${detail.teacherPreset}，其余用 ${detail.learnerPreset}）。`;
    case 'teacherSideTrains':
      return `${name}先只在教师一侧训练其可学习部分，需要该阶段冻结的网络，但${nameOf(detail.model)}正在该阶段训练：` +
        '请让教师一侧来自教师，或来自先前训练好的助教。';
    case 'lossInNoTrainer':
      return `${name}不在任何训练器中，因此不起作用：把它的“损失”输出连接到一个训练器。`;
    case 'trainerNoLosses':
      return `${name}没有损失：至少把一个损失（例如交叉熵）连接到它的“损失”输入。`;
    case 'allWeightsZero':
      return `${name}的每个损失权重都是 0，该阶段什么也不会训练：请给其中一个非 0 的权重。`;
    case 'allCutBySchedule':
      return `从第 ${detail.fromEpoch} 轮起，${name}的每个损失都被其权重计划降为 0，这些轮什么也不会训练：` +
        `请让一个损失保持不变（例如交叉熵）${detail.lastCutoff > 0 ? `，或把该阶段的轮数减为 ${detail.lastCutoff}` : ''}。`;
    case 'batchTooSmall':
      return `${nameOf(detail.loss)}在批次内比较样本，至少需要 ${detail.needed} 个，但 ${detail.images} 张训练图像按批次大小 ` +
        `${detail.batchSize} 会留下只有 ${detail.smallest} 张的批次：请修改批次大小或训练子集。`;
    case 'scheduleNotOfStage':
      return `“${detail.loss}”的权重计划被忽略：该节点不是此阶段的损失。请删除这个计划。`;
    case 'scheduleAfterEnd':
      return `“${detail.loss}”的计划在第 ${detail.atEpoch} 轮停止，晚于该阶段的 ${detail.epochs} 轮：它永远不会生效。请减小 atEpoch。`;
    case 'warmupTooLong':
      return `“${detail.loss}”的预热持续 ${detail.warmup} 轮，比该阶段的 ${detail.epochs} 轮更长：该项永远达不到完整权重。请缩短预热或延长阶段。`;
    case 'stagesLoop':
      return `阶段在${name}处形成循环：请删除一个“下一阶段 -> 之后”连接。`;
    case 'trainUpToUnknown':
      return `“训练到”指定的“${detail.layer}”不是${namesZh(detail.models, nameOf)}（此阶段训练的网络）的层：请选择其中一层，或清空它。`;
    case 'trainUpToPartial':
      return `“训练到”的“${detail.layer}”只是${namesZh(detail.having, nameOf)}的层，因此${namesZh(detail.whole, nameOf)}在此阶段整体训练：` +
        '请选择此阶段训练的每个网络都有的层，或拆分该阶段。';
    case 'trainUpToNoWeights':
      return `“训练到”停在“${detail.layer}”，在${namesZh(detail.models, nameOf)}第一个带权重的层之前，该阶段什么也不会训练：请选择更后面的层，或清空它。`;
    case 'pruningNoLayers':
      return `${name}按${detail.method === 'channel' ? '通道（卷积滤波器）' : '权重幅值'}剪枝，但${namesZh(detail.models, nameOf)}` +
        `没有${detail.method === 'channel' ? '卷积层' : '分类器以外的卷积层或全连接层'}可剪：请改用幅值剪枝，或关闭此阶段的剪枝。`;
    case 'chainTrainsNothing':
      return `${name}什么也不训练：它各阶段的损失都没有在学生一侧读取会学习的网络（学生、助教或同伴）。` +
        '请把这样一个网络的 Logits 连接到其中一个损失（例如与标签一起连接交叉熵），或把它的被引导层连接到特征损失。';
    case 'trainedTwice':
      return `${nameOf(detail.model)}已由${nameOf(detail.other)}训练，而一个网络只在一个阶段序列中学习：` +
        `把${nameOf(detail.otherLast)}的“下一阶段”连接到${name}的“之后”，使其成为后续阶段，或在这里训练另一个网络。`;
    case 'teachingLoop':
      return `${namesZh(detail.trainers, nameOf)}在循环中互相施教：每个都冻结运行另一个训练的网络，因此没有一个能先运行。` +
        '请把互相学习的网络放在同一个训练器中并设为同伴（互学习），或删除其中一个施教损失。';
    case 'exportUnconnected':
      return '把要导出的网络（学生、助教或同伴）的“层”连接到导出节点。';
    case 'edgeRefused':
      return detail.refusal.code === 'other'
        ? '一条已有的连接不再成立（某个角色、层或形状在连接后改变了）：请删除它或重新连接。'
        : context.refusal(detail.refusal);
    case 'validationFailed':
      return `校验失败：${detail.error}`;
    default: {
      const unknown: never = detail;
      return unknown;
    }
  }
}

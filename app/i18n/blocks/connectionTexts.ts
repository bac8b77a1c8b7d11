import type { Language } from '../language';
import type { ExperimentFile, GraphNode } from '../../../src/graph/schema';
import type { ConnectionRefusal } from '../../../src/graph/connectionRefusal';
import { findPort, type PortSide, type PortType } from '../../../src/graph/nodeKinds';
import { blockText, portLabel, roleText } from './localizedBlocks';

/**
 * A refused connection in the interface language. English is the sentence `src/graph/connection.ts`
 * wrote; Chinese is built here from the refusal's code and the graph. Refusals without a code
 * (`other`: shapes, self-teaching, ensembles) stay English.
 */

const typeNamesZh: Record<PortType, string> = {
  images: '图像', labels: '标签', logits: 'Logits', layers: '层', feature: '特征', loss: '损失', stage: '阶段',
};

const rolesOfSideZh: Record<PortSide, string> = { teacher: '教师、助教或同伴', student: '学生、助教或同伴' };

/** A node as messages name it: its label in quotes, else its kind. */
export function nodeNameZh(node: GraphNode | undefined): string {
  if (node === undefined) return '该节点';
  if (node.label.trim() !== '') return `“${node.label}”`;
  return `${node.kind === 'loss' ? '损失' : blockText(node.kind, 'zh').label}节点`;
}

function sourceDescriptionZh(node: GraphNode | undefined): string {
  const name = nodeNameZh(node);
  switch (node?.kind) {
    case 'model': return `${name}是${roleText(node.params.role, 'zh').label}`;
    case 'guide': return `${name}是引导层（施教的层）`;
    case 'guided': return `${name}是被引导层（学习的层）`;
    case 'head': return `${name}是辅助分类器（它在学习）`;
    case 'ensemble': return `${name}是集成（已训练网络的平均：只施教，从不学习）`;
    default: return `${name}在另一侧`;
  }
}

function portName(node: GraphNode | undefined, name: string, direction: 'input' | 'output'): string {
  const port = node === undefined ? undefined : findPort(node, name, direction);
  return node === undefined || port === undefined ? name : portLabel(node, port, 'zh');
}

function sideMismatchZh(experiment: ExperimentFile, refusal: Extract<ConnectionRefusal, { code: 'sideMismatch' }>): string {
  const target = experiment.nodes.find((n) => n.id === refusal.target);
  const source = sourceDescriptionZh(experiment.nodes.find((n) => n.id === refusal.source));
  switch (target?.kind) {
    case 'guided': return `被引导层节点选取学习网络（${rolesOfSideZh.student}）的一层，但${source}：施教的层请用引导层节点。`;
    case 'guide': return `引导层节点选取施教网络（${rolesOfSideZh.teacher}）的一层，但${source}：学习的层请用被引导层节点。`;
    case 'head': return `辅助分类器在学习，因此它对被引导层节点选取的层分类，但${source}。`;
    case 'export': return `导出接收训练好的网络（${rolesOfSideZh.student}），但${source}：请连接其中之一的“层”。`;
    default: {
      const port = target === undefined ? undefined : findPort(target, refusal.targetPort, 'input');
      const side = port?.side ?? 'student';
      const network = side === 'teacher' ? '施教网络' : '学习网络';
      return `${nodeNameZh(target)}的“${portName(target, refusal.targetPort, 'input')}”接收${network}的${typeNamesZh[port?.type ?? 'logits']}` +
        `（${rolesOfSideZh[side]}），但${source}。`;
    }
  }
}

export function connectionRefusalText(refusal: ConnectionRefusal, experiment: ExperimentFile, language: Language): string {
  if (language !== 'zh') return refusal.text;
  const node = (id: string) => experiment.nodes.find((n) => n.id === id);
  switch (refusal.code) {
    case 'selfConnection': return '节点不能连接到自身。';
    case 'layersNeedTap': return '模型的“层”要先连到引导层（教师）或被引导层（学生）节点，由它选取一层；再用它的“特征”输出连接损失。';
    case 'featureNotLogits': return '特征不是类别 logits：在被引导层节点与损失之间放一个辅助分类器，对该层进行分类。';
    case 'logitsNotFeature': return 'Logits 不是特征图：请把它连接到 logits 输入（例如 KD、交叉熵），或用引导层/被引导层节点引出一层。';
    case 'lossIntoTrainer': return '损失应连接到训练器的“损失”输入；“之后”输入接收上一个训练器的“下一阶段”输出。';
    case 'typeMismatch':
      return `${typeNamesZh[refusal.sourceType]}输出不能连接到${typeNamesZh[refusal.targetType]}输入：请把它连接到${typeNamesZh[refusal.sourceType]}输入。`;
    case 'sideMismatch': return sideMismatchZh(experiment, refusal);
    case 'alreadyConnected': return '这两个端口已经连接。';
    case 'inputTakesOne':
      return `${nodeNameZh(node(refusal.node))}的“${portName(node(refusal.node), refusal.port, 'input')}”只接受一个连接，且已有一个：请先删除它。`;
    case 'outputLeadsToOne':
      return `${nodeNameZh(node(refusal.node))}的“${portName(node(refusal.node), refusal.port, 'output')}”只能连到一个节点，且已经连接：请先删除那个连接。`;
    case 'stageLoop': return `这会使阶段形成循环：${nodeNameZh(node(refusal.source))}已经在${nodeNameZh(node(refusal.target))}之后运行。`;
    case 'cycle': return '此连接会在图中形成环。';
    case 'other': return refusal.text;
  }
}

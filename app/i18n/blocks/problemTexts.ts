import type { Language } from '../language';
import type { ExperimentFile } from '../../../src/graph/schema';
import type { GraphProblem } from '../../../src/graph/validate';
import { nodeNameZh } from './connectionTexts';

/**
 * A graph problem in the interface language. The commonest ones (roles the graph does not honour:
 * a network never trained, an idle teacher or assistant, a lone peer) carry a `detail` and are
 * written here in Chinese; the others, and every problem in English, are the validator's own text.
 */
export function problemText(problem: GraphProblem, experiment: ExperimentFile, language: Language): string {
  const detail = problem.detail;
  if (language !== 'zh' || detail === undefined) return problem.message;
  const node = (id: string | null) => experiment.nodes.find((n) => n.id === id);
  const name = nodeNameZh(node(problem.nodeId));
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
      return `${name}是${nodeNameZh(node(detail.trainer))}训练的唯一同伴：互学习至少需要同一个训练器训练的两个同伴。` +
        `请在其中训练第二个同伴（彼此用 KD 互教），或把${name}改为${detail.instead === 'assistant' ? '助教（先学习，再施教）' : '学生'}。`;
  }
}

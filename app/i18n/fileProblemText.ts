import { errorMessage } from '../../src/errorMessage';
import type { FileProblem } from '../../src/graph/fileProblems';
import { ExperimentFileError } from '../../src/graph/serialize';
import type { Language } from './language';

/** describeValue's English words for a value's kind, in Chinese; quoted strings and numbers stay as they are. */
function valueZh(got: string): string {
  return ({ 'an array': '数组', 'an object': '对象', null: 'null' } as Record<string, string>)[got] ?? got;
}

/** A file problem in Chinese: the predicate that follows the path, or a whole sentence. */
export function fileProblemZh(problem: FileProblem): string {
  switch (problem.code) {
    case 'invalidJson': return `该文件不是有效的 JSON（${problem.error}）；请打开由工作室保存的实验 .json 文件。`;
    case 'noSchemaVersion': return '缺失：这不是工作室的实验文件。';
    case 'schemaTooNew': return `为 ${problem.version}，比本工作室支持的版本（${problem.supported}）更新：请更新工作室后再打开此文件。`;
    case 'schemaNoMigration': return `为 ${problem.version}，没有可迁移到版本 ${problem.supported} 的路径：无法打开此文件。`;
    case 'notObject': return `必须是对象（实际为 ${valueZh(problem.got)}）。`;
    case 'missing': return '缺失。';
    case 'unknownField': return `不是已知字段（应为：${problem.expected.join('、')}）。`;
    case 'notArray': return `必须是数组（实际为 ${valueZh(problem.got)}）。`;
    case 'notString': return `必须是字符串（实际为 ${valueZh(problem.got)}）。`;
    case 'empty': return '不能为空。';
    case 'notBoolean': return `必须是 true 或 false（实际为 ${valueZh(problem.got)}）。`;
    case 'notNumber': return `必须是数字（实际为 ${valueZh(problem.got)}）。`;
    case 'notWholeNumber': return `必须是整数（实际为 ${problem.got}）。`;
    case 'belowMin': return `不能小于 ${problem.min}（实际为 ${problem.got}）。`;
    case 'aboveMax': return `不能大于 ${problem.max}（实际为 ${problem.got}）。`;
    case 'notOneOf': return `必须是 ${problem.choices.map((choice) => `'${choice}'`).join('、')} 之一（实际为 ${valueZh(problem.got)}）。`;
    case 'inputShapeLength': return `必须是 [H, W, C]（实际有 ${problem.count} 个数）。`;
    case 'padsLength': return `必须是 [上, 下, 左, 右]（实际有 ${problem.count} 个数）。`;
    case 'unknownNode': return `引用了节点“${problem.node}”，但文件中没有该节点。`;
    case 'notAPort': return `“${problem.port}”不是 ${problem.kind} 节点“${problem.node}”的${problem.direction === 'input' ? '输入' : '输出'}端口。`;
    case 'duplicateNodeId': return `“${problem.id}”被两个节点使用；节点 id 必须唯一。`;
    case 'duplicateEdgeId': return `“${problem.id}”被两条连线使用；连线 id 必须唯一。`;
  }
}

/** Why an experiment file, link or saved graph could not be read, in the interface language. */
export function fileErrorText(error: unknown, language: Language): string {
  if (language !== 'zh' || !(error instanceof ExperimentFileError)) return errorMessage(error);
  const { path, problem } = error;
  if (problem.code === 'invalidJson') return fileProblemZh(problem);
  return `${path === '' ? '实验文件' : path} ${fileProblemZh(problem)}`;
}

import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../../src/graph/validate';
import { baseGraph, tinyMlp, tinyStudent } from '../../../src/graph/testFixtures';
import { problemText } from './problemTexts';

/** The role problems of real graphs, as the validator reports them, shown in both languages. */
describe('graph problems in Chinese', () => {
  it('an idle teacher, a student never trained and a lone peer', () => {
    const graph = baseGraph();
    graph.model('student2', 'student', tinyStudent, 'Student 2');
    graph.model('p', 'peer', tinyMlp, 'Lone peer');
    graph.trainer('train-p', 'Peer stage');
    graph.crossEntropy('ce-p', 'p', 'train-p');
    const problems = validateGraph(graph.file);
    const shown = (nodeId: string, language: 'en' | 'zh') =>
      problems.filter((p) => p.nodeId === nodeId).map((p) => problemText(p, graph.file, language));

    expect(shown('teacher', 'zh')).toEqual([expect.stringMatching(/^“Teacher”没有教任何网络：.*教师一侧/)]);
    expect(shown('student2', 'zh')).toEqual(['“Student 2”从未被训练：把它的 Logits 连接到某个训练器中的损失（例如与标签一起连接交叉熵），或删除它。']);
    expect(shown('p', 'zh')).toEqual([expect.stringContaining('“Lone peer”是“Peer stage”训练的唯一同伴')]);
    expect(shown('p', 'zh')[0]).toContain('改为学生');
    // English is the validator's text itself.
    expect(shown('student2', 'en')).toEqual(problems.filter((p) => p.nodeId === 'student2').map((p) => p.message));
  });
});

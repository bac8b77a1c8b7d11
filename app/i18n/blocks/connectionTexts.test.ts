import { describe, expect, it } from 'vitest';
import { createNode } from '../../../src/graph/factory';
import { explainConnection } from '../../../src/graph/validate';
import { baseGraph, type TestGraph } from '../../../src/graph/testFixtures';
import { connectionRefusalText } from './connectionTexts';

/** Refusals the editor shows most, drawn on a real graph: their code, their English text, their Chinese text. */
function refuse(graph: TestGraph, source: string, sourcePort: string, target: string, targetPort: string) {
  const refusal = explainConnection(graph.file, { source, sourcePort, target, targetPort });
  if (refusal === null) throw new Error(`${source}.${sourcePort} -> ${target}.${targetPort} was accepted`);
  return {
    code: refusal.code,
    english: connectionRefusalText(refusal, graph.file, 'en'),
    sameAsCheck: refusal.text === graph.refusal(source, sourcePort, target, targetPort),
    chinese: connectionRefusalText(refusal, graph.file, 'zh'),
  };
}

describe('connection refusals in Chinese', () => {
  const graph = baseGraph();
  graph.loss('kd', 'kd');
  graph.add(createNode('guided', { id: 'guided' }));
  graph.add(createNode('dataset', { id: 'dataset2' }));
  graph.add(createNode('trainer', { id: 'trainer2' }));
  graph.connect('trainer', 'next', 'trainer2', 'after');

  it.each([
    ['labels into images', ['dataset', 'labels', 'student', 'images'], 'typeMismatch', '标签输出不能连接到图像输入'],
    ['a teacher on the learning side', ['teacher', 'logits', 'kd', 'studentLogits'], 'sideMismatch', '“KD (soft targets)”的“学生 logits”接收学习网络的Logits'],
    ['a teacher into a guided node', ['teacher', 'layers', 'guided', 'layers'], 'sideMismatch', '被引导层节点选取学习网络'],
    ['layers into a loss', ['student', 'layers', 'kd', 'studentLogits'], 'typeMismatch', '层输出不能连接到Logits输入'],
    ['the same edge twice', ['student', 'logits', 'ce', 'logits'], 'alreadyConnected', '这两个端口已经连接'],
    ['a second edge into a single input', ['dataset2', 'labels', 'ce', 'labels'], 'inputTakesOne', '“Cross-entropy”的“标签”只接受一个连接'],
    ['stages in a loop', ['trainer2', 'next', 'trainer', 'after'], 'stageLoop', '这会使阶段形成循环：“Trainer 2”已经在“Trainer”之后运行'],
    ['a node into itself', ['student', 'logits', 'student', 'images'], 'selfConnection', '节点不能连接到自身'],
  ] as const)('%s', (_what, [source, sourcePort, target, targetPort], code, chinese) => {
    graph.node('trainer2', 'trainer').label = 'Trainer 2';
    const refused = refuse(graph, source, sourcePort, target, targetPort);
    expect(refused.code).toBe(code);
    expect(refused.sameAsCheck).toBe(true);
    expect(refused.english).not.toMatch(/[\u4e00-\u9fff]/);
    expect(refused.chinese).toContain(chinese);
  });
});

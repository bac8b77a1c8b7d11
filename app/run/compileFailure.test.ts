import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../../src/graph/compile';
import { baseGraph } from '../../src/graph/testFixtures';
import { describeCompileFailure } from './runController';

describe('describeCompileFailure', () => {
  it('lists the graph problems that stop a run in the interface language', () => {
    const graph = baseGraph();
    graph.node('ce', 'loss').params.weight = 0;
    let thrown: unknown = null;
    try {
      compileExperiment(graph.file);
    } catch (error) {
      thrown = error;
    }
    const zh = describeCompileFailure(thrown, graph.file, 'zh');
    const en = describeCompileFailure(thrown, graph.file, 'en');
    expect(en.problems).toContain('Trainer: Every loss of "Trainer" weighs 0, so the stage would train nothing: give one of them a weight other than 0.');
    expect(zh.problems).toContain('Trainer: “Trainer”的每个损失权重都是 0，该阶段什么也不会训练：请给其中一个非 0 的权重。');
  });
});

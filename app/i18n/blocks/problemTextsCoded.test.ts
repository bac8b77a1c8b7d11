import { describe, expect, it } from 'vitest';
import { validateGraph, type GraphProblem } from '../../../src/graph/validate';
import { problemCodes, type ProblemCode, type ProblemDetail } from '../../../src/graph/problemDetail';
import { createNode } from '../../../src/graph/factory';
import { baseGraph, TestGraph, tinyMlp } from '../../../src/graph/testFixtures';
import type { ExperimentFile } from '../../../src/graph/schema';
import { problemText } from './problemTexts';
import { problemZh } from './problemTextsZh';

const chinese = /[\u4e00-\u9fff]/;

/** One graph breaking every non-role rule the validator codes, each on a node with a recognisable label. */
function brokenGraph(): ExperimentFile {
  const graph = baseGraph();
  graph.add(createNode('dataset', { id: 'dataset2', label: 'Extra data' }));
  graph.add(createNode('model', { id: 'loose', role: 'student', label: 'Loose net' })).params.architecture = structuredClone(tinyMlp);
  const teacher = graph.node('teacher', 'model');
  teacher.label = 'Big teacher';
  delete teacher.params.teacherTraining;
  const student = graph.node('student', 'model');
  student.label = 'Small student';
  const logits = student.params.architecture.layers.at(-1);
  if (logits?.kind === 'dense') logits.units = 7;
  graph.add(createNode('guide', { id: 'hint', label: 'Hint' }));
  graph.tap('guided', 'guided', '').label = 'Guided conv';
  graph.loss('kd', 'kd').label = 'Lonely KD';
  graph.trainer('empty', 'Empty stage');
  return graph.file;
}

describe('coded graph problems in Chinese', () => {
  it('each coded problem of broken graphs reads in Chinese and names its node', () => {
    const graphs = [brokenGraph(), new TestGraph().file];
    const seen = new Set<ProblemCode>();
    for (const graph of graphs) {
      for (const problem of validateGraph(graph).filter((p): p is GraphProblem & { detail: ProblemDetail } => p.detail !== undefined)) {
        seen.add(problem.detail.code);
        const text = problemText(problem, graph, 'zh');
        expect(text).toMatch(chinese);
        expect(text).not.toBe(problem.message);
        const label = graph.nodes.find((n) => n.id === problem.nodeId)?.label;
        if (label) expect(text, problem.detail.code).toContain(`“${label}”`);
      }
    }
    const expected: ProblemCode[] = ['noDataset', 'extraDataset', 'noLearner', 'noTrainer', 'imagesUnconnected', 'outputUnits',
      'teacherDefaults', 'tapUnconnected', 'tapNoLayer', 'tapFeedsNoLoss', 'lossPortUnconnected', 'lossInNoTrainer', 'trainerNoLosses'];
    for (const code of expected) expect(seen, code).toContain(code);
  });

  it('the parameters of a problem appear in its text', () => {
    const graph = brokenGraph();
    const shown = (code: ProblemCode) => validateGraph(graph).filter((p) => p.detail?.code === code).map((p) => problemText(p, graph, 'zh'));
    expect(shown('outputUnits')).toEqual([expect.stringMatching(/“Small student”的最后一层有 7 个单元.* 10 个类别/)]);
    expect(shown('tapNoLayer')).toEqual([expect.stringContaining('“Small student”的一层')]);
    expect(shown('lossPortUnconnected').length).toBeGreaterThanOrEqual(2);
  });

  it('every problem code has a Chinese text', () => {
    // Typed as a full map, so a new code without a sample fails to compile; the runtime list is checked against it.
    const samples: { [C in ProblemCode]: Extract<ProblemDetail, { code: C }> } = {
      neverTrained: { code: 'neverTrained' }, teachesButNeverTrained: { code: 'teachesButNeverTrained' },
      assistantTeachesNobody: { code: 'assistantTeachesNobody' }, teacherIdle: { code: 'teacherIdle' },
      lonePeer: { code: 'lonePeer', trainer: 't', instead: 'assistant' },
      noDataset: { code: 'noDataset' }, extraDataset: { code: 'extraDataset' },
      userDatasetMissing: { code: 'userDatasetMissing', datasetId: 'user:flowers-1a2b3c4d' }, noLearner: { code: 'noLearner' }, noTrainer: { code: 'noTrainer' },
      imagesUnconnected: { code: 'imagesUnconnected' }, outputUnits: { code: 'outputUnits', units: 5, classes: 10, dataset: 'MNIST' },
      teacherDefaults: { code: 'teacherDefaults' }, tapUnconnected: { code: 'tapUnconnected', side: 'teacher' },
      tapNoLayer: { code: 'tapNoLayer', model: 'm' }, tapFeedsNoLoss: { code: 'tapFeedsNoLoss' },
      lossPortUnconnected: { code: 'lossPortUnconnected', port: 'Labels', from: 'data' },
      lossInNoTrainer: { code: 'lossInNoTrainer' }, trainerNoLosses: { code: 'trainerNoLosses' },
    };
    expect(Object.keys(samples).sort()).toEqual([...problemCodes].sort());
    for (const code of problemCodes) {
      const text = problemZh(samples[code], '“N”', (id) => `“${id}”`);
      expect(text, code).toMatch(chinese);
      expect(text, code).not.toMatch(/undefined/);
    }
  });
});

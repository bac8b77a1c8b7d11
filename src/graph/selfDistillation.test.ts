import { describe, expect, it } from 'vitest';
import { createNode } from './factory';
import { compileExperiment } from './compile';
import { validateGraph } from './validate';
import { analyzeChains } from './phases';
import { edgeShape, portShape } from './shapes';
import { parseExperiment, serializeExperiment } from './serialize';
import { selfDistillationMnist, SELF_DISTILLATION } from './presetSelfDistillation';
import { TestGraph, tinyStudent } from './testFixtures';
import type { NodeOf } from './schema';

/**
 * Self-distillation (Zhang et al. 2019): a student's own tensors teach it. Student shapes
 * (testFixtures): relu1 [28, 28, 2], pool1 [14, 14, 6], conv3 [14, 14, 4], fc [12], logits [10].
 */

/** The student with a head on relu1 (CE + KD from its own logits) and its final CE, in one trainer. */
function withHead(): TestGraph {
  const graph = new TestGraph();
  graph.add(createNode('dataset', { id: 'dataset' }));
  graph.model('student', 'student', tinyStudent, 'Student');
  graph.trainer('trainer', 'Self-distil');
  graph.crossEntropy('ce', 'student', 'trainer');
  graph.tap('guided', 'tap-relu1', 'relu1');
  graph.add(createNode('head', { id: 'head', label: 'Head relu1' }));
  graph.connect('tap-relu1', 'feature', 'head', 'feature');
  graph.crossEntropy('ce-head', 'head', 'trainer');
  graph.kd('kd-head', 'student', 'head', 'trainer');
  return graph;
}

/** A FitNet hint in `graph`'s trainer from the student's `deep` layer (a guide) to its `shallow` one. */
function addSelfHint(graph: TestGraph, deep: string, shallow: string): NodeOf<'loss'> {
  graph.tap('guide', 'deep', deep, 'student');
  graph.tap('guided', 'shallow', shallow);
  const hint = graph.loss('hint', 'fitnet');
  graph.connect('deep', 'feature', 'hint', 'guide');
  graph.connect('shallow', 'feature', 'hint', 'guided');
  graph.connect('hint', 'loss', 'trainer', 'losses');
  return hint;
}

describe('auxiliary classifier (head) node', () => {
  it('gives [classes] logits from the layer of the guided node feeding it', () => {
    const graph = withHead();
    expect(portShape(graph.file, 'head', 'logits')).toEqual([10]);
    const into = graph.file.edges.find((edge) => edge.source === 'head' && edge.target === 'kd-head');
    expect(edgeShape(graph.file, into!)).toEqual([10]);
  });

  it('compiles to a classifier adapter of its network: trained with it, read through its tapped layer', () => {
    const plan = compileExperiment(withHead().file);
    expect(plan.adapters).toEqual([
      { id: 'classifier-head', kind: 'classifier', modelId: 'student', layerId: 'relu1', inputShape: [28, 28, 2], outputShape: [10] },
    ]);
    const terms = Object.fromEntries(plan.phases[1].stages[0].terms.map(({ term }) => [term.nodeId, term.inputs]));
    const head = { kind: 'feature', model: 'student', layerId: 'relu1', adapterId: 'classifier-head', detach: false };
    expect(terms['ce-head'].logits).toEqual(head);
    // The network's own final logits teach the head as a detached target.
    expect(terms['kd-head']).toEqual({ teacherLogits: { kind: 'logits', model: 'student', detach: true }, studentLogits: head });
    expect(terms.ce.logits).toEqual({ kind: 'logits', model: 'student', detach: false });
    expect(plan.models.find((model) => model.id === 'student')?.taps).toEqual(['relu1']);
  });

  it('is refused a teaching layer, and a feature goes to a logits port only through it', () => {
    const graph = withHead();
    graph.model('teacher', 'teacher', tinyStudent, 'Teacher');
    graph.tap('guide', 'g-teacher', 'relu1', 'teacher');
    graph.add(createNode('head', { id: 'head-2', label: 'Head 2' }));
    expect(graph.refusal('g-teacher', 'feature', 'head-2', 'feature')).toBe(
      'An Auxiliary classifier learns, so it classifies a layer picked by a Guided node, but "Guide" is a Guide (a layer that teaches).');
    expect(graph.refusal('tap-relu1', 'feature', 'ce', 'logits')).toBe(
      'A feature is not class logits: put an Auxiliary classifier between the Guided node and the loss to classify that layer.');
    // A head learns: its logits never teach.
    expect(graph.refusal('head', 'logits', 'kd-head', 'teacherLogits')).toContain('takes the logits of the network that teaches');
  });

  it('validation asks for its input and warns when it feeds no loss', () => {
    const graph = withHead();
    graph.add(createNode('head', { id: 'idle', label: 'Idle head' }));
    expect(validateGraph(graph.file).filter((problem) => problem.nodeId === 'idle')).toEqual([
      { nodeId: 'idle', severity: 'error', message: 'Connect the Feature of a Guided node (a layer of a student, assistant or peer) to "Idle head".', detail: { code: 'headUnconnected' } },
      {
        nodeId: 'idle', severity: 'warning',
        message: '"Idle head" feeds no loss: connect its Logits to Cross-entropy and to the student side of a KD block whose teacher side ' +
          'is the network\'s own Logits, or delete it.',
        detail: { code: 'headFeedsNoLoss' },
      },
    ]);
  });

  it('round-trips through the experiment file', () => {
    const file = withHead().file;
    expect(parseExperiment(serializeExperiment(file))).toEqual(file);
  });
});

describe('a network teaching itself', () => {
  it('through a head or from a deeper layer is valid: one phase trains the student, with no teacher, plus its baseline', () => {
    const graph = withHead();
    addSelfHint(graph, 'conv3', 'pool1');
    expect(validateGraph(graph.file)).toEqual([]);
    expect(analyzeChains(graph.file).map(({ learners, teachersOf, frozen }) => ({ learners, teachersOf, frozen })))
      .toEqual([{ learners: ['student'], teachersOf: { student: [] }, frozen: [] }]);
    const plan = compileExperiment(graph.file);
    expect(plan.phases.map((phase) => [phase.kind, phase.trains, phase.frozen, phase.teachers])).toEqual([
      ['baseline', ['student/baseline'], [], {}], ['student', ['student'], [], { student: [] }],
    ]);
    // The baseline trains the student alone, without heads or hints.
    expect(plan.phases[0].stages[0].terms.map(({ term }) => term.nodeId)).toEqual(['ce:student/baseline']);
    const hint = plan.phases[1].stages[0].terms.find(({ term }) => term.nodeId === 'hint')!.term;
    expect(hint.inputs).toEqual({
      guide: { kind: 'feature', model: 'student', layerId: 'conv3', adapterId: null, detach: true },
      guided: { kind: 'feature', model: 'student', layerId: 'pool1', adapterId: 'adapter-shallow', detach: false },
    });
    expect(plan.adapters.find((adapter) => adapter.id === 'adapter-shallow')).toMatchObject({ kind: 'conv1x1', inputShape: [14, 14, 6], outputShape: [14, 14, 4] });
  });

  it('from the very same tensor is refused with the reason, through taps too', () => {
    const sameTensor = (tensor: string, loss: string): string =>
      `"Student" would teach itself with ${tensor} on both sides of ${loss}, a target equal to the prediction, which teaches nothing. ` +
      'A network teaches itself only from another of its tensors (its final logits teaching an Auxiliary classifier on a shallow layer, ' +
      'or a deeper layer hinting a shallower one); otherwise feed the teacher side from another network (for mutual learning, a second Peer).';
    const graph = withHead();
    graph.loss('kd-self', 'kd');
    graph.connect('student', 'logits', 'kd-self', 'teacherLogits');
    expect(graph.refusal('student', 'logits', 'kd-self', 'studentLogits')).toBe(sameTensor('its logits', '"KD (soft targets)"'));
    // A guide and a guided node on the same layer read the same tensor, whatever the adapter.
    graph.tap('guide', 'deep', 'pool1', 'student');
    graph.tap('guided', 'shallow', 'pool1');
    graph.loss('hint', 'fitnet');
    graph.connect('deep', 'feature', 'hint', 'guide');
    expect(graph.refusal('shallow', 'feature', 'hint', 'guided')).toBe(sameTensor("its layer 'pool1'", '"FitNet hints"'));
    // Forced into a file, validation reports it on the loss.
    graph.force('shallow', 'feature', 'hint', 'guided');
    expect(validateGraph(graph.file).filter((problem) => problem.nodeId === 'hint').map((problem) => problem.message))
      .toContain(sameTensor("its layer 'pool1'", '"FitNet hints"'));
  });

  it('a student teaches only itself: its logits or layers never teach another network', () => {
    const graph = withHead();
    graph.model('other', 'student', { ...tinyStudent, name: 'other' }, 'Other');
    graph.loss('kd-other', 'kd');
    graph.connect('other', 'logits', 'kd-other', 'studentLogits');
    const reason = '"Student" is a Student, so it teaches only itself (self-distillation), but "KD (soft targets)" trains "Other": ' +
      'feed its teacher side from a teacher, assistant or peer, or make "Student" an Assistant.';
    expect(graph.refusal('student', 'logits', 'kd-other', 'teacherLogits')).toBe(reason);
    // Whichever edge comes last.
    const graph2 = withHead();
    graph2.model('other', 'student', { ...tinyStudent, name: 'other' }, 'Other');
    graph2.loss('kd-other', 'kd');
    graph2.connect('student', 'logits', 'kd-other', 'teacherLogits');
    expect(graph2.refusal('other', 'logits', 'kd-other', 'studentLogits')).toBe(reason);
    // Through a guide on the student's layer.
    graph.tap('guide', 'deep', 'conv3', 'student');
    graph.tap('guided', 'other-tap', 'conv3', 'other');
    graph.loss('at', 'at');
    graph.connect('other-tap', 'feature', 'at', 'guided');
    expect(graph.refusal('deep', 'feature', 'at', 'guide')).toContain('"Student" is a Student, so it teaches only itself');
    // A teacher still never learns.
    graph.model('teacher', 'teacher', tinyStudent, 'Teacher');
    expect(graph.refusal('teacher', 'logits', 'kd-head', 'studentLogits')).toContain('but "Teacher" is a teacher');
  });
});

describe('the self-distillation preset', () => {
  it('heads on pool1 and relu2 of the CNN student, each CE (1 - alpha) + KD (alpha) at T = 3 from the final logits, plus the final CE', () => {
    const plan = compileExperiment(selfDistillationMnist());
    expect(SELF_DISTILLATION).toEqual({ temperature: 3, alpha: 0.1 });
    expect(plan.phases.map((phase) => [phase.kind, phase.trains, phase.frozen])).toEqual([
      ['baseline', ['student/baseline'], []], ['student', ['student'], []],
    ]);
    expect(plan.adapters.map(({ id, kind, layerId, inputShape, outputShape }) => [id, kind, layerId, inputShape, outputShape])).toEqual([
      ['classifier-head-pool1', 'classifier', 'pool1', [14, 14, 4], [10]],
      ['classifier-head-relu2', 'classifier', 'relu2', [14, 14, 8], [10]],
    ]);
    const terms = plan.phases[1].stages[0].terms.map(({ term }) => [term.nodeId, term.lossId, term.weight, term.params.T ?? null]);
    expect(terms).toEqual([
      ['ce', 'ce', 0.9, null],
      ['ce-pool1', 'ce', 0.9, null], ['kd-pool1', 'kd', 0.1, 3],
      ['ce-relu2', 'ce', 0.9, null], ['kd-relu2', 'kd', 0.1, 3],
    ]);
    const kd = plan.phases[1].stages[0].terms.find(({ term }) => term.nodeId === 'kd-pool1')!.term;
    expect(kd.inputs.teacherLogits).toEqual({ kind: 'logits', model: 'student', detach: true });
  });
});

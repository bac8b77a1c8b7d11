import { describe, expect, it } from 'vitest';
import { createNode } from './factory';
import { compileExperiment } from './compile';
import { validateGraph } from './validate';
import { analyzeChains, orderChains } from './phases';
import { edgeShape, portShape } from './shapes';
import { parseExperiment, serializeExperiment } from './serialize';
import { TestGraph, tinyMlp } from './testFixtures';

/**
 * Ensemble nodes (born-again networks, Furlanello et al. 2018): the average of several networks'
 * class probabilities, teaching a later generation and reported as a result of its own.
 */

/**
 * Generation 0 (teacher) teaches generation 1 (assistant); the ensemble of both teaches generation 2
 * (student). The chain of generation 2 is added first, so the order has to come from the teaching.
 */
function bornAgain(): TestGraph {
  const graph = new TestGraph();
  graph.add(createNode('dataset', { id: 'dataset' }));
  graph.model('gen0', 'teacher', tinyMlp, 'Gen 0');
  graph.model('gen1', 'assistant', tinyMlp, 'Gen 1');
  graph.model('gen2', 'student', tinyMlp, 'Gen 2');
  graph.add(createNode('ensemble', { id: 'ens', label: 'Gens 0 + 1' }));
  graph.connect('gen0', 'logits', 'ens', 'members');
  graph.connect('gen1', 'logits', 'ens', 'members');
  graph.trainer('trainer-gen2', 'Gen 2').params.seed = 3;
  graph.kd('kd-gen2', 'ens', 'gen2', 'trainer-gen2');
  graph.trainer('trainer-gen1', 'Gen 1').params.seed = 2;
  graph.kd('kd-gen1', 'gen0', 'gen1', 'trainer-gen1');
  return graph;
}

const errors = (graph: TestGraph): string[] => validateGraph(graph.file).filter((p) => p.severity === 'error').map((p) => p.message);

describe('ensemble node: shapes and compile', () => {
  it('gives the members\' logits shape, which reaches the KD block', () => {
    const graph = bornAgain();
    expect(portShape(graph.file, 'ens', 'logits')).toEqual([10]);
    const into = graph.file.edges.find((edge) => edge.source === 'ens' && edge.target === 'kd-gen2');
    expect(edgeShape(graph.file, into!)).toEqual([10]);
    expect(errors(graph)).toEqual([]);
  });

  it('compiles to an ensemble input of its members, frozen in the phase that reads it and trained before it', () => {
    const plan = compileExperiment(bornAgain().file);
    expect(plan.phases.map((phase) => [phase.id, phase.trains, phase.frozen])).toEqual([
      ['teacher:gen0', ['gen0'], []],
      ['distill:trainer-gen1', ['gen1'], ['gen0']],
      ['baseline:gen2', ['gen2/baseline'], []],
      ['distill:trainer-gen2', ['gen2'], ['gen0', 'gen1']],
    ]);
    const distil = plan.phases[3];
    expect(distil.teachers).toEqual({ gen2: ['gen0', 'gen1'] });
    expect(distil.stages[0].terms[0].term.inputs).toEqual({
      teacherLogits: { kind: 'ensemble', members: ['gen0', 'gen1'], detach: false },
      studentLogits: { kind: 'logits', model: 'gen2', detach: false },
    });
    expect(plan.ensembles).toEqual([{ id: 'ens', label: 'Gens 0 + 1', members: ['gen0', 'gen1'] }]);
    // Members read only as logits need no taps.
    expect(plan.models.every((model) => model.taps.length === 0)).toBe(true);
  });

  it('treats every member as a teacher of the learners that read it (phase order from the teaching)', () => {
    const graph = bornAgain();
    const chains = analyzeChains(graph.file);
    expect(chains.map((chain) => chain.trainers[0].id)).toEqual(['trainer-gen2', 'trainer-gen1']);
    expect(orderChains(graph.file, chains).ordered.map((chain) => chain.trainers[0].id)).toEqual(['trainer-gen1', 'trainer-gen2']);
  });

  it('an ensemble feeding no loss is a result only: listed in the plan, teaching nobody', () => {
    const graph = bornAgain();
    graph.add(createNode('ensemble', { id: 'all', label: 'All' }));
    for (const member of ['gen0', 'gen1', 'gen2']) graph.connect(member, 'logits', 'all', 'members');
    expect(validateGraph(graph.file).filter((p) => p.nodeId === 'all')).toEqual([]);
    const plan = compileExperiment(graph.file);
    expect(plan.ensembles.map((ensemble) => [ensemble.id, ensemble.members])).toEqual([['ens', ['gen0', 'gen1']], ['all', ['gen0', 'gen1', 'gen2']]]);
    expect(plan.phases.find((phase) => phase.id === 'distill:trainer-gen2')?.frozen).toEqual(['gen0', 'gen1']);
  });

  it('peers trained in the same phase as the learner give a detached target', () => {
    const graph = new TestGraph();
    graph.add(createNode('dataset', { id: 'dataset' }));
    for (const id of ['p1', 'p2', 'p3']) graph.model(id, 'peer', tinyMlp, id);
    graph.trainer('trainer', 'Mutual');
    for (const id of ['p1', 'p2', 'p3']) graph.crossEntropy(`ce-${id}`, id, 'trainer');
    graph.add(createNode('ensemble', { id: 'others', label: 'P2 + P3' }));
    graph.connect('p2', 'logits', 'others', 'members');
    graph.connect('p3', 'logits', 'others', 'members');
    graph.kd('kd-p1', 'others', 'p1', 'trainer');
    const phase = compileExperiment(graph.file).phases.find((candidate) => candidate.kind === 'student')!;
    expect(phase.frozen).toEqual([]);
    const kd = phase.stages[0].terms.find(({ term }) => term.nodeId === 'kd-p1')!.term;
    expect(kd.inputs.teacherLogits).toEqual({ kind: 'ensemble', members: ['p2', 'p3'], detach: true });
  });

  it('round-trips through the experiment file; parameters of its own are refused', () => {
    const graph = bornAgain();
    expect(parseExperiment(serializeExperiment(graph.file))).toEqual(graph.file);
    const raw = JSON.parse(serializeExperiment(graph.file)) as { nodes: { id: string; params: object }[] };
    raw.nodes.find((node) => node.id === 'ens')!.params = { temperature: 2 };
    expect(() => parseExperiment(JSON.stringify(raw))).toThrow(/temperature/);
  });
});

describe('ensemble node: what is refused, with the reason', () => {
  it('an ensemble of one network', () => {
    const graph = bornAgain();
    graph.add(createNode('ensemble', { id: 'lone', label: 'Lone' }));
    graph.connect('gen0', 'logits', 'lone', 'members');
    expect(errors(graph)).toEqual([
      '"Lone" averages the predictions of at least 2 networks, but only "Gen 0" is (its own average): connect the Logits of another ' +
      'network to its Members, or delete it.',
    ]);
    expect(compileExperiment.bind(null, graph.file)).toThrow(/at least 2 networks/);
  });

  it('members with different numbers of classes: refused when drawn, an error in a file', () => {
    const graph = bornAgain();
    const wide = graph.model('wide', 'teacher', tinyMlp, 'Wide');
    wide.params.architecture.layers[3] = { kind: 'dense', id: 'logits', units: 12 };
    const reason = '"Gens 0 + 1" averages class probabilities, so its members must give the same classes, but they give ' +
      '"Gen 0" [10], "Gen 1" [10], "Wide" [12]: connect networks with the same number of classes.';
    expect(graph.refusal('wide', 'logits', 'ens', 'members')).toBe(reason);
    graph.force('wide', 'logits', 'ens', 'members');
    expect(portShape(graph.file, 'ens', 'logits')).toBeNull();
    expect(validateGraph(graph.file).filter((p) => p.nodeId === 'ens').map((p) => p.message)).toEqual([reason]);
  });

  it('an ensemble holding the learner it teaches, from either edge', () => {
    const graph = bornAgain();
    const reason = '"Gens 0 + 1" holds "Gen 2", which "KD (soft targets)" trains: "Gen 2" would learn from an average of its own ' +
      'prediction. Teach it with an ensemble of other networks (born-again: the earlier generations), or remove it from the ensemble.';
    expect(graph.refusal('gen2', 'logits', 'ens', 'members')).toBe(reason);
    graph.force('gen2', 'logits', 'ens', 'members');
    expect(errors(graph)).toContain(reason);
    expect(() => compileExperiment(graph.file)).toThrow(/would learn from an average of its own prediction/);
    // The same, drawing the ensemble's output last.
    const late = bornAgain();
    late.file.edges = late.file.edges.filter((edge) => edge.source !== 'ens');
    late.connect('gen2', 'logits', 'ens', 'members');
    expect(late.refusal('ens', 'logits', 'kd-gen2', 'teacherLogits')).toBe(reason);
  });

  it('members that are not networks, an ensemble on the student side, and a Student teaching through one', () => {
    const graph = bornAgain();
    graph.add(createNode('ensemble', { id: 'nested', label: 'Nested' }));
    expect(graph.refusal('ens', 'logits', 'nested', 'members')).toBe(
      '"Nested" averages whole networks: connect the Logits of Model nodes to its Members (for an ensemble of ensembles, connect their members directly).');
    graph.crossEntropy('ce-gen2', 'gen2', 'trainer-gen2');
    expect(graph.refusal('ens', 'logits', 'ce-gen2', 'logits')).toContain('"Gens 0 + 1" is an Ensemble (an average of trained networks: it teaches, never learns)');
    const student = bornAgain();
    student.model('other', 'student', tinyMlp, 'Other');
    student.trainer('trainer-other', 'Other').params.seed = 4;
    student.add(createNode('ensemble', { id: 'with-student', label: 'With a student' }));
    student.connect('gen0', 'logits', 'with-student', 'members');
    student.connect('gen2', 'logits', 'with-student', 'members');
    student.crossEntropy('ce-other', 'other', 'trainer-other');
    student.loss('kd-other', 'kd');
    student.connect('other', 'logits', 'kd-other', 'studentLogits');
    expect(student.refusal('with-student', 'logits', 'kd-other', 'teacherLogits')).toMatch(/^"Gen 2" is a Student, so it teaches only itself/);
  });
});

import { describe, expect, it } from 'vitest';
import { orderChains } from './phases';
import { validateGraph, type GraphProblem } from './validate';
import { learnersOfTrainer } from './validatePhases';
import {
  baseGraph, mutualLearningExperiment, mutualLearningGraph, teacherAssistantStudentExperiment, teacherAssistantStudentGraph,
  tinyAssistant, tinyMlp, tinyStudent, type TestGraph,
} from './testFixtures';

const errorsOf = (problems: GraphProblem[], nodeId: string | null): string[] =>
  problems.filter((problem) => problem.nodeId === nodeId && problem.severity === 'error').map((problem) => problem.message);
const warningsOf = (problems: GraphProblem[], nodeId: string | null): string[] =>
  problems.filter((problem) => problem.nodeId === nodeId && problem.severity === 'warning').map((problem) => problem.message);

/** Drops the edges into `target` (optionally one port), as a user deleting them would. */
function disconnect(graph: TestGraph, target: string, port?: string): void {
  graph.file.edges = graph.file.edges.filter((edge) => !(edge.target === target && (port === undefined || edge.targetPort === port)));
}

describe('the N-network fixtures', () => {
  it('teacher -> assistant -> student is valid, and the assistant\'s chain runs first', () => {
    const experiment = teacherAssistantStudentExperiment();
    expect(validateGraph(experiment)).toEqual([]);
    const { ordered, cyclic } = orderChains(experiment);
    expect(ordered.map((chain) => [chain.learners, chain.frozen])).toEqual([[['assistant'], ['teacher']], [['student'], ['assistant']]]);
    expect(cyclic).toEqual([]);
  });

  it('deep mutual learning (two peers, no teacher) is valid', () => {
    const experiment = mutualLearningExperiment();
    expect(validateGraph(experiment)).toEqual([]);
    expect(orderChains(experiment).ordered.map((chain) => chain.teachersOf)).toEqual([{ peer1: ['peer2'], peer2: ['peer1'] }]);
  });
});

describe('validateGraph: who trains whom', () => {
  it('a network trained by two chains, on the second chain\'s first trainer; one sequence of stages is fine', () => {
    const graph = baseGraph();
    graph.kd('kd', 'teacher', 'student', 'trainer');
    graph.trainer('trainer2', 'Stage 2');
    graph.crossEntropy('ce2', 'student', 'trainer2');
    expect(errorsOf(validateGraph(graph.file), 'trainer2')).toEqual([
      '"Student" is already trained by "Trainer", and a network learns in one sequence of stages: connect Next of ' +
      '"Trainer" to After of "Stage 2" to make it a later stage, or train another network here.']);
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([]);
    graph.connect('trainer', 'next', 'trainer2', 'after');
    expect(validateGraph(graph.file)).toEqual([]);
  });

  it('a chain whose losses read no network that learns', () => {
    const graph = baseGraph();
    graph.kd('kd', 'teacher', 'student', 'trainer');
    graph.trainer('idle', 'Idle');
    graph.loss('ce2', 'ce');
    graph.connect('dataset', 'labels', 'ce2', 'labels');
    graph.connect('ce2', 'loss', 'idle', 'losses');
    expect(errorsOf(validateGraph(graph.file), 'idle')).toEqual([
      '"Idle" trains nothing: no loss of its stages reads a network that learns (a student, assistant or peer) on its ' +
      'student side. Connect such a network\'s Logits to one of its losses (e.g. Cross-entropy with the labels), or a ' +
      'Guided layer of it to a feature loss.']);
  });

  it('a student that no chain trains', () => {
    const graph = baseGraph();
    graph.kd('kd', 'teacher', 'student', 'trainer');
    graph.model('student2', 'student', tinyStudent, 'Student 2');
    expect(validateGraph(graph.file)).toEqual([{
      nodeId: 'student2', severity: 'error',
      message: '"Student 2" is never trained: connect its Logits to a loss in a Trainer (e.g. Cross-entropy with the labels), or delete it.',
      detail: { code: 'neverTrained' },
    }]);
  });

  it('an assistant that teaches but is never trained', () => {
    const graph = teacherAssistantStudentGraph();
    disconnect(graph, 'trainer-assistant');
    expect(errorsOf(validateGraph(graph.file), 'assistant')).toEqual([
      '"Assistant" teaches but is never trained: connect its Logits to the student side of a loss in a Trainer ' +
      '(e.g. Cross-entropy with the labels), so that it learns before it teaches.']);
  });

  it('chains that teach each other in a loop are named on their first trainers; a chain waiting for them is not', () => {
    const graph = baseGraph();
    graph.kd('kd', 'teacher', 'student', 'trainer');
    graph.model('a', 'assistant', tinyAssistant, 'A');
    graph.model('b', 'assistant', tinyAssistant, 'B');
    graph.trainer('train-a', 'Stage A');
    graph.crossEntropy('ce-a', 'a', 'train-a');
    graph.kd('kd-b-a', 'b', 'a', 'train-a');
    graph.trainer('train-b', 'Stage B');
    graph.crossEntropy('ce-b', 'b', 'train-b');
    graph.kd('kd-a-b', 'a', 'b', 'train-b');
    graph.kd('kd-a-student', 'a', 'student', 'trainer');
    const loop = '"Stage A" and "Stage B" teach each other in a loop: each runs frozen a network another one trains, so ' +
      'none can run first. Train networks that learn from each other in one Trainer and give them the Peer role ' +
      '(mutual learning), or remove one of the teaching losses.';
    const problems = validateGraph(graph.file);
    expect(errorsOf(problems, 'train-a')).toEqual([loop]);
    expect(errorsOf(problems, 'train-b')).toEqual([loop]);
    expect(errorsOf(problems, 'trainer')).toEqual([]);
  });

  it('a peer alone in its chain', () => {
    const graph = baseGraph();
    graph.kd('kd', 'teacher', 'student', 'trainer');
    graph.model('p', 'peer', tinyMlp, 'Lone peer');
    graph.trainer('train-p', 'Peer stage');
    graph.crossEntropy('ce-p', 'p', 'train-p');
    expect(validateGraph(graph.file)).toEqual([{
      nodeId: 'p', severity: 'error',
      message: '"Lone peer" is the only peer "Peer stage" trains: mutual learning needs at least two peers trained by ' +
        'the same trainer. Train a second Peer in it (each teaching the other with KD), or make "Lone peer" a Student.',
      detail: { code: 'lonePeer', trainer: 'train-p', instead: 'student' },
    }]);
  });

  it('an assistant that teaches nobody is a warning (it is just a student)', () => {
    const graph = teacherAssistantStudentGraph();
    disconnect(graph, 'kd-student', 'teacherLogits');
    graph.connect('teacher', 'logits', 'kd-student', 'teacherLogits');
    expect(validateGraph(graph.file)).toEqual([{
      nodeId: 'assistant', severity: 'warning',
      message: '"Assistant" is an assistant but teaches nobody, so it is just a student: connect its Logits (or a Guide ' +
        'on its Layers) to the teacher side of a loss that trains another network, or make it a Student.',
      detail: { code: 'assistantTeachesNobody' },
    }]);
  });

  it('a teacher that teaches nothing is a warning', () => {
    const graph = teacherAssistantStudentGraph();
    disconnect(graph, 'kd-assistant', 'teacherLogits');
    expect(warningsOf(validateGraph(graph.file), 'teacher')).toEqual([
      '"Teacher" teaches nothing: connect its Logits (or a Guide on its Layers) to the teacher side of a loss (e.g. KD) ' +
      'that trains another network, or delete it.']);
  });
});

describe('validateGraph: train up to, per chain', () => {
  it('names a layer of a network the chain trains, not of the student', () => {
    const graph = teacherAssistantStudentGraph();
    graph.node('trainer-assistant', 'trainer').params.trainUpTo = 'relu3'; // the assistant's, not the student's
    expect(validateGraph(graph.file)).toEqual([]);
    graph.node('trainer-student', 'trainer').params.trainUpTo = 'relu3';
    expect(errorsOf(validateGraph(graph.file), 'trainer-student')).toEqual([
      '\'Train up to\' names \'relu3\', which is not a layer of "Student" (the network this stage trains): pick one of its layers or clear it.']);
    expect(learnersOfTrainer(graph.file, 'trainer-student').map((model) => model.id)).toEqual(['student']);
  });

  it('with several learners: a layer of none of them, or one that stops all of them before their weights', () => {
    const graph = mutualLearningGraph();
    const trainer = graph.node('trainer', 'trainer');
    trainer.params.trainUpTo = 'conv1';
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([
      '\'Train up to\' names \'conv1\', which is not a layer of "Peer 1" or "Peer 2" (the networks this stage trains): ' +
      'pick one of their layers or clear it.']);
    trainer.params.trainUpTo = 'flatten';
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([
      '\'Train up to\' stops at \'flatten\', before the first layer with weights of "Peer 1" and "Peer 2", so the stage ' +
      'would train nothing: pick a later layer or clear it.']);
    // Peer 2's flatten comes after convolutions, so it still trains.
    graph.node('peer2', 'model').params.architecture = structuredClone(tinyStudent);
    expect(errorsOf(validateGraph(graph.file), 'trainer')).toEqual([]);
  });
});

describe('validateGraph: starts and partial stages', () => {
  it('warns when two networks of the same layers and seed would start from the same weights', () => {
    const graph = baseGraph();
    graph.kd('kd', 'teacher', 'student', 'trainer');
    graph.node('teacher', 'model').params.architecture = structuredClone(tinyStudent);
    graph.node('teacher', 'model').params.teacherTraining!.seed = 1;
    expect(warningsOf(validateGraph(graph.file), 'student')).toEqual([
      '"Student" starts from the same weights as "Teacher" (same layers, seed 1): give its first trainer another seed so the two start apart.']);
    graph.node('trainer', 'trainer').params.seed = 2;
    expect(warningsOf(validateGraph(graph.file), 'student')).toEqual([]);
  });

  it("warns when 'train up to' names a layer only some of the stage's networks have", () => {
    const graph = mutualLearningGraph();
    graph.node('peer2', 'model').params.architecture = structuredClone(tinyStudent);
    graph.node('trainer', 'trainer').params.trainUpTo = 'conv3';
    expect(warningsOf(validateGraph(graph.file), 'trainer')).toEqual([
      "'Train up to' 'conv3' is a layer of \"Peer 2\" only, so \"Peer 1\" trains whole in this stage: pick a layer every network it trains has, or split the stage."]);
  });

  it('a lone peer that teaches is told to become an Assistant (a Student cannot teach)', () => {
    const graph = baseGraph();
    graph.model('p', 'peer', tinyStudent, 'Lone peer');
    graph.trainer('train-p', 'Peer stage');
    graph.kd('kd-p', 'teacher', 'p', 'train-p');
    graph.kd('kd', 'p', 'student', 'trainer');
    expect(errorsOf(validateGraph(graph.file), 'p')).toEqual([expect.stringMatching(/or make "Lone peer" an Assistant \(it learns, then teaches\)\.$/)]);
  });
});


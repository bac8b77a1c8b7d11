import { describe, expect, it } from 'vitest';
import { createNode } from './factory';
import { portsOf } from './nodeKinds';
import { validateGraph } from './validate';
import { modelsWithRole } from './queries';
import { tappedFeature } from './shapes';
import { getLoss } from '../losses/registry';
import type { LossPortDef } from '../losses/types';
import { availableShapes } from './lossShapes';
import {
  baseGraph, mutualLearningExperiment, mutualLearningGraph, teacherAssistantStudentExperiment, teacherAssistantStudentGraph,
  tinyAssistant, tinyMlp, type TestGraph,
} from './testFixtures';

/** The base graph plus an assistant and a peer (each with images), and a KD and an AT block. */
function withAssistantAndPeer(): TestGraph {
  const graph = baseGraph();
  graph.model('assistant', 'assistant', tinyAssistant);
  graph.model('peer', 'peer', tinyMlp);
  graph.loss('kd', 'kd');
  graph.loss('at', 'at');
  return graph;
}

describe('model ports carry the side of the role', () => {
  it('teachers teach, students learn, assistants and peers have no side', () => {
    const graph = withAssistantAndPeer();
    const sides = (id: string) => portsOf(graph.node(id, 'model')).filter((port) => port.direction === 'output').map((port) => port.side);
    expect(sides('teacher')).toEqual(['teacher', 'teacher']);
    expect(sides('student')).toEqual(['student', 'student']);
    expect(sides('assistant')).toEqual([undefined, undefined]);
    expect(sides('peer')).toEqual([undefined, undefined]);
  });
});

describe('checkConnection: which roles feed which side', () => {
  it('assistants and peers feed both sides of a loss', () => {
    const graph = withAssistantAndPeer();
    for (const model of ['assistant', 'peer']) {
      expect(graph.refusal(model, 'logits', 'kd', 'teacherLogits')).toBeNull();
      expect(graph.refusal(model, 'logits', 'kd', 'studentLogits')).toBeNull();
    }
  });

  it('a student teaches only itself, a teacher does not learn', () => {
    const graph = withAssistantAndPeer();
    graph.connect('assistant', 'logits', 'kd', 'studentLogits');
    expect(graph.refusal('student', 'logits', 'kd', 'teacherLogits')).toBe(
      '"Student" is a Student, so it teaches only itself (self-distillation), but "KD (soft targets)" trains "Assistant": ' +
      'feed its teacher side from a teacher, assistant or peer, or make "Student" an Assistant.');
    expect(graph.refusal('teacher', 'logits', 'kd', 'studentLogits')).toBe(
      '\'Student logits\' of "KD (soft targets)" takes the logits of the network that learns (a student, assistant or peer), ' +
      'but "Teacher" is a teacher.');
  });

  it('guides take teaching layers, guided nodes learning layers: assistants and peers go to both', () => {
    const graph = withAssistantAndPeer();
    graph.add(createNode('guide', { id: 'guide' }));
    graph.add(createNode('guided', { id: 'guided' }));
    for (const model of ['teacher', 'assistant', 'peer']) expect(graph.refusal(model, 'layers', 'guide', 'layers')).toBeNull();
    for (const model of ['student', 'assistant', 'peer']) expect(graph.refusal(model, 'layers', 'guided', 'layers')).toBeNull();
    // A student's own deeper layer may teach it (self-distillation); selfTeaching.test.ts refuses it teaching others.
    expect(graph.refusal('student', 'layers', 'guide', 'layers')).toBeNull();
    expect(graph.refusal('teacher', 'layers', 'guided', 'layers')).toBe(
      'Guided nodes pick a layer of a network that learns (a student, assistant or peer), but "Teacher" is a teacher: ' +
      'use a Guide node for a layer that teaches.');
  });

  it('a guide\'s feature teaches and a guided feature learns, whatever the role behind them', () => {
    const graph = withAssistantAndPeer();
    graph.tap('guide', 'g-a', 'relu1', 'assistant');
    graph.tap('guided', 's-a', 'relu1', 'assistant');
    expect(graph.refusal('g-a', 'feature', 'at', 'guided')).toBe(
      '\'Guided (student map)\' of "Attention transfer" takes the feature of the network that learns (a student, assistant or peer), ' +
      'but "Guide" is a Guide (a layer that teaches).');
    expect(graph.refusal('s-a', 'feature', 'at', 'guide')).toBe(
      '\'Guide (teacher map)\' of "Attention transfer" takes the feature of the network that teaches (a teacher, assistant or peer), ' +
      'but "Guided" is a Guided node (a layer that learns).');
    expect(graph.refusal('g-a', 'feature', 'at', 'guide')).toBeNull();
  });

  it('export takes a student, an assistant or a peer, not a teacher', () => {
    const graph = withAssistantAndPeer();
    graph.add(createNode('export', { id: 'export' }));
    for (const model of ['student', 'assistant', 'peer']) expect(graph.refusal(model, 'layers', 'export', 'model')).toBeNull();
    expect(graph.refusal('teacher', 'layers', 'export', 'model')).toBe(
      'Export takes a trained network (a student, assistant or peer), but "Teacher" is a teacher: connect the Layers of one of those.');
  });
});

describe('shapes and queries with assistants and peers', () => {
  it('a tapped feature\'s side is the tap\'s (guide teaches, guided learns), not the role\'s', () => {
    const graph = withAssistantAndPeer();
    const guide = graph.tap('guide', 'g-a', 'relu1', 'assistant');
    const guided = graph.tap('guided', 's-a', 'relu3', 'assistant');
    expect(tappedFeature(graph.file, guide)).toEqual({ side: 'teacher', modelNodeId: 'assistant', layerId: 'relu1', shape: [28, 28, 3] });
    expect(tappedFeature(graph.file, guided)).toEqual({ side: 'student', modelNodeId: 'assistant', layerId: 'relu3', shape: [14, 14, 6] });
  });

  it('modelsWithRole takes every role', () => {
    const experiment = teacherAssistantStudentExperiment();
    expect(modelsWithRole(experiment, 'assistant').map((model) => model.id)).toEqual(['assistant']);
    expect(modelsWithRole(experiment, 'peer')).toEqual([]);
  });

  it('a loss port could receive the shapes of every model that can feed its side, assistants and peers included', () => {
    const kd = getLoss('kd');
    const port = (name: string) => kd.ports.find((candidate) => candidate.name === name) as LossPortDef;
    expect(availableShapes(mutualLearningExperiment(), port('teacherLogits'))).toEqual([[10]]);
    const ta = teacherAssistantStudentGraph();
    const fsp = getLoss('fsp');
    const guided = fsp.ports.find((candidate) => candidate.side === 'student') as LossPortDef;
    // The student's and the assistant's layers, not the teacher's ([14, 14, 8] is only the teacher's relu3).
    const shapes = availableShapes(ta.file, guided).map((shape) => shape.join('x'));
    expect(shapes).toContain('14x14x6');
    expect(shapes).toContain('14x14x4');
    expect(shapes).not.toContain('14x14x8');
  });
});

describe('checkConnection: a network cannot teach itself with the very same tensor', () => {
  const selfTaught = (model: string, loss: string, tensor = 'its logits'): string =>
    `${model} would teach itself with ${tensor} on both sides of ${loss}, a target equal to the prediction, which teaches nothing. ` +
    'A network teaches itself only from another of its tensors (its final logits teaching an Auxiliary classifier on a shallow ' +
    'layer, or a deeper layer hinting a shallower one); otherwise feed the teacher side from another network (for mutual learning, a second Peer).';

  it('the same peer on both sides of a KD', () => {
    const graph = withAssistantAndPeer();
    graph.connect('peer', 'logits', 'kd', 'teacherLogits');
    expect(graph.refusal('peer', 'logits', 'kd', 'studentLogits')).toBe(selfTaught('"Peer"', '"KD (soft targets)"'));
    expect(graph.refusal('assistant', 'logits', 'kd', 'studentLogits')).toBeNull();
  });

  it('through layer taps, whichever edge closes the loop', () => {
    const graph = withAssistantAndPeer();
    graph.tap('guide', 'g-a', 'relu1', 'assistant');
    graph.connect('g-a', 'feature', 'at', 'guide');
    graph.add(createNode('guided', { id: 's-a' })).params.layerId = 'relu1';
    graph.connect('s-a', 'feature', 'at', 'guided');
    expect(graph.refusal('assistant', 'layers', 's-a', 'layers')).toBe(selfTaught('"Assistant"', '"Attention transfer"', "its layer 'relu1'"));
    expect(graph.refusal('peer', 'layers', 's-a', 'layers')).toBeNull();
  });

  it('validation reports a self-teaching loss that was forced into the file', () => {
    const graph = mutualLearningGraph();
    const kd = graph.node('kd-peer1', 'loss');
    graph.file.edges = graph.file.edges.filter((edge) => !(edge.target === kd.id && edge.targetPort === 'teacherLogits'));
    graph.force('peer1', 'logits', kd.id, 'teacherLogits');
    expect(validateGraph(graph.file).filter((problem) => problem.nodeId === kd.id)).toEqual([
      {
        nodeId: kd.id, severity: 'error', message: selfTaught('"Peer 1"', '"KD (soft targets)"'),
        detail: { code: 'edgeRefused', refusal: { code: 'other', text: selfTaught('"Peer 1"', '"KD (soft targets)"') } },
      }]);
  });
});

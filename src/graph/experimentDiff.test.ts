import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExperimentFile, GraphNode } from './schema';
import { diffExperiments, formatDiffValue, isEmptyDiff } from './experimentDiff';

const hinton = JSON.parse(readFileSync(new URL('../../public/presets/hinton-mnist.json', import.meta.url), 'utf8')) as ExperimentFile;

function withNode(file: ExperimentFile, id: string, change: (node: GraphNode) => GraphNode): ExperimentFile {
  return { ...file, nodes: file.nodes.map((node) => (node.id === id ? change(node) : node)) };
}

describe('diffExperiments', () => {
  it('finds nothing between a file and its copy, even when nodes moved or were renamed', () => {
    const moved = withNode(structuredClone(hinton), 'kd', (node) => ({ ...node, label: 'Soft targets', position: { x: 1, y: 2 } }));
    expect(isEmptyDiff(diffExperiments(hinton, moved))).toBe(true);
  });

  it('names a changed KD temperature by node and param path with old and new values', () => {
    const cooler = withNode(hinton, 'kd', (node) => (node.kind === 'loss' ? { ...node, params: { ...node.params, params: { T: 4 } } } : node));
    const diff = diffExperiments(hinton, cooler);
    expect(diff.changedParams).toEqual([{ nodeId: 'kd', label: cooler.nodes.find((n) => n.id === 'kd')!.label, path: 'params.T', before: 20, after: 4 }]);
    expect(diff.addedNodes).toEqual([]);
    expect(diff.removedNodes).toEqual([]);
  });

  it('reports nested architecture changes and paths present on one side only', () => {
    const student = hinton.nodes.find((node) => node.id === 'student');
    if (student?.kind !== 'model') throw new Error('the Hinton preset has a student model node');
    const layers = student.params.architecture.layers;
    const wider = withNode(hinton, 'student', () => ({
      ...student,
      params: { ...student.params, architecture: { ...student.params.architecture, layers: [...layers, { kind: 'dense', id: 'extra', units: 7 }] } },
    }));
    const changes = diffExperiments(hinton, wider).changedParams;
    const units = changes.find((change) => change.path === `architecture.layers.${layers.length}.units`);
    expect(units).toMatchObject({ nodeId: 'student', before: undefined, after: 7 });
    expect(changes.every((change) => change.path.startsWith(`architecture.layers.${layers.length}.`))).toBe(true);
  });

  it('lists added and removed nodes and their connections', () => {
    const withoutKd: ExperimentFile = { ...hinton, nodes: hinton.nodes.filter((n) => n.id !== 'kd'), edges: hinton.edges.filter((e) => e.source !== 'kd' && e.target !== 'kd') };
    const diff = diffExperiments(hinton, withoutKd);
    expect(diff.removedNodes.map((node) => node.nodeId)).toEqual(['kd']);
    expect(diff.removedEdges.length).toBeGreaterThan(0);
    expect(diff.removedEdges.every((edge) => edge.includes('kd'))).toBe(true);
    const back = diffExperiments(withoutKd, hinton);
    expect(back.addedNodes.map((node) => node.kind)).toEqual(['loss']);
    expect(back.addedEdges).toEqual(diff.removedEdges);
  });

  it('formats absent values as a dash and others as JSON', () => {
    expect(formatDiffValue(undefined)).toBe('—');
    expect(formatDiffValue(20)).toBe('20');
    expect(formatDiffValue('adam')).toBe('"adam"');
  });
});

import { describe, expect, it } from 'vitest';
import { createNode } from './factory';
import { applyGraphFix, featureMapProblem, hasFeatureMaps } from './featureMapFix';
import { getLoss } from '../losses/registry';
import { getArchitecturePreset } from '../models/presets';
import type { ExperimentFile, NodeOf } from './schema';
import { validateGraph } from './validate';

function model(id: string, role: 'teacher' | 'student', preset: string): NodeOf<'model'> {
  const node = createNode('model', { role, position: { x: 0, y: 0 }, existingIds: [] }) as NodeOf<'model'>;
  return { ...node, id, params: { ...node.params, role, architecture: getArchitecturePreset(preset) } };
}

function withLoss(lossId: string, models: NodeOf<'model'>[]): { file: ExperimentFile; loss: NodeOf<'loss'> } {
  const loss = { ...(createNode('loss', { lossId, position: { x: 0, y: 0 }, existingIds: [] }) as NodeOf<'loss'>), id: 'loss' };
  return { file: { schemaVersion: 1, name: 'x', description: '', nodes: [...models, loss], edges: [] }, loss };
}

describe('featureMapProblem', () => {
  const mlps = [model('teacher', 'teacher', 'hinton-teacher'), model('student', 'student', 'hinton-student')];

  it('offers the CNN presets, by role, when a feature-map loss sits among MLPs', () => {
    const { file, loss } = withLoss('at', mlps);
    const problem = featureMapProblem(file, loss, getLoss('at'));
    expect(problem?.fix.architectures).toEqual([
      { modelId: 'teacher', presetId: 'cnn-teacher' },
      { modelId: 'student', presetId: 'cnn-student' },
    ]);
    expect(problem?.message).toContain('cnn-teacher');
    // The same problem reaches the node through validation, with its fix.
    expect(validateGraph(file).find((p) => p.nodeId === 'loss' && p.fix !== undefined)?.fix).toEqual(problem?.fix);
  });

  it('applying the fix gives the models feature maps and silences the problem', () => {
    const { file, loss } = withLoss('fsp', mlps);
    const fixed = applyGraphFix(file, featureMapProblem(file, loss, getLoss('fsp'))!.fix);
    const models = fixed.nodes.filter((n): n is NodeOf<'model'> => n.kind === 'model');
    expect(models.map((m) => m.params.architecture.name)).toEqual(['cnn-teacher', 'cnn-student']);
    expect(models.every(hasFeatureMaps)).toBe(true);
    expect(featureMapProblem(fixed, loss, getLoss('fsp'))).toBeNull();
  });

  it('says nothing for losses that take vectors, or when CNNs are there', () => {
    const { file, loss } = withLoss('kd', mlps);
    expect(featureMapProblem(file, loss, getLoss('kd'))).toBeNull();
    const cnns = withLoss('nst', [model('teacher', 'teacher', 'cnn-teacher'), model('student', 'student', 'cnn-student')]);
    expect(featureMapProblem(cnns.file, cnns.loss, getLoss('nst'))).toBeNull();
  });
});

import type { LossDefinition } from '../losses/types';
import { getArchitecturePreset } from '../models/presets';
import type { ExperimentFile, GraphNode, NodeOf } from './schema';
import { describeNode } from './nodeKinds';
import { lossSides } from './phases';
import { nodesOfKind } from './queries';
import { summarizeModel } from './shapes';
import type { ProblemDetail } from './problemDetail';

/**
 * Losses that compare [H, W, C] feature maps (attention transfer, FSP, NST, FT) cannot read an MLP,
 * whose layers are all vectors. Validation says so on the loss block and offers a fix: switch the
 * MLP models to the CNN presets, whose layer ids (relu1..relu4, pool2) the presets' taps use.
 */

/** A one-click change a problem offers; plain data, so problems stay serialisable. */
export interface GraphFix {
  kind: 'useArchitectures';
  /** The button's text. */
  label: string;
  architectures: { modelId: string; presetId: string }[];
}

export const CNN_PRESETS = { teacher: 'cnn-teacher', learner: 'cnn-student' } as const;

export function hasFeatureMaps(model: NodeOf<'model'>): boolean {
  const summary = summarizeModel(model.params.architecture);
  return summary.ok && summary.summary.layers.some((layer) => layer.outputShape.length === 3);
}

/**
 * The problem of a feature-map loss whose models have no feature maps: the models it is wired to,
 * or every model of the graph when it is not wired yet and no model has maps. Null when it can work.
 */
export function featureMapProblem(experiment: ExperimentFile, lossNode: NodeOf<'loss'>, loss: LossDefinition): { message: string; fix: GraphFix; detail: ProblemDetail } | null {
  if (loss.needsFeatureMaps !== true) return null;
  const models = nodesOfKind(experiment, 'model');
  const sides = lossSides(experiment, lossNode);
  const wired = new Set([...sides.teacher, ...sides.student]);
  const candidates = wired.size > 0 ? models.filter((model) => wired.has(model.id)) : models;
  const mlps = candidates.filter((model) => !hasFeatureMaps(model));
  if (mlps.length === 0 || (wired.size === 0 && mlps.length < candidates.length)) return null;
  const architectures = mlps.map((model) => ({
    modelId: model.id,
    presetId: model.params.role === 'teacher' ? CNN_PRESETS.teacher : CNN_PRESETS.learner,
  }));
  const names = mlps.map((model) => describeNode(model)).join(', ');
  return {
    message: `${loss.label} compares [H, W, C] feature maps from convolution layers, and ${names} ${mlps.length > 1 ? 'are MLPs' : 'is an MLP'} without any: `
      + `switch to the CNN presets (${CNN_PRESETS.teacher} for teachers, ${CNN_PRESETS.learner} for the others).`,
    detail: { code: 'needsFeatureMaps', models: mlps.map((model) => model.id), teacherPreset: CNN_PRESETS.teacher, learnerPreset: CNN_PRESETS.learner },
    fix: { kind: 'useArchitectures', label: `Use ${[...new Set(architectures.map((a) => a.presetId))].join(' / ')}`, architectures },
  };
}

/** The graph with the fix applied (one edit, so one undo step). */
export function applyGraphFix(experiment: ExperimentFile, fix: GraphFix): ExperimentFile {
  const presets = new Map(fix.architectures.map((entry) => [entry.modelId, entry.presetId]));
  return {
    ...experiment,
    nodes: experiment.nodes.map((node): GraphNode => {
      const presetId = presets.get(node.id);
      if (node.kind !== 'model' || presetId === undefined) return node;
      return { ...node, params: { ...node.params, architecture: getArchitecturePreset(presetId) } };
    }),
  };
}

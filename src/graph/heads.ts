import { findDatasetInfo } from '../data/registry';
import type { Shape } from '../models/spec';
import type { AdapterPlan } from '../train/plan';
import type { ExperimentFile, NodeOf } from './schema';
import { describeNode } from './nodeKinds';
import { formatShape, modelFeeding, nodesOfKind, sourceOf } from './queries';
import { layerShape } from './shapes';
import type { ProblemDetail } from './problemDetail';

/**
 * Auxiliary classifiers (self-distillation, Zhang et al. 2019, "Be Your Own Teacher"): a head node
 * reads the feature of a guided layer and gives class logits, so CE and KD blocks can train the
 * shallow part of a network against the labels and its own final logits. A head compiles to a
 * 'classifier' adapter of that network: trained with it, never exported.
 */

export const classifierIdFor = (headNodeId: string): string => `classifier-${headNodeId}`;

export type HeadResolution =
  | { status: 'unknown' }
  | { status: 'invalid'; reason: string; detail: ProblemDetail }
  | { status: 'ok'; guided: NodeOf<'guided'>; model: NodeOf<'model'>; layerId: string; inputShape: Shape; classes: number };

/** The guided node feeding a head's Feature input, if one does. */
export function headSource(experiment: ExperimentFile, head: NodeOf<'head'>): NodeOf<'guided'> | undefined {
  const source = sourceOf(experiment, head.id, 'feature');
  return source?.kind === 'guided' ? source : undefined;
}

/** The network whose layer the head classifies. */
export function headModel(experiment: ExperimentFile, head: NodeOf<'head'>): NodeOf<'model'> | undefined {
  const guided = headSource(experiment, head);
  return guided === undefined ? undefined : modelFeeding(experiment, guided.id);
}

function datasetClasses(experiment: ExperimentFile): number | null {
  const datasetId = nodesOfKind(experiment, 'dataset')[0]?.params.datasetId;
  return findDatasetInfo(datasetId)?.classes ?? null;
}

/** What the head maps: its layer's shape to the dataset's classes; 'unknown' while not wired yet. */
export function resolveHead(experiment: ExperimentFile, head: NodeOf<'head'>): HeadResolution {
  const guided = headSource(experiment, head);
  const model = headModel(experiment, head);
  const classes = datasetClasses(experiment);
  if (guided === undefined || model === undefined || classes === null) return { status: 'unknown' };
  const inputShape = layerShape(model.params.architecture, guided.params.layerId);
  if (inputShape === null) return { status: 'unknown' };
  if (inputShape.length !== 1 && inputShape.length !== 3) {
    return {
      status: 'invalid',
      detail: { code: 'headInputShape', model: model.id, layer: guided.params.layerId, shape: formatShape(inputShape) },
      reason: `${describeNode(head)} classifies a vector or an [H, W, C] map, but layer '${guided.params.layerId}' of ` +
        `${describeNode(model)} gives ${formatShape(inputShape)}: tap another layer.`,
    };
  }
  return { status: 'ok', guided, model, layerId: guided.params.layerId, inputShape, classes };
}

/** The head's logits shape ([classes]), or null while unknown. */
export function headLogitsShape(experiment: ExperimentFile, head: NodeOf<'head'>): Shape | null {
  const resolved = resolveHead(experiment, head);
  return resolved.status === 'ok' ? [resolved.classes] : null;
}

/** The classifier adapter a head compiles to; throws when the head is not resolved (validation reports why first). */
export function classifierPlan(experiment: ExperimentFile, head: NodeOf<'head'>): AdapterPlan {
  const resolved = resolveHead(experiment, head);
  if (resolved.status !== 'ok') {
    throw new Error(`Auxiliary classifier '${head.id}' is not ready to compile: ${resolved.status === 'invalid' ? resolved.reason : 'its input is not connected'}.`);
  }
  return {
    id: classifierIdFor(head.id), kind: 'classifier', modelId: resolved.model.id, layerId: resolved.layerId,
    inputShape: [...resolved.inputShape], outputShape: [resolved.classes],
  };
}

/** Weights of a resolved head (dense from the pooled channels, or the vector, to the classes), as adapterParams counts them. */
export function headParams(resolved: { inputShape: Shape; classes: number }): number {
  return resolved.inputShape[resolved.inputShape.length - 1] * resolved.classes + resolved.classes;
}

import type { ExperimentFile, GraphNode } from '../graph/schema';
import type { LayerSpec } from '../models/spec';
import type { ExperimentPatch, LessonSetup } from './types';

/** Every hidden dense layer set to `units`; the output layer (the classes) is left as it is. */
export function withHiddenUnits(layers: readonly LayerSpec[], units: number): LayerSpec[] {
  if (!Number.isInteger(units) || units < 1) throw new RangeError(`A layer needs a whole number of units of at least 1, not ${units}.`);
  return layers.map((layer, index) => (layer.kind === 'dense' && index < layers.length - 1 ? { ...layer, units } : layer));
}

function patchNode(node: GraphNode, patch: ExperimentPatch): GraphNode {
  switch (patch.kind) {
    case 'lossParam':
      return node.kind === 'loss' && node.id === patch.nodeId
        ? {
          ...node,
          // A label naming the preset's T would be wrong once the student changes it.
          label: patch.key === 'T' ? 'KD' : node.label,
          params: { ...node.params, params: { ...node.params.params, [patch.key]: patch.value } },
        }
        : node;
    case 'trainSubset':
      // The students' images only: shared teachers train on their own (all) images, so their cache key stays the shipped one.
      return node.kind === 'dataset' ? { ...node, params: { ...node.params, trainSubset: patch.images } } : node;
    case 'epochs':
      return node.kind === 'trainer' && node.id === patch.trainerId ? { ...node, params: { ...node.params, epochs: patch.epochs } } : node;
  }
}

function patchTarget(patch: ExperimentPatch): { id: string | null; kind: GraphNode['kind'] } {
  if (patch.kind === 'lossParam') return { id: patch.nodeId, kind: 'loss' };
  if (patch.kind === 'epochs') return { id: patch.trainerId, kind: 'trainer' };
  return { id: null, kind: 'dataset' };
}

/**
 * The preset as the lesson uses it: renamed, described, and with its quick settings. A patch that
 * finds nothing to change is an error in the lesson, not something to skip quietly.
 */
export function lessonExperiment(preset: ExperimentFile, setup: LessonSetup, language: 'en' | 'zh', description: string): ExperimentFile {
  let nodes = preset.nodes;
  for (const patch of setup.patches) {
    const target = patchTarget(patch);
    if (!nodes.some((node) => node.kind === target.kind && (target.id === null || node.id === target.id))) {
      throw new Error(`Lesson setup for ${setup.preset}: no ${target.kind} node${target.id === null ? '' : ` '${target.id}'`} to patch.`);
    }
    nodes = nodes.map((node) => patchNode(node, patch));
  }
  return { ...preset, name: setup.name[language], description, nodes };
}

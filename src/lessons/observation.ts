import type { ExperimentFile, NodeOf } from '../graph/schema';
import type { ExperimentResults } from '../results';
import { nodeById } from '../graph/queries';
import { summarizeModel } from '../graph/shapes';
import type { Bilingual } from './types';

/** What the lesson card sees of the studio: plain values gathered by app/lessons on every change. */
export interface LessonObservation {
  experiment: ExperimentFile;
  selectedNodeIds: readonly string[];
  /** The run's status ('idle', 'running', 'finished', …) and its results, if any. */
  runStatus: string;
  results: ExperimentResults | null;
  /** data-testids of elements on screen that goals of kind 'shown' ask about. */
  shownTestIds: ReadonlySet<string>;
  /** The shipped Hinton teacher's logits on real test images (null until loaded or when not needed). */
  teacherLogits: readonly (readonly number[])[] | null;
}

/** The lesson's experiment is on screen when it carries the lesson's name, in either language. */
export function isLessonExperimentOpen(experiment: ExperimentFile, name: Bilingual): boolean {
  return experiment.name === name.en || experiment.name === name.zh;
}

export function lossParamOf(experiment: ExperimentFile, nodeId: string, key: string): number | null {
  const node = nodeById(experiment, nodeId);
  if (node?.kind !== 'loss') return null;
  const value = node.params.params[key];
  return typeof value === 'number' ? value : null;
}

export function modelParamsOf(experiment: ExperimentFile, modelId: string): number | null {
  const node = nodeById(experiment, modelId);
  if (node?.kind !== 'model') return null;
  const summary = summarizeModel(node.params.architecture);
  return summary.ok ? summary.summary.params : null;
}

export function modelNode(experiment: ExperimentFile, modelId: string): NodeOf<'model'> | null {
  const node = nodeById(experiment, modelId);
  return node?.kind === 'model' ? node : null;
}

/** The hidden (non-output) dense layers' widths of a model, in order. */
export function hiddenUnitsOf(experiment: ExperimentFile, modelId: string): number[] {
  const layers = modelNode(experiment, modelId)?.params.architecture.layers ?? [];
  return layers.flatMap((layer, index) => (layer.kind === 'dense' && index < layers.length - 1 ? [layer.units] : []));
}

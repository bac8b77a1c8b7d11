import type { Shape } from '../models/spec';
import type { EnsemblePlan } from '../train/plan';
import type { ExperimentFile, GraphNode, NodeOf } from './schema';
import { describeNode } from './nodeKinds';
import { edgesInto, edgesOutOf, formatShape, nodeById } from './queries';
import { summarizeModel } from './shapes';
import type { ProblemDetail } from './problemDetail';

/**
 * Ensembles of networks (born-again networks, Furlanello et al. 2018): an Ensemble node averages the
 * class probabilities of the models whose Logits feed it. Its output, log of the mean softmax, may
 * teach (generation k learns from the ensemble of the earlier ones), and after the run its accuracy
 * is reported next to its members' (the paper's BAN ensemble).
 */

/** An average of one network is that network: an ensemble needs at least two. */
export const MIN_ENSEMBLE_MEMBERS = 2;

/** The models whose Logits feed the ensemble, in the order they were connected. */
export function ensembleMembers(experiment: ExperimentFile, ensemble: NodeOf<'ensemble'>): NodeOf<'model'>[] {
  return edgesInto(experiment, ensemble.id, 'members')
    .map((edge) => nodeById(experiment, edge.source))
    .filter((node): node is NodeOf<'model'> => node?.kind === 'model');
}

function logitsShape(model: NodeOf<'model'>): Shape | null {
  const result = summarizeModel(model.params.architecture);
  return result.ok ? [...result.summary.outputShape] : null;
}

/** The members' common logits shape; null while none is connected, one is invalid, or they disagree. */
export function ensembleLogitsShape(experiment: ExperimentFile, ensemble: NodeOf<'ensemble'>): Shape | null {
  const shapes = ensembleMembers(experiment, ensemble).map(logitsShape);
  const first = shapes[0];
  if (first === undefined || first === null) return null;
  return shapes.every((shape) => shape !== null && formatShape(shape) === formatShape(first)) ? first : null;
}

function memberClasses(experiment: ExperimentFile, ensemble: NodeOf<'ensemble'>): { model: NodeOf<'model'>; classes: string }[] {
  return ensembleMembers(experiment, ensemble)
    .flatMap((model) => {
      const shape = logitsShape(model);
      return shape === null ? [] : [{ model, classes: formatShape(shape) }];
    });
}

/** The members' logits shapes when they differ (as data, for the interface's languages), or null. */
export function ensembleClassesDetail(experiment: ExperimentFile, ensemble: NodeOf<'ensemble'>): ProblemDetail | null {
  const known = memberClasses(experiment, ensemble);
  if (new Set(known.map(({ classes }) => classes)).size <= 1) return null;
  return { code: 'ensembleClasses', members: known.map(({ model, classes }) => ({ model: model.id, classes })) };
}

/** Why the members' probabilities cannot be averaged (they give different classes), or null. */
export function ensembleClassesProblem(experiment: ExperimentFile, ensemble: NodeOf<'ensemble'>): string | null {
  const known = memberClasses(experiment, ensemble);
  if (new Set(known.map(({ classes }) => classes)).size <= 1) return null;
  const list = known.map(({ model, classes }) => `${describeNode(model)} ${classes}`).join(', ');
  return `${describeNode(ensemble)} averages class probabilities, so its members must give the same classes, but they give ` +
    `${list}: connect networks with the same number of classes.`;
}

/** Why `source` cannot join the ensemble (only a Model node's Logits can), or null. */
export function ensembleMemberProblem(source: GraphNode, ensemble: NodeOf<'ensemble'>): string | null {
  if (source.kind === 'model') return null;
  const instead = source.kind === 'ensemble' ? ' (for an ensemble of ensembles, connect their members directly)' : '';
  return `${describeNode(ensemble)} averages whole networks: connect the Logits of Model nodes to its Members${instead}.`;
}

/** The loss nodes the ensemble teaches in (its Logits feed them). */
export function lossesTaughtBy(experiment: ExperimentFile, ensemble: NodeOf<'ensemble'>): NodeOf<'loss'>[] {
  return edgesOutOf(experiment, ensemble.id, 'logits')
    .map((edge) => nodeById(experiment, edge.target))
    .filter((node): node is NodeOf<'loss'> => node?.kind === 'loss');
}

/** Summed parameters of the members: what running the ensemble costs. */
export function ensembleParams(members: readonly NodeOf<'model'>[]): number {
  return members.reduce((sum, model) => {
    const result = summarizeModel(model.params.architecture);
    return sum + (result.ok ? result.summary.params : 0);
  }, 0);
}

/** What the runner evaluates once every member has finished. */
export function ensemblePlan(experiment: ExperimentFile, ensemble: NodeOf<'ensemble'>): EnsemblePlan {
  return { id: ensemble.id, label: ensemble.label, members: ensembleMembers(experiment, ensemble).map((model) => model.id) };
}

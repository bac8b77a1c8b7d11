import { describeNode } from '../graph/nodeKinds';
import type { ExperimentFile, NodeOf } from '../graph/schema';
import type { Report } from '../graph/validateReport';
import { learnersOfTrainer } from '../graph/validatePhases';
import { prunableLayers } from './pruning';

/** A pruning stage must have something to prune in every network it trains (channel pruning needs conv layers). */
export function checkPruning(experiment: ExperimentFile, node: NodeOf<'trainer'>, report: Report): void {
  const pruning = node.params.pruning;
  if (pruning === undefined) return;
  const bare = learnersOfTrainer(experiment, node.id).filter((model) => {
    try {
      return prunableLayers(model.params.architecture, pruning.method).length === 0;
    } catch {
      return false; // An invalid architecture is reported on its own node.
    }
  });
  if (bare.length === 0) return;
  const what = pruning.method === 'channel' ? 'no conv2d layer (channel pruning removes conv filters)' : 'no conv2d or dense layer besides the classifier';
  report(node.id, 'error', `${describeNode(node)} prunes by ${pruning.method}, but ${bare.map(describeNode).join(', ')} ` +
    `${bare.length === 1 ? 'has' : 'have'} ${what}: choose magnitude pruning, or turn pruning off for this stage.`,
  { code: 'pruningNoLayers', method: pruning.method, models: bare.map((model) => model.id) });
}

import type { ExperimentFile } from './schema';
import { createNode } from './factory';
import { column, type GraphBuilder } from './presetBuilder';
import { addBornAgainKd, addGenerationTrainer, bornAgainGenerations } from './presetSchemes';

/**
 * Born-again network ensembles (Furlanello et al. 2018): the three generations of the born-again
 * preset, but generation 2 learns from the ensemble of generations 0 and 1 (the mean of their class
 * probabilities), and the ensemble of all three generations, the paper's BAN ensemble, is reported
 * as a result of its own. Laid out left to right: dataset, models, ensembles, losses, trainers.
 */

function addEnsemble(graph: GraphBuilder, id: string, label: string, members: readonly string[], y: number): void {
  graph.add(createNode('ensemble', { id, label, position: { x: column(2), y } }));
  for (const member of members) graph.link(member, 'logits', id, 'members');
}

export function bornAgainEnsembleMnist(): ExperimentFile {
  const graph = bornAgainGenerations();
  addGenerationTrainer(graph, 'gen1', { x: column(4), y: 100 });
  addGenerationTrainer(graph, 'gen2', { x: column(4), y: 520 });
  addBornAgainKd(graph, 'gen0', 'gen1', 'KD gen0 -> gen1 (T = 1)', { x: column(3), y: 0 });
  addEnsemble(graph, 'ensemble-gen01', 'Generations 0 + 1', ['gen0', 'gen1'], 360);
  addBornAgainKd(graph, 'ensemble-gen01', 'gen2', 'KD ensemble 0 + 1 -> gen2 (T = 1)', { x: column(3), y: 420 });
  addEnsemble(graph, 'ensemble-all', 'BAN ensemble (generations 0-2)', ['gen0', 'gen1', 'gen2'], 760);
  return graph.file('Born-again network ensembles',
    'Furlanello et al. (2018): a 50-50 MLP trained on labels teaches an identical network (KD at T = 1, no labels ' +
    'after generation 0); generation 2 learns from the ensemble of generations 0 and 1, the mean of their class ' +
    'probabilities. The ensemble of all three generations (the BAN ensemble) is reported next to each of them, and ' +
    'generation 2 is compared with the same network trained alone.');
}

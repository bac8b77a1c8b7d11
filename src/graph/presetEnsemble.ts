import type { ExperimentFile } from './schema';
import { createNode } from './factory';
import { GraphBuilder, addModel, addTrainer, column, mlpSettings } from './presetBuilder';

/**
 * Born-again network ensembles (Furlanello et al. 2018): the three generations of the born-again
 * preset, but generation 2 learns from the ensemble of generations 0 and 1 (the mean of their class
 * probabilities), and the ensemble of all three generations, the paper's BAN ensemble, is reported
 * as a result of its own. Laid out left to right: dataset, models, ensembles, losses, trainers.
 */

/** A KD block at T = 1 (no labels after generation 0, as in the born-again preset) from `teacher` into `learner`'s trainer. */
function addKd(graph: GraphBuilder, teacher: string, learner: string, label: string, y: number): void {
  const kd = graph.add(createNode('loss', { id: `kd-${learner}`, lossId: 'kd', label, position: { x: column(3), y } }));
  kd.params.weight = 1;
  kd.params.params.T = 1;
  graph.link(teacher, 'logits', kd.id, 'teacherLogits');
  graph.link(learner, 'logits', kd.id, 'studentLogits');
  graph.link(kd.id, 'loss', `trainer-${learner}`, 'losses');
}

function addEnsemble(graph: GraphBuilder, id: string, label: string, members: readonly string[], y: number): void {
  graph.add(createNode('ensemble', { id, label, position: { x: column(2), y } }));
  for (const member of members) graph.link(member, 'logits', id, 'members');
}

export function bornAgainEnsembleMnist(): ExperimentFile {
  const graph = new GraphBuilder();
  graph.add(createNode('dataset', { id: 'dataset', label: 'MNIST', position: { x: column(0), y: 300 } }));
  const generation0 = addModel(graph, 'gen0', 'teacher', 'article-student', 'Generation 0 (50-50)', { x: column(1), y: 0 });
  generation0.params.teacherTraining = structuredClone(mlpSettings);
  addModel(graph, 'gen1', 'assistant', 'article-student', 'Generation 1 (50-50)', { x: column(1), y: 300 });
  addModel(graph, 'gen2', 'student', 'article-student', 'Generation 2 (50-50)', { x: column(1), y: 600 });
  // Seeds as in the born-again preset: generation 0 has 1, generations 1 and 2 start from 2 and 3 (1003 with the learner stride).
  addTrainer(graph, 'trainer-gen1', 'Generation 1 learns', { ...mlpSettings, seed: 2 }, { x: column(4), y: 100 });
  addTrainer(graph, 'trainer-gen2', 'Generation 2 learns', { ...mlpSettings, seed: 3 }, { x: column(4), y: 520 });
  addKd(graph, 'gen0', 'gen1', 'KD gen0 -> gen1 (T = 1)', 0);
  addEnsemble(graph, 'ensemble-gen01', 'Generations 0 + 1', ['gen0', 'gen1'], 360);
  addKd(graph, 'ensemble-gen01', 'gen2', 'KD ensemble 0 + 1 -> gen2 (T = 1)', 420);
  addEnsemble(graph, 'ensemble-all', 'BAN ensemble (generations 0-2)', ['gen0', 'gen1', 'gen2'], 760);
  return graph.file('Born-again network ensembles',
    'Furlanello et al. (2018): a 50-50 MLP trained on labels teaches an identical network (KD at T = 1, no labels ' +
    'after generation 0); generation 2 learns from the ensemble of generations 0 and 1, the mean of their class ' +
    'probabilities. The ensemble of all three generations (the BAN ensemble) is reported next to each of them, and ' +
    'generation 2 is compared with the same network trained alone.');
}

import type { ExperimentFile } from './schema';
import { addCrossEntropyAndKd, addTrainer, column, mlpSettings, withModels } from './presetBuilder';

/**
 * Pruning with distillation on the Hinton pair: stage 1 distils (cross-entropy 0.1 + KD 0.9 at
 * T = 20) while magnitude pruning ramps the student's hidden kernels to 90 % zeros (Zhu & Gupta's
 * cubic schedule, masks updated every 10 steps over the first half of the stage); stage 2 keeps the
 * masks and fine-tunes the surviving weights with the same losses. The baseline is the dense student
 * trained on labels alone, so the gain says what pruned + distilled costs or gives against it.
 */
export function pruneWhileDistillingMnist(): ExperimentFile {
  const graph = withModels('hinton-teacher', 'hinton-student', ['Teacher 1200-1200 (dropout)', 'Student 800-800 (pruned)']);
  const prune = addTrainer(graph, 'stage-prune', 'Stage 1: KD while pruning', { ...mlpSettings, epochs: 2 }, { x: column(3), y: 160 });
  prune.params.pruning = { method: 'magnitude', targetSparsity: 0.9, schedule: 'gradual', everySteps: 10, rampFraction: 0.5 };
  addCrossEntropyAndKd(graph, 20, column(2), 160, 'stage-prune');
  addTrainer(graph, 'stage-tune', 'Stage 2: KD fine-tune', { ...mlpSettings, epochs: 1 }, { x: column(4), y: 160 });
  graph.link('stage-prune', 'next', 'stage-tune', 'after');
  graph.link('ce', 'loss', 'stage-tune', 'losses');
  graph.link('kd', 'loss', 'stage-tune', 'losses');
  return graph.file('Pruning: KD while pruning to 90 %, then KD fine-tune',
    'The Hinton pair: stage 1 distils (cross-entropy 0.1 + KD 0.9 at T = 20) while magnitude pruning gradually ' +
    'zeroes 90 % of each hidden kernel of the 784-800-800-10 student (Zhu & Gupta 2017; not the classifier); ' +
    'stage 2 keeps the masks and fine-tunes the surviving weights with the same losses.');
}

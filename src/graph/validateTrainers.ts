import { lossRegistry } from '../losses/registry';
import { findDatasetInfo } from '../data/registry';
import type { ExperimentFile, NodeOf } from './schema';
import { describeNode } from './nodeKinds';
import { lossesOfTrainer, nodesOfKind, stageChains } from './queries';
import { checkTrainUpTo } from './validatePhases';
import type { Report } from './validateReport';
import { checkPruning } from '../compress/validatePruning';

/** Validation of trainer nodes: losses to train on, weight schedules that take effect, batches the losses can use, no loops of stages. */

export function checkTrainer(experiment: ExperimentFile, node: NodeOf<'trainer'>, report: Report): void {
  const losses = lossesOfTrainer(experiment, node.id);
  if (losses.length === 0) {
    report(node.id, 'error', `${describeNode(node)} has no losses: connect at least one (e.g. Cross-entropy) to its Losses input.`,
      { code: 'trainerNoLosses' });
  }
  checkSomethingTrains(node, losses, report);
  checkTrainUpTo(experiment, node, report);
  checkBatchesFitLosses(experiment, node, losses, report);
  checkSchedules(node, losses, report);
  checkPruning(experiment, node, report);
}

function checkSchedules(node: NodeOf<'trainer'>, losses: readonly NodeOf<'loss'>[], report: Report): void {
  const lossIds = new Set(losses.map((loss) => loss.id));
  const { epochs } = node.params;
  for (const [loss, schedule] of Object.entries(node.params.weightSchedules)) {
    if (!lossIds.has(loss)) {
      report(node.id, 'warning', `The weight schedule for '${loss}' is ignored: that node is not a loss of this stage. Remove the schedule.`,
        { code: 'scheduleNotOfStage', loss });
    } else if (schedule.kind === 'stepToZero' && schedule.atEpoch >= epochs) {
      report(node.id, 'warning', `The schedule of '${loss}' stops at epoch ${schedule.atEpoch}, after the stage's ` +
        `${epochs} epochs: it never takes effect. Lower atEpoch.`, { code: 'scheduleAfterEnd', loss, atEpoch: schedule.atEpoch, epochs });
    } else if (schedule.kind === 'linearWarmup' && schedule.epochs > epochs) {
      report(node.id, 'warning', `The warm-up of '${loss}' lasts ${schedule.epochs} epochs, longer than the stage's ` +
        `${epochs}: the term never reaches its full weight. Shorten the warm-up or lengthen the stage.`,
      { code: 'warmupTooLong', loss, warmup: schedule.epochs, epochs });
    }
  }
}

/**
 * A step whose loss terms all weigh 0 has no gradient: catch the settings that lead there (zero
 * weights, every term cut by an ESKD schedule) here rather than as a failed run.
 */
function checkSomethingTrains(node: NodeOf<'trainer'>, losses: readonly NodeOf<'loss'>[], report: Report): void {
  const { epochs, weightSchedules } = node.params;
  const weighted = losses.filter((loss) => loss.params.weight !== 0);
  if (losses.length > 0 && weighted.length === 0) {
    report(node.id, 'error', `Every loss of ${describeNode(node)} weighs 0, so the stage would train nothing: ` +
      'give one of them a weight other than 0.', { code: 'allWeightsZero' });
  } else if (weighted.length > 0) {
    const cutoffs = weighted.map((loss) => {
      const schedule = weightSchedules[loss.id];
      return schedule?.kind === 'stepToZero' && schedule.atEpoch < epochs ? schedule.atEpoch : null;
    });
    if (cutoffs.every((cutoff) => cutoff !== null)) {
      const lastCutoff = Math.max(...cutoffs.map(Number));
      const shorten = lastCutoff > 0 ? ` or lower the stage's epochs to ${lastCutoff}` : '';
      report(node.id, 'error', `From epoch ${lastCutoff + 1} every loss of ${describeNode(node)} is cut to 0 by its ` +
        `schedule, so those epochs would train nothing: keep one loss constant (e.g. Cross-entropy)${shorten}.`,
      { code: 'allCutBySchedule', fromEpoch: lastCutoff + 1, lastCutoff });
    }
  }
}

/** Relational losses compare samples within a batch: every batch of an epoch must hold enough. */
function checkBatchesFitLosses(
  experiment: ExperimentFile, node: NodeOf<'trainer'>, losses: readonly NodeOf<'loss'>[], report: Report,
): void {
  const dataset = nodesOfKind(experiment, 'dataset')[0];
  const info = findDatasetInfo(dataset?.params.datasetId);
  if (dataset === undefined || info === undefined) return;
  const images = dataset.params.trainSubset ?? info.trainCount - dataset.params.validationSize;
  const { batchSize } = node.params;
  if (images < 1 || batchSize < 1) return;
  const smallest = images <= batchSize ? images : images % batchSize || batchSize;
  for (const loss of losses) {
    const definition = lossRegistry.find((entry) => entry.id === loss.params.lossId);
    const needed = definition?.minBatch?.(loss.params.params) ?? 1;
    if (definition === undefined || loss.params.weight === 0 || smallest >= needed) continue;
    report(node.id, 'error', `${describeNode(loss)} compares samples within a batch and needs at least ${needed}, ` +
      `but ${images} training images at batch size ${batchSize} leave a batch of ${smallest}: ` +
      'change the batch size or the training subset.', { code: 'batchTooSmall', loss: loss.id, needed, images, batchSize, smallest });
  }
}

export function checkStageLoops(experiment: ExperimentFile, report: Report): void {
  const chained = new Set(stageChains(experiment).flat().map((trainer) => trainer.id));
  for (const trainer of nodesOfKind(experiment, 'trainer')) {
    if (!chained.has(trainer.id)) {
      report(trainer.id, 'error', `The stages loop back on ${describeNode(trainer)}: remove one Next -> After connection.`,
        { code: 'stagesLoop' });
    }
  }
}

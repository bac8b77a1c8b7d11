import { lossRegistry } from '../losses/registry';
import { findDatasetInfo, isUserDatasetId, listDatasets } from '../data/registry';
import { classCounts } from '../data/samplers';
import type { ExperimentFile, NodeOf } from './schema';
import { describeNode, portsOf, rolesOfSide } from './nodeKinds';
import { checkConnection } from './connection';
import { defaultTrainerSettings } from './factory';
import { lossShapeProblem } from './lossShapes';
import { edgesInto, edgesOutOf, lossesOfTrainer, modelFeeding, nodeById, nodesOfKind, stageChains } from './queries';
import { checkPhases, checkTrainUpTo, learnersOfTrainer } from './validatePhases';
import { lossSides } from './phases';
import { guidedAdapter, summarizeModel } from './shapes';
import { headSource, resolveHead } from './heads';
import { ensembleClassesProblem, ensembleMembers, MIN_ENSEMBLE_MEMBERS } from './ensembles';
import { featureMapProblem, type GraphFix } from './featureMapFix';
import type { ProblemDetail } from './problemDetail';

export { checkConnection, explainConnection, type CandidateEdge } from './connection';
export type { ConnectionRefusal } from './connectionRefusal';
export type { ProblemDetail } from './problemDetail';

/**
 * Problems shown on the nodes before Run. Errors block compiling; warnings do not.
 * Every message says what to do.
 */

export interface GraphProblem {
  /** The node to flag; null for a problem of the whole graph (e.g. no dataset). */
  nodeId: string | null;
  severity: 'error' | 'warning';
  message: string;
  /** A change that solves it, offered as a button. */
  fix?: GraphFix;
  /** The problem as data, for messages in other languages (the commonest ones; `message` is always English). */
  detail?: ProblemDetail;
}

export type Report = (
  nodeId: string | null, severity: GraphProblem['severity'], message: string, fix?: GraphFix, detail?: ProblemDetail,
) => void;

function checkDatasetCount(experiment: ExperimentFile, report: Report): void {
  const datasets = nodesOfKind(experiment, 'dataset');
  if (datasets.length === 0) {
    report(null, 'error', 'The experiment has no Dataset. Add a Dataset node and connect its Images to every model.',
      undefined, { code: 'noDataset' });
  }
  for (const extra of datasets.slice(1)) {
    report(extra.id, 'error', `Only one Dataset takes part in an experiment: delete ${describeNode(extra)} or the other one.`,
      undefined, { code: 'extraDataset' });
  }
}

function checkDataset(experiment: ExperimentFile, node: NodeOf<'dataset'>, report: Report): void {
  const info = findDatasetInfo(node.params.datasetId);
  if (info === undefined && isUserDatasetId(node.params.datasetId)) {
    // Imported images live in one browser's storage: an experiment file can travel without them.
    report(node.id, 'error', `This experiment uses the imported dataset '${node.params.datasetId}', which is not in this browser: ` +
      'import the images again (Import images… in this inspector), or choose another dataset.', undefined,
    { code: 'userDatasetMissing', datasetId: node.params.datasetId });
    return;
  }
  if (info === undefined) {
    report(node.id, 'error', `Unknown dataset '${node.params.datasetId}': choose one of ${listDatasets().map((d) => d.id).join(', ')}.`);
    return;
  }
  checkSampler(experiment, node, info.label, info.classes, report);
  const { trainSubset, validationSize, testSubset } = node.params;
  if (validationSize + (trainSubset ?? 1) > info.trainCount) {
    report(node.id, 'error', `${info.label} has ${info.trainCount} training images: training subset plus validation ` +
      `(${trainSubset ?? 'all'} + ${validationSize}) must fit; lower one of them.`);
  }
  if (testSubset !== null && testSubset > info.testCount) {
    report(node.id, 'error', `${info.label} has ${info.testCount} test images: set the test subset to at most ` +
      `${info.testCount}, or clear it to use all of them.`);
  }
}

/** Class-uniform batches run whatever the batch size (classCounts); warn where k is not what each batch holds. */
function checkSampler(experiment: ExperimentFile, node: NodeOf<'dataset'>, datasetLabel: string, classes: number, report: Report): void {
  const { sampler } = node.params;
  if (sampler?.kind !== 'classUniform') return;
  const k = sampler.samplesPerClass;
  const teachers = nodesOfKind(experiment, 'model').filter((model) => model.params.role === 'teacher');
  const batchSizes = new Set([
    ...nodesOfKind(experiment, 'trainer').map((trainer) => trainer.params.batchSize),
    ...teachers.filter((teacher) => teacher.params.teacherTraining?.sampler === undefined)
      .map((teacher) => (teacher.params.teacherTraining ?? defaultTrainerSettings).batchSize),
  ]);
  for (const batchSize of [...batchSizes].sort((a, b) => a - b)) {
    if (k >= batchSize) {
      report(node.id, 'warning', `Class-uniform batches of ${batchSize} at ${k} images per class hold a single class, ` +
        `so each step sees one label: use fewer than ${batchSize} images per class.`);
    } else if (batchSize > classes * k) {
      const counts = classCounts(batchSize, k, classes);
      const spread = counts[0] === counts[counts.length - 1] ? `${counts[0]}` : `${counts[counts.length - 1]}-${counts[0]}`;
      report(node.id, 'warning', `Class-uniform batches of ${batchSize} at ${k} images per class need ${Math.ceil(batchSize / k)} classes ` +
        `but ${datasetLabel} has ${classes}: each holds all ${classes} classes with ${spread} images each. ` +
        `For ${k} per class, use batches of at most ${classes * k}; or use at least ${Math.ceil(batchSize / classes)} images per class.`);
    }
  }
}

function checkModel(experiment: ExperimentFile, node: NodeOf<'model'>, report: Report): void {
  const result = summarizeModel(node.params.architecture);
  if (!result.ok) {
    report(node.id, 'error', `${describeNode(node)}: ${result.error.message}`);
    return;
  }
  const dataset = nodesOfKind(experiment, 'dataset')[0];
  const info = findDatasetInfo(dataset?.params.datasetId);
  if (edgesInto(experiment, node.id, 'images').length === 0) {
    report(node.id, 'error', `Connect the dataset's Images to ${describeNode(node)}.`,
      undefined, { code: 'imagesUnconnected' });
  }
  if (info !== undefined && result.summary.outputShape[0] !== info.classes) {
    report(node.id, 'error', `The last layer of ${describeNode(node)} has ${result.summary.outputShape[0]} units but ` +
      `${info.label} has ${info.classes} classes: set its units to ${info.classes}.`, undefined,
      { code: 'outputUnits', units: result.summary.outputShape[0], classes: info.classes, dataset: info.label });
  }
  if (node.params.role === 'teacher' && node.params.teacherTraining === undefined) {
    report(node.id, 'warning', 'The teacher has no training settings, so the defaults are used: set them in the inspector.',
      undefined, { code: 'teacherDefaults' });
  }
  const ownSubset = node.params.role === 'teacher' ? node.params.teacherTraining?.trainSubset : undefined;
  if (info !== undefined && dataset !== undefined && typeof ownSubset === 'number' && ownSubset + dataset.params.validationSize > info.trainCount) {
    report(node.id, 'error', `${info.label} has ${info.trainCount} training images: the teacher's ${ownSubset} plus the ` +
      `${dataset.params.validationSize} held out for validation do not fit; lower its training images, or train it on all.`);
  }
}

const tapNetworks = {
  guide: `a network that teaches (${rolesOfSide.teacher})`,
  guided: `a network that learns (${rolesOfSide.student})`,
};

function checkTap(experiment: ExperimentFile, node: NodeOf<'guide'> | NodeOf<'guided'>, report: Report): void {
  const model = modelFeeding(experiment, node.id);
  if (model === undefined) {
    report(node.id, 'error', `Connect the Layers of ${tapNetworks[node.kind]} to ${describeNode(node)}.`, undefined,
      { code: 'tapUnconnected', side: node.kind === 'guide' ? 'teacher' : 'student' });
  } else if (node.params.layerId === '') {
    report(node.id, 'error', `Choose a layer of ${describeNode(model)} for ${describeNode(node)} in the inspector.`, undefined,
      { code: 'tapNoLayer', model: model.id });
  } else {
    const result = summarizeModel(model.params.architecture);
    if (result.ok && !result.summary.layers.some((layer) => layer.id === node.params.layerId)) {
      const ids = result.summary.layers.map((layer) => layer.id).join(', ');
      report(node.id, 'error', `${describeNode(model)} has no layer '${node.params.layerId}': choose one of ${ids}.`);
    }
  }
  if (edgesOutOf(experiment, node.id, 'feature').length === 0) {
    report(node.id, 'warning', `${describeNode(node)} feeds no loss: connect its Feature to a loss block or delete it.`,
      undefined, { code: 'tapFeedsNoLoss' });
  }
  if (node.kind === 'guided') {
    const adapter = guidedAdapter(experiment, node);
    if (adapter.status === 'invalid') report(node.id, 'error', adapter.reason);
  }
}

function checkHead(experiment: ExperimentFile, node: NodeOf<'head'>, report: Report): void {
  if (headSource(experiment, node) === undefined) {
    report(node.id, 'error', `Connect the Feature of a Guided node (a layer of ${rolesOfSide.student}) to ${describeNode(node)}.`);
  }
  const resolved = resolveHead(experiment, node);
  if (resolved.status === 'invalid') report(node.id, 'error', resolved.reason);
  if (edgesOutOf(experiment, node.id, 'logits').length === 0) {
    report(node.id, 'warning', `${describeNode(node)} feeds no loss: connect its Logits to Cross-entropy and to the student side ` +
      'of a KD block whose teacher side is the network\'s own Logits, or delete it.');
  }
}

function checkEnsemble(experiment: ExperimentFile, node: NodeOf<'ensemble'>, report: Report): void {
  const members = ensembleMembers(experiment, node);
  if (members.length < MIN_ENSEMBLE_MEMBERS) {
    const connected = members.length === 0 ? 'none is connected' : `only ${describeNode(members[0])} is (its own average)`;
    report(node.id, 'error', `${describeNode(node)} averages the predictions of at least ${MIN_ENSEMBLE_MEMBERS} networks, but ` +
      `${connected}: connect the Logits of another network to its Members, or delete it.`);
  }
  const classes = ensembleClassesProblem(experiment, node);
  if (classes !== null) report(node.id, 'error', classes);
}

function checkLoss(experiment: ExperimentFile, node: NodeOf<'loss'>, report: Report): void {
  const loss = lossRegistry.find((entry) => entry.id === node.params.lossId);
  if (loss === undefined) {
    report(node.id, 'error', `Unknown loss '${node.params.lossId}': replace this block with one from the palette.`);
    return;
  }
  for (const port of loss.ports) {
    if (edgesInto(experiment, node.id, port.name).length === 0) {
      const from = port.side === 'data' ? 'the dataset' : rolesOfSide[port.side];
      report(node.id, 'error', `Connect '${port.label}' of ${describeNode(node)} (${port.type} from ${from}).`, undefined,
        { code: 'lossPortUnconnected', port: port.label, from: port.side });
    }
  }
  const problem = lossShapeProblem(experiment, node, loss);
  if (problem !== null) report(node.id, 'error', problem);
  const mapProblem = featureMapProblem(experiment, node, loss);
  if (mapProblem !== null) report(node.id, 'warning', mapProblem.message, mapProblem.fix);
  if (loss.needsFrozenTeacher) checkTeacherFrozen(experiment, node, report);
  if (edgesOutOf(experiment, node.id, 'loss').length === 0) {
    report(node.id, 'warning', `${describeNode(node)} is in no trainer, so it has no effect: connect its Loss output to a Trainer.`,
      undefined, { code: 'lossInNoTrainer' });
  }
}

/** A loss that pre-trains on its teacher side (FT) cannot read that side from a network its own stages train. */
function checkTeacherFrozen(experiment: ExperimentFile, node: NodeOf<'loss'>, report: Report): void {
  const learners = new Set(edgesOutOf(experiment, node.id, 'loss').flatMap((edge) => learnersOfTrainer(experiment, edge.target).map((model) => model.id)));
  for (const id of lossSides(experiment, node).teacher.filter((teacher) => learners.has(teacher))) {
    const model = nodeById(experiment, id);
    report(node.id, 'error', `${describeNode(node)} first trains its learned parts on the teacher side alone, from a network its stage keeps frozen, ` +
      `but ${model === undefined ? `'${id}'` : describeNode(model)} trains in that stage: feed its teacher side from a teacher, or from an assistant trained before.`);
  }
}

function checkTrainer(experiment: ExperimentFile, node: NodeOf<'trainer'>, report: Report): void {
  const losses = lossesOfTrainer(experiment, node.id);
  if (losses.length === 0) {
    report(node.id, 'error', `${describeNode(node)} has no losses: connect at least one (e.g. Cross-entropy) to its Losses input.`,
      undefined, { code: 'trainerNoLosses' });
  }
  checkSomethingTrains(node, losses, report);
  checkTrainUpTo(experiment, node, report);
  checkBatchesFitLosses(experiment, node, losses, report);
  const lossIds = new Set(losses.map((loss) => loss.id));
  for (const [lossNodeId, schedule] of Object.entries(node.params.weightSchedules)) {
    if (!lossIds.has(lossNodeId)) {
      report(node.id, 'warning', `The weight schedule for '${lossNodeId}' is ignored: that node is not a loss of this stage. Remove the schedule.`);
    } else if (schedule.kind === 'stepToZero' && schedule.atEpoch >= node.params.epochs) {
      report(node.id, 'warning', `The schedule of '${lossNodeId}' stops at epoch ${schedule.atEpoch}, after the stage's ` +
        `${node.params.epochs} epochs: it never takes effect. Lower atEpoch.`);
    } else if (schedule.kind === 'linearWarmup' && schedule.epochs > node.params.epochs) {
      report(node.id, 'warning', `The warm-up of '${lossNodeId}' lasts ${schedule.epochs} epochs, longer than the stage's ` +
        `${node.params.epochs}: the term never reaches its full weight. Shorten the warm-up or lengthen the stage.`);
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
      'give one of them a weight other than 0.');
  } else if (weighted.length > 0) {
    const cutoffs = weighted.map((loss) => {
      const schedule = weightSchedules[loss.id];
      return schedule?.kind === 'stepToZero' && schedule.atEpoch < epochs ? schedule.atEpoch : null;
    });
    if (cutoffs.every((cutoff) => cutoff !== null)) {
      const lastCutoff = Math.max(...cutoffs.map(Number));
      const shorten = lastCutoff > 0 ? ` or lower the stage's epochs to ${lastCutoff}` : '';
      report(node.id, 'error', `From epoch ${lastCutoff + 1} every loss of ${describeNode(node)} is cut to 0 by its ` +
        `schedule, so those epochs would train nothing: keep one loss constant (e.g. Cross-entropy)${shorten}.`);
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
  const smallestBatch = images <= batchSize ? images : images % batchSize || batchSize;
  for (const loss of losses) {
    const definition = lossRegistry.find((entry) => entry.id === loss.params.lossId);
    const needed = definition?.minBatch?.(loss.params.params) ?? 1;
    if (definition === undefined || loss.params.weight === 0 || smallestBatch >= needed) continue;
    report(node.id, 'error', `${describeNode(loss)} compares samples within a batch and needs at least ${needed}, ` +
      `but ${images} training images at batch size ${batchSize} leave a batch of ${smallestBatch}: ` +
      'change the batch size or the training subset.');
  }
}

function checkStageLoops(experiment: ExperimentFile, report: Report): void {
  const chained = new Set(stageChains(experiment).flat().map((trainer) => trainer.id));
  for (const trainer of nodesOfKind(experiment, 'trainer')) {
    if (!chained.has(trainer.id)) {
      report(trainer.id, 'error', `The stages loop back on ${describeNode(trainer)}: remove one Next -> After connection.`);
    }
  }
}

/** All problems of the graph, errors and warnings, each on the node to fix (no duplicates). */
export function validateGraph(experiment: ExperimentFile): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const seen = new Set<string>();
  const report: Report = (nodeId, severity, message, fix, detail) => {
    const key = `${nodeId ?? ''}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ nodeId, severity, message, ...(fix === undefined ? {} : { fix }), ...(detail === undefined ? {} : { detail }) });
  };

  checkDatasetCount(experiment, report);
  for (const node of experiment.nodes) {
    switch (node.kind) {
      case 'dataset': checkDataset(experiment, node, report); break;
      case 'model': checkModel(experiment, node, report); break;
      case 'guide':
      case 'guided': checkTap(experiment, node, report); break;
      case 'head': checkHead(experiment, node, report); break;
      case 'ensemble': checkEnsemble(experiment, node, report); break;
      case 'loss': checkLoss(experiment, node, report); break;
      case 'trainer': checkTrainer(experiment, node, report); break;
      case 'export':
        if (edgesInto(experiment, node.id, 'model').length === 0) {
          report(node.id, 'warning', `Connect the Layers of the network to export (${rolesOfSide.student}) to the Export node.`);
        }
        break;
    }
  }
  checkStageLoops(experiment, report);
  checkPhases(experiment, report);
  // An edge that was fine when drawn may break later (a role or layer changed): re-check each one.
  for (const edge of experiment.edges) {
    const reason = checkConnection(experiment, edge);
    if (reason !== null) report(edge.target, 'error', reason);
  }
  return problems;
}

export const hasErrors = (problems: readonly GraphProblem[]): boolean => problems.some((problem) => problem.severity === 'error');

/** The ports of a node that must be connected but are not (for the editor's handle styling). */
export function unconnectedRequiredPorts(experiment: ExperimentFile, nodeId: string): string[] {
  const node = experiment.nodes.find((candidate) => candidate.id === nodeId);
  if (node === undefined) return [];
  return portsOf(node)
    .filter((port) => port.direction === 'input' && port.required === true && edgesInto(experiment, nodeId, port.name).length === 0)
    .map((port) => port.name);
}

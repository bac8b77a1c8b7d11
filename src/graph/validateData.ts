import { findDatasetInfo, isUserDatasetId, listDatasets } from '../data/registry';
import { classCounts } from '../data/samplers';
import type { ExperimentFile, NodeOf } from './schema';
import { describeNode } from './nodeKinds';
import { defaultTrainerSettings } from './factory';
import { nodesOfKind } from './queries';
import type { Report } from './validateReport';

/** Validation of the Dataset node: exactly one, a known dataset, subsets that fit, sensible class-uniform batches. */

export function checkDatasetCount(experiment: ExperimentFile, report: Report): void {
  const datasets = nodesOfKind(experiment, 'dataset');
  if (datasets.length === 0) {
    report(null, 'error', 'The experiment has no Dataset. Add a Dataset node and connect its Images to every model.',
      { code: 'noDataset' });
  }
  for (const extra of datasets.slice(1)) {
    report(extra.id, 'error', `Only one Dataset takes part in an experiment: delete ${describeNode(extra)} or the other one.`,
      { code: 'extraDataset' });
  }
}

export function checkDataset(experiment: ExperimentFile, node: NodeOf<'dataset'>, report: Report): void {
  const info = findDatasetInfo(node.params.datasetId);
  if (info === undefined && isUserDatasetId(node.params.datasetId)) {
    // Imported images live in one browser's storage: an experiment file can travel without them.
    report(node.id, 'error', `This experiment uses the imported dataset '${node.params.datasetId}', which is not in this browser: ` +
      'import the images again (Import images… in this inspector), or choose another dataset.',
    { code: 'userDatasetMissing', datasetId: node.params.datasetId });
    return;
  }
  if (info === undefined) {
    const known = listDatasets().map((d) => d.id);
    report(node.id, 'error', `Unknown dataset '${node.params.datasetId}': choose one of ${known.join(', ')}.`,
      { code: 'unknownDataset', datasetId: node.params.datasetId, known });
    return;
  }
  checkSampler(experiment, node, info.id, info.label, info.classes, report);
  const { trainSubset, validationSize, testSubset } = node.params;
  if (validationSize + (trainSubset ?? 1) > info.trainCount) {
    report(node.id, 'error', `${info.label} has ${info.trainCount} training images: training subset plus validation ` +
      `(${trainSubset ?? 'all'} + ${validationSize}) must fit; lower one of them.`,
    { code: 'trainSubsetTooBig', dataset: info.id, trainCount: info.trainCount, trainSubset, validation: validationSize });
  }
  if (testSubset !== null && testSubset > info.testCount) {
    report(node.id, 'error', `${info.label} has ${info.testCount} test images: set the test subset to at most ` +
      `${info.testCount}, or clear it to use all of them.`, { code: 'testSubsetTooBig', dataset: info.id, testCount: info.testCount });
  }
}

/** Class-uniform batches run whatever the batch size (classCounts); warn where k is not what each batch holds. */
function checkSampler(experiment: ExperimentFile, node: NodeOf<'dataset'>, datasetId: string, datasetLabel: string, classes: number, report: Report): void {
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
        `so each step sees one label: use fewer than ${batchSize} images per class.`, { code: 'samplerOneClass', batchSize, perClass: k });
    } else if (batchSize > classes * k) {
      const counts = classCounts(batchSize, k, classes);
      const spread = counts[0] === counts[counts.length - 1] ? `${counts[0]}` : `${counts[counts.length - 1]}-${counts[0]}`;
      report(node.id, 'warning', `Class-uniform batches of ${batchSize} at ${k} images per class need ${Math.ceil(batchSize / k)} classes ` +
        `but ${datasetLabel} has ${classes}: each holds all ${classes} classes with ${spread} images each. ` +
        `For ${k} per class, use batches of at most ${classes * k}; or use at least ${Math.ceil(batchSize / classes)} images per class.`,
      { code: 'samplerTooFewClasses', batchSize, perClass: k, dataset: datasetId, classes, spread });
    }
  }
}

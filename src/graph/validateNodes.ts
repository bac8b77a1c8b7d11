import { findDatasetInfo } from '../data/registry';
import type { ExperimentFile, NodeOf } from './schema';
import { describeNode, rolesOfSide } from './nodeKinds';
import { edgesInto, edgesOutOf, modelFeeding, nodesOfKind } from './queries';
import { guidedAdapter, summarizeModel } from './shapes';
import { headSource, resolveHead } from './heads';
import { ensembleClassesDetail, ensembleClassesProblem, ensembleMembers, MIN_ENSEMBLE_MEMBERS } from './ensembles';
import type { Report } from './validateReport';

/** Validation of the network nodes and what hangs off them: models, guide/guided taps, auxiliary classifiers, ensembles, export. */

export function checkModel(experiment: ExperimentFile, node: NodeOf<'model'>, report: Report): void {
  const result = summarizeModel(node.params.architecture);
  if (!result.ok) {
    report(node.id, 'error', `${describeNode(node)}: ${result.error.message}`,
      { code: 'architectureInvalid', layer: result.error.layerId ?? null });
    return;
  }
  const dataset = nodesOfKind(experiment, 'dataset')[0];
  const info = findDatasetInfo(dataset?.params.datasetId);
  if (edgesInto(experiment, node.id, 'images').length === 0) {
    report(node.id, 'error', `Connect the dataset's Images to ${describeNode(node)}.`, { code: 'imagesUnconnected' });
  }
  if (info !== undefined && result.summary.outputShape[0] !== info.classes) {
    report(node.id, 'error', `The last layer of ${describeNode(node)} has ${result.summary.outputShape[0]} units but ` +
      `${info.label} has ${info.classes} classes: set its units to ${info.classes}.`,
    { code: 'outputUnits', units: result.summary.outputShape[0], classes: info.classes, dataset: info.id });
  }
  if (node.params.role === 'teacher' && node.params.teacherTraining === undefined) {
    report(node.id, 'warning', 'The teacher has no training settings, so the defaults are used: set them in the inspector.',
      { code: 'teacherDefaults' });
  }
  const ownSubset = node.params.role === 'teacher' ? node.params.teacherTraining?.trainSubset : undefined;
  if (info !== undefined && dataset !== undefined && typeof ownSubset === 'number' && ownSubset + dataset.params.validationSize > info.trainCount) {
    const validation = dataset.params.validationSize;
    report(node.id, 'error', `${info.label} has ${info.trainCount} training images: the teacher's ${ownSubset} plus the ` +
      `${validation} held out for validation do not fit; lower its training images, or train it on all.`,
    { code: 'teacherSubsetTooBig', dataset: info.id, trainCount: info.trainCount, subset: ownSubset, validation });
  }
}

const tapNetworks = {
  guide: `a network that teaches (${rolesOfSide.teacher})`,
  guided: `a network that learns (${rolesOfSide.student})`,
};

export function checkTap(experiment: ExperimentFile, node: NodeOf<'guide'> | NodeOf<'guided'>, report: Report): void {
  const model = modelFeeding(experiment, node.id);
  if (model === undefined) {
    report(node.id, 'error', `Connect the Layers of ${tapNetworks[node.kind]} to ${describeNode(node)}.`,
      { code: 'tapUnconnected', side: node.kind === 'guide' ? 'teacher' : 'student' });
  } else if (node.params.layerId === '') {
    report(node.id, 'error', `Choose a layer of ${describeNode(model)} for ${describeNode(node)} in the inspector.`,
      { code: 'tapNoLayer', model: model.id });
  } else {
    const result = summarizeModel(model.params.architecture);
    if (result.ok && !result.summary.layers.some((layer) => layer.id === node.params.layerId)) {
      const layers = result.summary.layers.map((layer) => layer.id);
      report(node.id, 'error', `${describeNode(model)} has no layer '${node.params.layerId}': choose one of ${layers.join(', ')}.`,
        { code: 'tapNoSuchLayer', model: model.id, layer: node.params.layerId, layers });
    }
  }
  if (edgesOutOf(experiment, node.id, 'feature').length === 0) {
    report(node.id, 'warning', `${describeNode(node)} feeds no loss: connect its Feature to a loss block or delete it.`,
      { code: 'tapFeedsNoLoss' });
  }
  if (node.kind === 'guided') {
    const adapter = guidedAdapter(experiment, node);
    if (adapter.status === 'invalid') report(node.id, 'error', adapter.reason, adapter.detail);
  }
}

export function checkHead(experiment: ExperimentFile, node: NodeOf<'head'>, report: Report): void {
  if (headSource(experiment, node) === undefined) {
    report(node.id, 'error', `Connect the Feature of a Guided node (a layer of ${rolesOfSide.student}) to ${describeNode(node)}.`,
      { code: 'headUnconnected' });
  }
  const resolved = resolveHead(experiment, node);
  if (resolved.status === 'invalid') report(node.id, 'error', resolved.reason, resolved.detail);
  if (edgesOutOf(experiment, node.id, 'logits').length === 0) {
    report(node.id, 'warning', `${describeNode(node)} feeds no loss: connect its Logits to Cross-entropy and to the student side ` +
      'of a KD block whose teacher side is the network\'s own Logits, or delete it.', { code: 'headFeedsNoLoss' });
  }
}

export function checkEnsemble(experiment: ExperimentFile, node: NodeOf<'ensemble'>, report: Report): void {
  const members = ensembleMembers(experiment, node);
  if (members.length < MIN_ENSEMBLE_MEMBERS) {
    const connected = members.length === 0 ? 'none is connected' : `only ${describeNode(members[0])} is (its own average)`;
    report(node.id, 'error', `${describeNode(node)} averages the predictions of at least ${MIN_ENSEMBLE_MEMBERS} networks, but ` +
      `${connected}: connect the Logits of another network to its Members, or delete it.`,
    { code: 'ensembleTooFew', minimum: MIN_ENSEMBLE_MEMBERS, members: members.map((member) => member.id) });
  }
  const classes = ensembleClassesProblem(experiment, node);
  const detail = ensembleClassesDetail(experiment, node);
  if (classes !== null && detail !== null) report(node.id, 'error', classes, detail);
}

export function checkExport(experiment: ExperimentFile, node: NodeOf<'export'>, report: Report): void {
  if (edgesInto(experiment, node.id, 'model').length === 0) {
    report(node.id, 'warning', `Connect the Layers of the network to export (${rolesOfSide.student}) to the Export node.`,
      { code: 'exportUnconnected' });
  }
}

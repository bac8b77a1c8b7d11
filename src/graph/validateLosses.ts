import { lossRegistry } from '../losses/registry';
import type { ExperimentFile, NodeOf } from './schema';
import { describeNode, rolesOfSide } from './nodeKinds';
import { lossShapeProblem } from './lossShapes';
import { edgesInto, edgesOutOf, formatShape, nodeById } from './queries';
import { lossInputShapes } from './shapes';
import { lossSides } from './phases';
import { featureMapProblem } from './featureMapFix';
import { learnersOfTrainer } from './validatePhases';
import type { Report } from './validateReport';

/** Validation of loss blocks: a known loss, every input connected with shapes it accepts, in a trainer. */

export function checkLoss(experiment: ExperimentFile, node: NodeOf<'loss'>, report: Report): void {
  const loss = lossRegistry.find((entry) => entry.id === node.params.lossId);
  if (loss === undefined) {
    report(node.id, 'error', `Unknown loss '${node.params.lossId}': replace this block with one from the palette.`,
      { code: 'unknownLoss', lossId: node.params.lossId });
    return;
  }
  for (const port of loss.ports) {
    if (edgesInto(experiment, node.id, port.name).length === 0) {
      const from = port.side === 'data' ? 'the dataset' : rolesOfSide[port.side];
      report(node.id, 'error', `Connect '${port.label}' of ${describeNode(node)} (${port.type} from ${from}).`,
        { code: 'lossPortUnconnected', port: port.label, from: port.side });
    }
  }
  const problem = lossShapeProblem(experiment, node, loss);
  if (problem !== null) {
    // The registry words its shape rules in English; the code carries the shapes it judged.
    const known = lossInputShapes(experiment, node.id);
    const shapes = loss.ports.filter((port) => known[port.name] !== undefined && port.type !== 'labels')
      .map((port) => ({ port: port.name, shape: formatShape(known[port.name]) }));
    report(node.id, 'error', problem, { code: 'lossShapes', shapes });
  }
  const mapProblem = featureMapProblem(experiment, node, loss);
  if (mapProblem !== null) report(node.id, 'warning', mapProblem.message, mapProblem.detail, mapProblem.fix);
  if (loss.needsFrozenTeacher) checkTeacherFrozen(experiment, node, report);
  if (edgesOutOf(experiment, node.id, 'loss').length === 0) {
    report(node.id, 'warning', `${describeNode(node)} is in no trainer, so it has no effect: connect its Loss output to a Trainer.`,
      { code: 'lossInNoTrainer' });
  }
}

/** A loss that pre-trains on its teacher side (FT) cannot read that side from a network its own stages train. */
function checkTeacherFrozen(experiment: ExperimentFile, node: NodeOf<'loss'>, report: Report): void {
  const learners = new Set(edgesOutOf(experiment, node.id, 'loss').flatMap((edge) => learnersOfTrainer(experiment, edge.target).map((model) => model.id)));
  for (const id of lossSides(experiment, node).teacher.filter((teacher) => learners.has(teacher))) {
    const model = nodeById(experiment, id);
    report(node.id, 'error', `${describeNode(node)} first trains its learned parts on the teacher side alone, from a network its stage keeps frozen, ` +
      `but ${model === undefined ? `'${id}'` : describeNode(model)} trains in that stage: feed its teacher side from a teacher, or from an assistant trained before.`,
    { code: 'teacherSideTrains', model: id });
  }
}

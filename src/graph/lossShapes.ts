import type { Shape } from '../models/spec';
import type { LossDefinition, LossPortDef } from '../losses/types';
import type { ExperimentFile, NodeOf } from './schema';
import { lossInputShapes, summarizeModel } from './shapes';
import { nodesOfKind } from './queries';
import { roleSides } from './phases';

/**
 * Shape checks of a loss block against its registry entry's `checkShapes`, including
 * partially connected blocks: a partial block is acceptable when some choice of the layers
 * available in the graph could complete it (so an FSP pair of different spatial sizes is
 * refused as soon as its second layer is connected, not only when all four are).
 */

const MAX_COMPLETIONS = 20_000;

const shapeKey = (shape: Shape): string => shape.join('x');

function uniqueShapes(shapes: Shape[]): Shape[] {
  const seen = new Map<string, Shape>();
  for (const shape of shapes) if (!seen.has(shapeKey(shape))) seen.set(shapeKey(shape), shape);
  return [...seen.values()];
}

/** Shapes a port could receive from the models in the graph (assistants and peers feed both sides). */
export function availableShapes(experiment: ExperimentFile, port: LossPortDef): Shape[] {
  if (port.type === 'labels') return [[]];
  if (port.side === 'data') return [];
  const shapes: Shape[] = [];
  const side = port.side;
  for (const model of nodesOfKind(experiment, 'model').filter((candidate) => roleSides(candidate.params.role).includes(side))) {
    const result = summarizeModel(model.params.architecture);
    if (!result.ok) continue;
    if (port.type === 'logits') shapes.push(result.summary.outputShape);
    else shapes.push(...result.summary.layers.map((layer) => layer.outputShape));
  }
  return uniqueShapes(shapes);
}

/** Connected shapes of ports like this one (same type; mirror side first), tried before all others. */
function likelyShapes(loss: LossDefinition, known: Record<string, Shape>, port: LossPortDef): Shape[] {
  const index = loss.ports.filter((p) => p.type === port.type && p.side === port.side).indexOf(port);
  const mirror = loss.ports.filter((p) => p.type === port.type && p.side !== port.side && p.side !== 'data')[index];
  const siblings = loss.ports.filter((p) => p.type === port.type && p !== port);
  return [mirror, ...siblings].flatMap((p) => (p !== undefined && known[p.name] !== undefined ? [known[p.name]] : []));
}

/**
 * The reason a loss's connected inputs cannot work, or null. Missing inputs are not a reason here
 * (validateGraph reports them); shapes that are unknown yet are not judged.
 */
export function lossShapeProblem(experiment: ExperimentFile, lossNode: NodeOf<'loss'>, loss: LossDefinition): string | null {
  const known = lossInputShapes(experiment, lossNode.id);
  const missing = loss.ports.filter((port) => known[port.name] === undefined);
  if (missing.length === 0) return loss.checkShapes(known, lossNode.params.params);
  if (loss.needsAdapter || missing.length === loss.ports.length) return null;

  const options = missing.map((port) => uniqueShapes([...likelyShapes(loss, known, port), ...availableShapes(experiment, port)]));
  if (options.some((choices) => choices.length === 0)) return null;
  const total = options.reduce((count, choices) => count * choices.length, 1);
  if (total > MAX_COMPLETIONS) return null;

  let firstReason: string | null = null;
  for (let combination = 0; combination < total; combination += 1) {
    const shapes = { ...known };
    let rest = combination;
    missing.forEach((port, i) => {
      shapes[port.name] = options[i][rest % options[i].length];
      rest = Math.floor(rest / options[i].length);
    });
    const reason = loss.checkShapes(shapes, lossNode.params.params);
    if (reason === null) return null;
    firstReason ??= reason;
  }
  return firstReason;
}

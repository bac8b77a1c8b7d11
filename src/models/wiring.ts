import { ArchitectureError, isMergeLayer, type ArchitectureSpec, type LayerSpec } from './spec';

/**
 * How the layers of a spec connect. A layer list is in topological order: each layer reads the
 * previous one (the image for the first) unless `from` names an earlier layer, and an `add` or
 * `concat` layer reads its `inputs`. The image is named INPUT_LAYER_NAME.
 */

/** The tfjs input layer's name: layer ids may not take it, `from` may name it (the image). */
export const INPUT_LAYER_NAME = 'input';

/** The ids a layer reads, given the id of the layer before it (INPUT_LAYER_NAME for the first). */
export function inputIdsOf(layer: LayerSpec, previousId: string): string[] {
  if (isMergeLayer(layer)) return [...layer.inputs];
  return [layer.from ?? previousId];
}

/**
 * Each layer's input ids, in spec order. Throws an ArchitectureError naming the layer when an
 * input is unknown, is the layer itself or comes later in the list, or an add has fewer than two.
 */
export function layerInputs(spec: ArchitectureSpec): string[][] {
  const earlier = new Set<string>([INPUT_LAYER_NAME]);
  const allIds = new Set(spec.layers.map((layer) => layer.id));
  let previousId = INPUT_LAYER_NAME;
  return spec.layers.map((layer) => {
    const inputs = inputIdsOf(layer, previousId);
    if (isMergeLayer(layer)) {
      if (!Array.isArray(layer.inputs) || layer.inputs.length < 2) {
        throw new ArchitectureError(`Layer '${layer.id}' (${layer.kind}): needs at least two inputs (got ${inputs.length}); ` +
          `name two or more earlier layers of ${layer.kind === 'add' ? 'equal shape' : 'equal height and width'}.`, layer.id);
      }
      const repeated = inputs.find((id, i) => inputs.indexOf(id) !== i);
      if (repeated !== undefined) {
        throw new ArchitectureError(`Layer '${layer.id}' (${layer.kind}): input '${repeated}' is listed twice; list each input once.`, layer.id);
      }
    }
    for (const id of inputs) {
      if (earlier.has(id)) continue;
      const where = id === layer.id ? 'is the layer itself'
        : allIds.has(id) ? 'comes later in the list (a layer can only read earlier layers)'
          : 'is not a layer of this architecture';
      throw new ArchitectureError(`Layer '${layer.id}' (${layer.kind}): its input '${id}' ${where}; ` +
        `pick '${INPUT_LAYER_NAME}' or a layer above it.`, layer.id);
    }
    earlier.add(layer.id);
    previousId = layer.id;
    return inputs;
  });
}

/** Layer ids whose output feeds `layerId` (itself included), for training up to a layer. */
export function ancestorIds(spec: ArchitectureSpec, layerId: string): Set<string> {
  const inputs = layerInputs(spec);
  const indexById = new Map(spec.layers.map((layer, i) => [layer.id, i]));
  const found = new Set<string>();
  const pending = [layerId];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    const index = indexById.get(id);
    if (index === undefined || found.has(id)) continue;
    found.add(id);
    pending.push(...inputs[index]);
  }
  return found;
}

/** For each layer index, the indices of the layers that read it. */
export function layerConsumers(spec: ArchitectureSpec): number[][] {
  const indexById = new Map(spec.layers.map((layer, i) => [layer.id, i]));
  const consumers: number[][] = spec.layers.map(() => []);
  layerInputs(spec).forEach((inputs, consumer) => {
    for (const id of inputs) {
      const index = indexById.get(id);
      if (index !== undefined) consumers[index].push(consumer);
    }
  });
  return consumers;
}

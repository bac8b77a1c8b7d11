import { summarizeArchitecture } from '../../models/shapes';
import type { ArchitectureSpec, LayerWeights } from '../../models/spec';
import { decodeWeights, WeightsFileError } from '../../models/weightsFile';

/**
 * Weights written by the PyTorch project's studio_weights.save (or any studio weights file) for one
 * network: decoded, and checked to cover every weighted layer of `spec` with its tfjs shapes, so a
 * file of another architecture is refused here with the layer named, before a model is built.
 */
export function importWeightsFile(spec: ArchitectureSpec, layout: unknown, data: Uint8Array, source: string): LayerWeights[] {
  const weights = decodeWeights(layout, data, source);
  const byId = new Map(weights.map((layer) => [layer.layerId, layer]));
  const summary = summarizeArchitecture(spec);
  let input: number[] = [...spec.inputShape];
  const result: LayerWeights[] = [];
  spec.layers.forEach((layer, index) => {
    let expected: number[][] | null = null;
    if (layer.kind === 'dense') expected = [[input[0], layer.units], [layer.units]];
    else if (layer.kind === 'conv2d') expected = [[layer.kernelSize, layer.kernelSize, input[2], layer.filters], [layer.filters]];
    else if (layer.kind === 'batchNorm') expected = Array.from({ length: 4 }, () => [input[input.length - 1]]);
    input = summary.layers[index].outputShape;
    if (expected === null) return;
    const found = byId.get(layer.id);
    if (!found) throw new WeightsFileError(`Weights ${source}: no weights for layer '${layer.id}' of '${spec.name}'.`);
    const shapes = found.tensors.map((t) => t.shape.join('x')).join(', ');
    if (shapes !== expected.map((shape) => shape.join('x')).join(', ')) {
      throw new WeightsFileError(`Weights ${source}: layer '${layer.id}' has tensors [${shapes}], '${spec.name}' needs [${expected.map((s) => s.join('x')).join(', ')}].`);
    }
    result.push(found);
  });
  return result;
}

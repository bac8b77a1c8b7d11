import { summarizeArchitecture } from '../../models/shapes';
import type { ArchitectureSpec, LayerSpec, LayerWeights, Shape } from '../../models/spec';
import { decodeWeights, WeightsFileError } from '../../models/weightsFile';
import { INPUT_LAYER_NAME, layerInputs } from '../../models/wiring';

/** The tfjs shapes of a layer's weights given the shape it reads, or null for a layer without weights. */
function expectedShapes(layer: LayerSpec, input: Shape): number[][] | null {
  switch (layer.kind) {
    case 'dense':
      return [[input[0], layer.units], [layer.units]];
    case 'conv2d':
      return [[layer.kernelSize, layer.kernelSize, input[2], layer.filters], ...(layer.useBias === false ? [] : [[layer.filters]])];
    case 'depthwiseConv2d':
      return [[layer.kernelSize, layer.kernelSize, input[2], 1], ...(layer.useBias === false ? [] : [[input[2]]])];
    case 'batchNorm':
      return Array.from({ length: 4 }, () => [input[input.length - 1]]);
    default:
      return null;
  }
}

/**
 * Weights written by the PyTorch project's studio_weights.save (or any studio weights file) for one
 * network: decoded, and checked to cover every weighted layer of `spec` with its tfjs shapes, so a
 * file of another architecture is refused here with the layer named, before a model is built.
 * Each layer's shapes follow from the shape of the layer it reads (specs are small DAGs).
 */
export function importWeightsFile(spec: ArchitectureSpec, layout: unknown, data: Uint8Array, source: string): LayerWeights[] {
  const weights = decodeWeights(layout, data, source);
  const byId = new Map(weights.map((layer) => [layer.layerId, layer]));
  const summary = summarizeArchitecture(spec);
  const inputs = layerInputs(spec);
  const shapes = new Map<string, Shape>([[INPUT_LAYER_NAME, [...spec.inputShape]]]);
  const result: LayerWeights[] = [];
  spec.layers.forEach((layer, index) => {
    const expected = expectedShapes(layer, shapes.get(inputs[index][0]) as Shape);
    shapes.set(layer.id, summary.layers[index].outputShape);
    if (expected === null) return;
    const found = byId.get(layer.id);
    if (!found) throw new WeightsFileError(`Weights ${source}: no weights for layer '${layer.id}' of '${spec.name}'.`);
    const given = found.tensors.map((t) => t.shape.join('x')).join(', ');
    if (given !== expected.map((shape) => shape.join('x')).join(', ')) {
      throw new WeightsFileError(`Weights ${source}: layer '${layer.id}' has tensors [${given}], '${spec.name}' needs [${expected.map((s) => s.join('x')).join(', ')}].`);
    }
    result.push(found);
  });
  return result;
}

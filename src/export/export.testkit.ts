/**
 * Shared by the export tests (Node only): a seeded student with non-trivial batch-norm statistics,
 * real MNIST images, tfjs logits and an onnxruntime-node runner.
 */
import * as tf from '@tensorflow/tfjs';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { nodeOrtRunner } from '../../scripts/lib/ort-node';
import { loadDataset } from '../data/loader';
import { normalizePixels } from '../data/batches';
import { createRng } from '../data/rng';
import type { LoadedDataset } from '../data/types';
import { buildModel, getLayerWeights, setLayerWeights } from '../models/builder';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { nhwcToNchw } from './layout';
import type { OnnxInput, OnnxRunner } from './verify';

/** onnxruntime-node at the level this CPU runs INT8 models correctly at (scripts/lib/ort-node.ts). */
export const nodeOnnxRunner: OnnxRunner = nodeOrtRunner;

export async function loadMnistSubset(testCount: number, trainCount: number): Promise<LoadedDataset> {
  return loadDataset(
    { datasetId: 'mnist', trainSubset: trainCount, validationSize: 0, testSubset: testCount, augmentShift: 0 },
    nodeAssetReader(),
  );
}

/**
 * A freshly initialised model whose batch-norm layers get random gamma, beta and moving statistics,
 * so an exporter that ignored them (or used ONNX's default epsilon) would fail parity.
 */
export function seededStudent(spec: ArchitectureSpec, seed: number): { model: tf.LayersModel; weights: LayerWeights[] } {
  const model = buildModel(spec, { taps: [], seed });
  const rng = createRng(seed);
  const uniform = (low: number, high: number) => low + (high - low) * rng.next();
  const weights = getLayerWeights(model, spec).map((entry) => {
    const layer = spec.layers.find((candidate) => candidate.id === entry.layerId);
    if (layer?.kind !== 'batchNorm') return entry;
    const ranges: [number, number][] = [[0.5, 1.5], [-0.5, 0.5], [-0.8, 0.8], [0.3, 2.5]];
    return {
      layerId: entry.layerId,
      tensors: entry.tensors.map((tensor, i) => ({
        shape: tensor.shape,
        values: Float32Array.from(tensor.values, () => uniform(...ranges[i])),
      })),
    };
  });
  setLayerWeights(model, weights);
  return { model, weights: getLayerWeights(model, spec) };
}

/** Normalised NHWC float32 images [count, H, W, C] from a split's uint8 pixels. */
export function normalisedImages(data: LoadedDataset, split: 'test' | 'train', first: number, count: number): Float32Array {
  const bytes = data.info.shape[0] * data.info.shape[1] * data.info.shape[2];
  return normalizePixels(data[split].images.subarray(first * bytes, (first + count) * bytes), data.info);
}

/** tfjs logits [count * classes] for NHWC images (disposes everything it creates). */
export async function tfjsLogits(model: tf.LayersModel, imagesNhwc: Float32Array, shape: [number, number, number]): Promise<Float32Array> {
  const count = imagesNhwc.length / (shape[0] * shape[1] * shape[2]);
  const input = tf.tensor4d(imagesNhwc, [count, ...shape]);
  const output = model.predict(input);
  const logits = Array.isArray(output) ? output[0] : output;
  try {
    return Float32Array.from(await logits.data());
  } finally {
    tf.dispose([input, output]);
  }
}

/** The same images as ONNX inputs of `batch` images each, NCHW. */
export function onnxBatches(imagesNhwc: Float32Array, shape: [number, number, number], batch: number): OnnxInput[] {
  const [h, w, c] = shape;
  const perImage = h * w * c;
  const inputs: OnnxInput[] = [];
  for (let start = 0; start < imagesNhwc.length; start += perImage * batch) {
    const slice = imagesNhwc.subarray(start, start + perImage * batch);
    inputs.push({ data: nhwcToNchw(slice, batch, h, w, c), dims: [batch, c, h, w] });
  }
  return inputs;
}

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../data/types';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages, onnxBatches, seededStudent, tfjsLogits } from '../export/export.testkit';
import { exportOnnx } from '../export/onnx';
import { compareLogits } from '../export/verify';
import { cifarArchitecturePresets } from '../models/cifarPresets';
import { buildModel, setLayerWeights } from '../models/builder';
import { summarizeArchitecture } from '../models/shapes';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { slimNetwork } from './slim';

/** Slimming hand-made networks: which channels go, the shapes, and logits equal to the masked network's on real MNIST images. */

let mnist: LoadedDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  mnist = await loadMnistSubset(64, 16);
});

/** Zeroes output channels of a conv (kernel column, bias) and, when given, gamma and beta of its batch norm. */
function zeroChannels(weights: LayerWeights[], convId: string, channels: number[], normId?: string): LayerWeights[] {
  return weights.map((entry) => {
    if (entry.layerId !== convId && entry.layerId !== normId) return entry;
    const count = entry.tensors[0].shape[entry.tensors[0].shape.length - 1];
    const tensors = entry.tensors.map((tensor, t) => {
      if (entry.layerId === normId && t > 1) return tensor;
      return { shape: tensor.shape, values: tensor.values.map((value, i) => (channels.includes(i % count) ? 0 : value)) };
    });
    return { layerId: entry.layerId, tensors };
  });
}

function shapesOf(weights: LayerWeights[], id: string): number[][] {
  return (weights.find((entry) => entry.layerId === id) as LayerWeights).tensors.map((tensor) => tensor.shape);
}

/** tfjs logits of a spec and weights on `count` MNIST test images (the model is disposed). */
async function logitsOf(spec: ArchitectureSpec, weights: LayerWeights[], images: Float32Array): Promise<Float32Array> {
  const model = buildModel(spec, { taps: [], seed: 0 });
  try {
    setLayerWeights(model, weights);
    return await tfjsLogits(model, images, spec.inputShape);
  } finally {
    model.dispose();
  }
}

const conv = (id: string, filters: number, from?: string) => ({ kind: 'conv2d' as const, id, filters, kernelSize: 3, strides: 1, padding: 'same' as const, ...(from ? { from } : {}) });
const norm = (id: string) => ({ kind: 'batchNorm' as const, id, epsilon: 1e-3, momentum: 0.9 });

const convNet: ArchitectureSpec = {
  name: 'slim-conv', inputShape: [28, 28, 1],
  layers: [
    conv('conv1', 6), norm('bn1'), { kind: 'relu', id: 'relu1' },
    { kind: 'maxPool', id: 'pool1', poolSize: 2, strides: 2, padding: 'valid' },
    conv('conv2', 5), norm('bn2'), { kind: 'activation', id: 'act2', fn: 'relu6' },
    { kind: 'maxPool', id: 'pool2', poolSize: 2, strides: 2, padding: 'valid' },
    { kind: 'flatten', id: 'flatten' }, { kind: 'dropout', id: 'drop', rate: 0.2 },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

describe('slimNetwork', () => {
  it('removes zeroed conv channels, their batch-norm entries and the next conv\'s input channels and the dense rows after flatten (h, w, c order)', async () => {
    const before = tf.memory().numTensors;
    const seeded = seededStudent(convNet, 11);
    seeded.model.dispose();
    const masked = zeroChannels(zeroChannels(seeded.weights, 'conv1', [1, 4], 'bn1'), 'conv2', [0, 3], 'bn2');
    const slim = slimNetwork(convNet, masked);

    expect(slim.slimmed).toEqual([
      { layerId: 'conv1', channelsBefore: 6, channelsAfter: 4 },
      { layerId: 'conv2', channelsBefore: 5, channelsAfter: 3 },
    ]);
    expect(slim.kept).toEqual([]);
    expect(shapesOf(slim.weights, 'conv1')).toEqual([[3, 3, 1, 4], [4]]);
    expect(shapesOf(slim.weights, 'bn1')).toEqual([[4], [4], [4], [4]]);
    expect(shapesOf(slim.weights, 'conv2')).toEqual([[3, 3, 4, 3], [3]]);
    expect(shapesOf(slim.weights, 'logits')).toEqual([[7 * 7 * 3, 10], [10]]);
    // Dense row (h * 7 + w) * 5 + c of the masked network is row (h * 7 + w) * 3 + kept.indexOf(c) of the slim one.
    const denseBefore = masked.find((entry) => entry.layerId === 'logits')!.tensors[0].values;
    const denseAfter = slim.weights.find((entry) => entry.layerId === 'logits')!.tensors[0].values;
    const keptChannels = [1, 2, 4];
    for (const [position, channel] of [[0, 1], [20, 2], [48, 4]]) {
      const from = (position * 5 + channel) * 10;
      const to = (position * 3 + keptChannels.indexOf(channel)) * 10;
      expect(Array.from(denseAfter.subarray(to, to + 10))).toEqual(Array.from(denseBefore.subarray(from, from + 10)));
    }
    expect(summarizeArchitecture(slim.spec).params).toBeLessThan(summarizeArchitecture(convNet).params);

    const images = normalisedImages(mnist, 'test', 0, 64);
    const expected = await logitsOf(convNet, masked, images);
    const actual = await logitsOf(slim.spec, slim.weights, images);
    expect(compareLogits([expected], [actual], 10, 1e-5).maxAbsDiff).toBeLessThanOrEqual(1e-5);

    // The existing exporter takes the slim network unchanged, and onnxruntime agrees with tfjs.
    const onnx = exportOnnx(slim.spec, slim.weights, { batchSize: 4 });
    expect(onnx.length).toBeLessThan(exportOnnx(convNet, masked, { batchSize: 4 }).length);
    const fromOnnx = await nodeOnnxRunner(onnx, onnxBatches(images, convNet.inputShape, 4));
    const merged = new Float32Array(expected.length);
    fromOnnx.forEach((logits, i) => merged.set(logits, i * logits.length));
    expect(compareLogits([expected], [merged], 10, 1e-5).maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('after global average pooling the dense layer loses one row per removed channel; a conv without batch norm needs only its bias at 0', async () => {
    const spec: ArchitectureSpec = {
      name: 'slim-gap', inputShape: [28, 28, 1],
      layers: [conv('conv1', 6), { kind: 'relu', id: 'relu1' }, { kind: 'globalAvgPool', id: 'gap' }, { kind: 'dense', id: 'logits', units: 10 }],
    };
    const seeded = seededStudent(spec, 12);
    seeded.model.dispose();
    const masked = zeroChannels(seeded.weights, 'conv1', [0, 5]);
    const slim = slimNetwork(spec, masked);
    expect(shapesOf(slim.weights, 'logits')).toEqual([[4, 10], [10]]);
    const images = normalisedImages(mnist, 'test', 0, 32);
    const expected = await logitsOf(spec, masked, images);
    expect(compareLogits([expected], [await logitsOf(slim.spec, slim.weights, images)], 10, 1e-5).maxAbsDiff).toBeLessThanOrEqual(1e-5);

    // A zero kernel column with a non-zero bias is a constant channel, not a zero one: kept.
    const biased = masked.map((entry) => entry.layerId !== 'conv1' ? entry
      : { layerId: 'conv1', tensors: [entry.tensors[0], { shape: [6], values: Float32Array.from([0.5, 0, 0, 0, 0, 0]) }] });
    expect(slimNetwork(spec, biased).slimmed).toEqual([{ layerId: 'conv1', channelsBefore: 6, channelsAfter: 5 }]);
  });

  it('keeps a conv whole where its zeroed channels reach a residual add, a depthwise conv, a sigmoid or a batch norm not zeroed there', () => {
    const cases: { spec: ArchitectureSpec; reason: string; blockedBy: string; normId?: string }[] = [
      {
        reason: 'add', blockedBy: 'sum', normId: 'bn1',
        spec: { name: 'res', inputShape: [28, 28, 1], layers: [
          conv('stem', 4), conv('conv1', 4), norm('bn1'), { kind: 'add', id: 'sum', inputs: ['stem', 'bn1'] },
          { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units: 10 }] },
      },
      {
        reason: 'depthwise', blockedBy: 'dw', normId: 'bn1',
        spec: { name: 'dw', inputShape: [28, 28, 1], layers: [
          conv('conv1', 4), norm('bn1'), { kind: 'depthwiseConv2d', id: 'dw', kernelSize: 3, strides: 1, padding: 'same' },
          { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units: 10 }] },
      },
      {
        reason: 'activation', blockedBy: 'sig', normId: 'bn1',
        spec: { name: 'sig', inputShape: [28, 28, 1], layers: [
          conv('conv1', 4), norm('bn1'), { kind: 'activation', id: 'sig', fn: 'sigmoid' },
          { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units: 10 }] },
      },
      {
        reason: 'batchNorm', blockedBy: 'bn1',
        spec: { name: 'bn', inputShape: [28, 28, 1], layers: [
          conv('conv1', 4), norm('bn1'), { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units: 10 }] },
      },
    ];
    for (const { spec, reason, blockedBy, normId } of cases) {
      const seeded = seededStudent(spec, 13);
      seeded.model.dispose();
      const slim = slimNetwork(spec, zeroChannels(seeded.weights, 'conv1', [2], normId));
      expect(slim.slimmed).toEqual([]);
      expect(slim.kept).toEqual([{ layerId: 'conv1', zeroChannels: 1, blockedBy, blockedKind: spec.layers.find((l) => l.id === blockedBy)!.kind, reason }]);
      expect(slim.spec).toEqual(spec);
    }
  });

  it('zero border padding passes a zeroed channel on (exact logits); a concat and -Infinity padding keep the conv whole', async () => {
    const padded: ArchitectureSpec = {
      name: 'slim-pad', inputShape: [28, 28, 1],
      layers: [
        conv('conv1', 6), norm('bn1'), { kind: 'relu', id: 'relu1' }, { kind: 'pad', id: 'pad1', pads: [1, 1, 1, 1], fill: 'zero' },
        { kind: 'conv2d', id: 'conv2', filters: 4, kernelSize: 3, strides: 2, padding: 'valid' }, { kind: 'relu', id: 'relu2' },
        { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units: 10 },
      ],
    };
    const seeded = seededStudent(padded, 17);
    seeded.model.dispose();
    const masked = zeroChannels(seeded.weights, 'conv1', [0, 3], 'bn1');
    const slim = slimNetwork(padded, masked);
    expect(slim.slimmed).toEqual([{ layerId: 'conv1', channelsBefore: 6, channelsAfter: 4 }]);
    expect(shapesOf(slim.weights, 'conv2')).toEqual([[3, 3, 4, 4], [4]]);
    const images = normalisedImages(mnist, 'test', 0, 32);
    const expected = await logitsOf(padded, masked, images);
    expect(compareLogits([expected], [await logitsOf(slim.spec, slim.weights, images)], 10, 1e-5).maxAbsDiff).toBeLessThanOrEqual(1e-5);
    const fromOnnx = await nodeOnnxRunner(exportOnnx(slim.spec, slim.weights, { batchSize: 32 }), onnxBatches(images, padded.inputShape, 32));
    expect(compareLogits([expected], fromOnnx, 10, 1e-5).maxAbsDiff).toBeLessThanOrEqual(1e-5);

    const lowest: ArchitectureSpec = { ...padded, layers: padded.layers.map((layer) => (layer.kind === 'pad' ? { ...layer, fill: 'lowest' } : layer)) };
    expect(slimNetwork(lowest, masked).kept).toEqual([{ layerId: 'conv1', zeroChannels: 2, blockedBy: 'pad1', blockedKind: 'pad', reason: 'pad' }]);
    const joined: ArchitectureSpec = {
      name: 'slim-concat', inputShape: [28, 28, 1],
      layers: [
        conv('conv1', 6), norm('bn1'), { kind: 'relu', id: 'relu1' }, conv('conv2', 4, 'input'),
        { kind: 'concat', id: 'cat', inputs: ['relu1', 'conv2'] }, { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'logits', units: 10 },
      ],
    };
    const joinedWeights = seededStudent(joined, 18);
    joinedWeights.model.dispose();
    expect(slimNetwork(joined, zeroChannels(joinedWeights.weights, 'conv1', [1], 'bn1')).kept)
      .toEqual([{ layerId: 'conv1', zeroChannels: 1, blockedBy: 'cat', blockedKind: 'concat', reason: 'concat' }]);
  });

  it('ResNet-8: the first conv of each residual block slims, the convs whose outputs meet an add stay whole', () => {
    const spec = cifarArchitecturePresets.resnet8;
    const seeded = seededStudent(spec, 14);
    seeded.model.dispose();
    const convs = spec.layers.filter((layer) => layer.kind === 'conv2d');
    let masked = seeded.weights;
    for (const layer of convs) {
      const bn = spec.layers[spec.layers.indexOf(layer) + 1];
      masked = zeroChannels(masked, layer.id, [0], bn.kind === 'batchNorm' ? bn.id : undefined);
    }
    const slim = slimNetwork(spec, masked);
    expect(slim.slimmed.length + slim.kept.length).toBe(convs.length);
    expect(slim.slimmed.length).toBeGreaterThan(0);
    expect(slim.kept.length).toBeGreaterThan(0);
    expect(slim.kept.every((kept) => kept.reason === 'add')).toBe(true);
    expect(() => exportOnnx(slim.spec, slim.weights)).not.toThrow();
  });

  it('MobileNet student: a pointwise conv that feeds a depthwise conv stays whole; the others slim and the network still exports', () => {
    const spec = cifarArchitecturePresets['mobilenet-student'];
    const seeded = seededStudent(spec, 16);
    seeded.model.dispose();
    let masked = seeded.weights;
    for (const [index, layer] of spec.layers.entries()) {
      const next = spec.layers[index + 1];
      if (layer.kind === 'conv2d') masked = zeroChannels(masked, layer.id, [1], next?.kind === 'batchNorm' ? next.id : undefined);
    }
    const slim = slimNetwork(spec, masked);
    expect(slim.kept.length).toBeGreaterThan(0);
    expect(slim.kept.every((kept) => kept.reason === 'depthwise')).toBe(true);
    expect(slim.slimmed.length + slim.kept.length).toBe(spec.layers.filter((layer) => layer.kind === 'conv2d').length);
    expect(() => exportOnnx(slim.spec, slim.weights)).not.toThrow();
  });

  it('rejects weights of another architecture with the layer named', () => {
    const seeded = seededStudent(convNet, 15);
    seeded.model.dispose();
    const other = seeded.weights.map((entry) => entry.layerId !== 'conv2' ? entry
      : { layerId: 'conv2', tensors: entry.tensors.map((tensor) => ({ shape: tensor.shape, values: tensor.values.subarray(1) })) });
    expect(() => slimNetwork(convNet, other)).toThrow(/'conv2'.*different architecture/);
  });
});

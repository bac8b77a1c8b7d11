import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArchitecture } from '../graph/readParams';
import { exportOnnx } from '../export/onnx';
import { OnnxExportError } from '../export/errors';
import { onnxProto } from '../export/onnxProto';
import { buildModel, getLayerWeights, setLayerWeights } from './builder';
import { summarizeArchitecture } from './shapes';
import { ArchitectureError, type ArchitectureSpec, type LayerSpec } from './spec';

/**
 * The `pad` layer: explicit borders, zero or -Infinity. Checked against tfjs's own 'same' windows
 * where both pad alike (TensorFlow puts the odd extra row and column after), by hand on a tiny map,
 * through the gradient, the experiment-file reader and the ONNX exporter's folding into window pads.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec = (inputShape: [number, number, number], layers: LayerSpec[]): ArchitectureSpec => ({ name: 'pad-test', inputShape, layers });

function logits(architecture: ArchitectureSpec, input: tf.Tensor4D, seed = 3, weightsFrom?: ArchitectureSpec): Float32Array {
  const model = buildModel(architecture, { taps: [], seed });
  if (weightsFrom) {
    const source = buildModel(weightsFrom, { taps: [], seed });
    setLayerWeights(model, getLayerWeights(source, weightsFrom));
    source.dispose();
  }
  const out = tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync() as Float32Array);
  model.dispose();
  return Float32Array.from(out);
}

describe('pad layer', () => {
  it('pads a 2x2 map by hand: zeros or -Infinity on the sides asked, nothing elsewhere', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const zero = buildModel(spec([2, 2, 1], [{ kind: 'pad', id: 'p', pads: [1, 0, 0, 2], fill: 'zero' }, { kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 1 }]), { taps: ['p'], seed: 1 });
    const [, padded] = zero.predict(x) as tf.Tensor[];
    expect(padded.shape).toEqual([1, 3, 4, 1]);
    expect(Array.from(padded.dataSync())).toEqual([0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0]);
    const lowest = buildModel(spec([2, 2, 1], [{ kind: 'pad', id: 'p', pads: [0, 1, 1, 0], fill: 'lowest' }, { kind: 'maxPool', id: 'm', poolSize: 3, strides: 1, padding: 'valid' }, { kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 1 }]), { taps: ['p', 'm'], seed: 1 });
    const [, low, pooled] = lowest.predict(tf.neg(x)) as tf.Tensor[];
    expect(Array.from(low.dataSync())).toEqual([-Infinity, -1, -2, -Infinity, -3, -4, -Infinity, -Infinity, -Infinity]);
    expect(Array.from(pooled.dataSync())).toEqual([-1]); // a zero border would have made it 0
    for (const t of [x, padded, low, pooled]) t.dispose();
    zero.dispose();
    lowest.dispose();
  });

  it("-Infinity after, then a 'valid' max pool, equals tfjs's 'same' max pool on an odd map", () => {
    const x = tf.randomNormal([2, 7, 7, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const tail: LayerSpec[] = [{ kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 5 }];
    const same = spec([7, 7, 3], [{ kind: 'maxPool', id: 'm', poolSize: 2, strides: 2, padding: 'same' }, ...tail]);
    const padded = spec([7, 7, 3], [{ kind: 'pad', id: 'p', pads: [0, 1, 0, 1], fill: 'lowest' }, { kind: 'maxPool', id: 'm', poolSize: 2, strides: 2, padding: 'valid' }, ...tail]);
    expect(logits(padded, x, 3, same)).toEqual(logits(same, x));
    x.dispose();
  });

  it("zeros around, then a 'valid' conv, equals tfjs's 'same' conv with the same weights", () => {
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    const tail: LayerSpec[] = [{ kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 4 }];
    const same = spec([6, 6, 2], [{ kind: 'conv2d', id: 'c', filters: 3, kernelSize: 3, strides: 1, padding: 'same' }, ...tail]);
    const padded = spec([6, 6, 2], [{ kind: 'pad', id: 'p', pads: [1, 1, 1, 1], fill: 'zero' }, { kind: 'conv2d', id: 'c', filters: 3, kernelSize: 3, strides: 1, padding: 'valid' }, ...tail]);
    const [a, b] = [logits(padded, x, 3, same), logits(same, x)];
    a.forEach((value, i) => expect(value).toBeCloseTo(b[i], 5));
    x.dispose();
  });

  it('passes the gradient of its interior back and none of its border, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const model = buildModel(spec([3, 3, 1], [{ kind: 'pad', id: 'p', pads: [2, 0, 1, 1], fill: 'zero' }, { kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 1 }]), { taps: [], seed: 2 });
    const x = tf.ones([1, 3, 3, 1]);
    const grad = tf.grad((input: tf.Tensor) => (model.apply(input) as tf.Tensor).sum())(x);
    // d(sum of dense)/d(pixel) = the dense weight that reads the pixel's padded position: row r+2, column c+1 of a 5 x 5 map.
    const kernel = (model.getLayer('d').getWeights()[0].dataSync() as Float32Array);
    const expected = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => kernel[(r + 2) * 5 + (c + 1)]));
    Array.from(grad.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 6));
    tf.dispose([x, grad]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts no parameters or FLOPs and refuses borders that are not four whole numbers >= 0', () => {
    const padded = spec([5, 5, 2], [{ kind: 'pad', id: 'p', pads: [1, 2, 0, 3], fill: 'zero' }, { kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 2 }]);
    const summary = summarizeArchitecture(padded);
    expect(summary.layers[0]).toMatchObject({ outputShape: [8, 8, 2], params: 0, flops: 0 });
    const bad = { ...padded, layers: [{ kind: 'pad', id: 'p', pads: [1, -1, 0, 0], fill: 'zero' } as LayerSpec, ...padded.layers.slice(1)] };
    expect(() => summarizeArchitecture(bad)).toThrow(ArchitectureError);
  });
});

describe('pad layers in experiment files', () => {
  const layer = (extra: Record<string, unknown>) => ({ name: 'm', inputShape: [4, 4, 1], layers: [{ kind: 'pad', id: 'p', ...extra }, { kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 2 }] });

  it('reads pads and fill', () => {
    expect(readArchitecture(layer({ pads: [0, 1, 1, 0], fill: 'lowest' }), 'model').layers[0]).toEqual({ kind: 'pad', id: 'p', pads: [0, 1, 1, 0], fill: 'lowest' });
  });

  it('says what is wrong with three borders, a negative border and an unknown fill', () => {
    expect(() => readArchitecture(layer({ pads: [0, 1, 1], fill: 'zero' }), 'model')).toThrow(/model\.layers\[0\]\.pads must be \[top, bottom, left, right\] \(got 3 numbers\)/);
    expect(() => readArchitecture(layer({ pads: [0, -1, 1, 0], fill: 'zero' }), 'model')).toThrow(/pads\[1\] must be at least 0/);
    expect(() => readArchitecture(layer({ pads: [0, 1, 1, 0], fill: 'reflect' }), 'model')).toThrow(/fill must be one of 'zero', 'lowest'/);
  });
});

describe('pad layers in the ONNX export (ATC has no Pad operator)', () => {
  const weightsOf = (architecture: ArchitectureSpec) => {
    const model = buildModel(architecture, { taps: [], seed: 1 });
    const weights = getLayerWeights(model, architecture);
    model.dispose();
    return weights;
  };

  it("folds a pad into the next conv's and max pool's pads, and writes no Pad node", () => {
    const architecture = spec([8, 8, 1], [
      { kind: 'pad', id: 'pz', pads: [1, 1, 1, 1], fill: 'zero' },
      { kind: 'conv2d', id: 'c', filters: 2, kernelSize: 3, strides: 2, padding: 'valid' },
      { kind: 'pad', id: 'pl', pads: [0, 1, 0, 1], fill: 'lowest' },
      { kind: 'maxPool', id: 'm', poolSize: 2, strides: 2, padding: 'valid' },
      { kind: 'flatten', id: 'f' },
      { kind: 'dense', id: 'd', units: 3 },
    ]);
    const graph = onnxProto.ModelProto.decode(exportOnnx(architecture, weightsOf(architecture))).graph!;
    const nodes = graph.node!;
    expect(nodes.map((node) => node.opType)).not.toContain('Pad');
    const pads = (op: string) => nodes.find((node) => node.opType === op)!.attribute!.find((attribute) => attribute.name === 'pads')!.ints!.map(Number);
    expect(pads('Conv')).toEqual([1, 1, 1, 1]); // ONNX order: top, left, bottom, right
    expect(pads('MaxPool')).toEqual([0, 0, 1, 1]);
  });

  it('refuses a pad read by anything but a conv or pool, naming the pad layer', () => {
    const architecture = spec([4, 4, 1], [{ kind: 'pad', id: 'pz', pads: [1, 1, 1, 1], fill: 'zero' }, { kind: 'relu', id: 'r' }, { kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 2 }]);
    expect(() => exportOnnx(architecture, weightsOf(architecture))).toThrow(OnnxExportError);
    expect(() => exportOnnx(architecture, weightsOf(architecture))).toThrow(/Pad layer 'pz' is read by 'r' \(relu\)/);
  });

  it('refuses a zero border before a max pool (ONNX pads a max pool with -Infinity)', () => {
    const architecture = spec([4, 4, 1], [{ kind: 'pad', id: 'pz', pads: [1, 1, 1, 1], fill: 'zero' }, { kind: 'maxPool', id: 'm', poolSize: 2, strides: 2, padding: 'valid' }, { kind: 'flatten', id: 'f' }, { kind: 'dense', id: 'd', units: 2 }]);
    expect(() => exportOnnx(architecture, weightsOf(architecture))).toThrow(/Pad layer 'pz' \(fill 'zero'\) cannot be exported into 'm' \(maxPool\)/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../data/types';
import { normalisedImages, onnxBatches, seededStudent } from '../export/export.testkit';
import { summarizeOnnx } from '../export/onnx';
import { compareLogits } from '../export/verify';
import { nodeOrtRunnerAt } from '../../scripts/lib/ort-node';
import type { ArchitectureSpec } from '../models/spec';
import { calibrate } from './ptq';
import { exportQdqOnnx } from './qdqExport';
import { activationPoints, int8Logits } from './quantForward';
import { loadMnist } from './quant.testkit';

/**
 * INT8 with the pad and concat layer kinds: a -Infinity border before a max pool is not a
 * quantisation point (it has no INT8 code; in the QDQ file it folds into the MaxPool), a concat is
 * one. Calibrated on real MNIST images; the QDQ export against tfjs's fake-quant model in
 * onnxruntime-node with its graph optimisations off.
 */

const IMAGES = 40;
let data: LoadedDataset;

beforeAll(async () => {
  data = await loadMnist(IMAGES, 200);
});

const spec: ArchitectureSpec = {
  name: 'padded-branches',
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'pad', id: 'pz', pads: [1, 1, 1, 1], fill: 'zero' },
    { kind: 'conv2d', id: 'stem', filters: 4, kernelSize: 3, strides: 2, padding: 'valid' },
    { kind: 'conv2d', id: 'branch', filters: 4, kernelSize: 1, strides: 1, padding: 'same' },
    { kind: 'concat', id: 'joined', inputs: ['stem', 'branch'] },
    { kind: 'pad', id: 'plow', pads: [1, 1, 1, 1], fill: 'lowest' },
    { kind: 'maxPool', id: 'pool', poolSize: 3, strides: 2, padding: 'valid' },
    { kind: 'relu', id: 'relu' },
    { kind: 'flatten', id: 'flat' },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

describe('INT8 with pad and concat layers', () => {
  it('calibrates finite ranges without the pads, and the QDQ export matches the fake-quant model', async () => {
    const points = activationPoints(spec);
    expect(points).toEqual(['input', 'stem', 'branch', 'joined', 'pool', 'relu', 'flat']);
    const { model, weights } = seededStudent(spec, 6);
    const params = await calibrate(model, spec, data.train, data.info, 100);
    expect([...params.keys()].sort()).toEqual([...points].sort());
    for (const [id, quant] of params) expect(Number.isFinite(quant.scale) && quant.scale > 0, id).toBe(true);

    const images = normalisedImages(data, 'test', 0, IMAGES);
    const xs = tf.tensor4d(images, [IMAGES, 28, 28, 1]);
    const logits = int8Logits(model, spec, params, xs);
    const expected = Float32Array.from(await logits.data());
    tf.dispose([xs, logits]);
    model.dispose();
    expect(expected.every(Number.isFinite)).toBe(true);

    const bytes = exportQdqOnnx(spec, weights, params);
    const ops = summarizeOnnx(bytes).ops;
    expect(ops).not.toContain('Pad');
    expect(ops.filter((op) => op === 'QuantizeLinear')).toHaveLength(points.length);
    const run = nodeOrtRunnerAt('disabled');
    const merged = new Float32Array(IMAGES * 10);
    (await run(bytes, onnxBatches(images, spec.inputShape, 1))).forEach((row, i) => merged.set(row, i * 10));
    const report = compareLogits([expected], [merged], 10, 1e-4);
    console.log(`[int8 pad/concat] QDQ parity: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
    expect(report.ok).toBe(true);
  });
});

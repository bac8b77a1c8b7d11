import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../data/types';
import { architecturePresets } from '../models/presets';
import type { ArchitectureSpec } from '../models/spec';
import { exportOnnx, summarizeOnnx } from './onnx';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages, onnxBatches, seededStudent, tfjsLogits } from './export.testkit';
import { compareLogits } from './verify';

/**
 * Parity of every preset with onnxruntime-node on real MNIST test images: the acceptance bar of
 * issue 3 (max |diff| < 1e-5, every predicted class equal).
 */

const IMAGES = 100;
let mnist: LoadedDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  mnist = await loadMnistSubset(IMAGES, 16);
});

async function parity(spec: ArchitectureSpec, seed: number, batch: number, denseForm: 'gemm' | 'matmul-add' = 'gemm') {
  const { model, weights } = seededStudent(spec, seed);
  try {
    const images = normalisedImages(mnist, 'test', 0, IMAGES);
    const expected = await tfjsLogits(model, images, spec.inputShape);
    const onnxBytes = exportOnnx(spec, weights, { batchSize: batch, denseForm });
    const actual = await nodeOnnxRunner(onnxBytes, onnxBatches(images, spec.inputShape, batch));
    const merged = new Float32Array(expected.length);
    actual.forEach((logits, i) => merged.set(logits, i * logits.length));
    return { report: compareLogits([expected], [merged], 10, 1e-5), onnxBytes };
  } finally {
    model.dispose();
  }
}

describe('ONNX export matches tfjs on real MNIST images', () => {
  for (const [presetId, spec] of Object.entries(architecturePresets)) {
    it(`${presetId}: max |diff| < 1e-5 and 100% class agreement on ${IMAGES} test images`, async () => {
      const { report, onnxBytes } = await parity(spec, 7, 1);
      expect(report.samples).toBe(IMAGES);
      expect(report.maxAbsDiff).toBeLessThan(1e-5);
      expect(report.classAgreement).toBe(1);
      const summary = summarizeOnnx(onnxBytes);
      expect(summary.opset).toBe(11);
      expect(summary.irVersion).toBe(6);
      expect(summary.ops).not.toContain('Dropout');
    });
  }

  it('keeps parity with a fixed batch of 20 and dense layers as MatMul + Add', async () => {
    const { report, onnxBytes } = await parity(architecturePresets['cnn-student'], 11, 20, 'matmul-add');
    expect(report.maxAbsDiff).toBeLessThan(1e-5);
    expect(report.classAgreement).toBe(1);
    expect(summarizeOnnx(onnxBytes).inputs[0].dims).toEqual([20, 1, 28, 28]);
    expect(summarizeOnnx(onnxBytes).ops).toContain('MatMul');
  });

  it('does not leak tfjs tensors', async () => {
    const before = tf.memory().numTensors;
    await parity(architecturePresets['cnn-student'], 3, 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

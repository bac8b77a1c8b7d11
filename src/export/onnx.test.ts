import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecturePresets } from '../models/presets';
import type { ArchitectureSpec, LayerKind, LayerWeights } from '../models/spec';
import { OnnxExportError } from './errors';
import { nodeOnnxRunner, onnxBatches, seededStudent, tfjsLogits } from './export.testkit';
import { exportOnnx, summarizeOnnx } from './onnx';
import { onnxProto } from './onnxProto';
import { ATC_SAFE_OPS, ONNX_OP_TABLE } from './opTable';
import { compareLogits } from './verify';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cnnStudent = architecturePresets['cnn-student'];
const weightsOf = (spec: ArchitectureSpec): LayerWeights[] => {
  const { model, weights } = seededStudent(spec, 1);
  model.dispose();
  return weights;
};

function expectExportError(spec: ArchitectureSpec, weights: LayerWeights[], layerId: string | undefined, hint: RegExp): void {
  try {
    exportOnnx(spec, weights);
  } catch (error) {
    expect(error).toBeInstanceOf(OnnxExportError);
    expect((error as OnnxExportError).layerId).toBe(layerId);
    expect((error as Error).message).toMatch(hint);
    return;
  }
  throw new Error('exportOnnx did not throw');
}

describe('op table', () => {
  it('maps every layer kind to ATC-safe operators only', () => {
    const kinds: LayerKind[] = [
      'dense', 'conv2d', 'depthwiseConv2d', 'maxPool', 'avgPool', 'globalAvgPool', 'flatten', 'relu', 'activation', 'batchNorm', 'dropout', 'pad', 'add', 'concat',
    ];
    expect(Object.keys(ONNX_OP_TABLE).sort()).toEqual([...kinds].sort());
    for (const mapping of Object.values(ONNX_OP_TABLE)) {
      for (const op of mapping.onnxOps) expect(ATC_SAFE_OPS).toContain(op);
    }
    expect(ONNX_OP_TABLE.dropout.onnxOps).toEqual([]);
    expect(ONNX_OP_TABLE.pad.onnxOps).toEqual([]); // folded into the reading conv's or pool's pads
  });
});

describe('exportOnnx structure', () => {
  const weights = weightsOf(cnnStudent);

  it('writes the cnn student as Conv/BatchNormalization/Relu/MaxPool/Flatten/Gemm with static shapes', () => {
    const summary = summarizeOnnx(exportOnnx(cnnStudent, weights));
    expect(summary.ops).toEqual([
      'Conv', 'BatchNormalization', 'Relu', 'MaxPool',
      'Conv', 'BatchNormalization', 'Relu', 'Conv', 'BatchNormalization', 'Relu', 'MaxPool',
      'Flatten', 'Gemm',
    ]);
    expect(summary.inputs).toEqual([{ name: 'input', dims: [1, 1, 28, 28] }]);
    expect(summary.outputs).toEqual([{ name: 'logits', dims: [1, 10] }]);
    expect([summary.opset, summary.irVersion]).toEqual([11, 6]);
  });

  it('writes explicit attributes: epsilon, pads, Gemm alpha/beta/transA, Flatten axis', () => {
    const model = onnxProto.ModelProto.decode(exportOnnx(cnnStudent, weights));
    const attrs = (opType: string) => {
      const node = model.graph?.node?.find((candidate) => candidate.opType === opType);
      return Object.fromEntries((node?.attribute ?? []).map((a) => [a.name, a.type === 1 ? a.f : a.type === 2 ? Number(a.i) : a.ints?.map(Number)]));
    };
    expect(attrs('BatchNormalization').epsilon).toBeCloseTo(1e-3, 9);
    expect(attrs('Conv')).toMatchObject({ kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], group: 1 });
    expect(attrs('Conv').auto_pad).toBeUndefined();
    expect(attrs('MaxPool')).toEqual({ kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] });
    expect(attrs('Gemm')).toEqual({ alpha: 1, beta: 1, transA: 0, transB: 0 });
    expect(attrs('Flatten')).toEqual({ axis: 1 });
  });

  it('adds Softmax as a second output "probs", a fixed batch and opset 13 on request', () => {
    const summary = summarizeOnnx(exportOnnx(cnnStudent, weights, { softmaxOutput: true, batchSize: 4, opset: 13 }));
    expect(summary.ops.at(-1)).toBe('Softmax');
    expect(summary.outputs).toEqual([{ name: 'logits', dims: [4, 10] }, { name: 'probs', dims: [4, 10] }]);
    expect([summary.opset, summary.irVersion]).toEqual([13, 7]);
  });

  it('omits dropout and folds a batch norm on a dense output into the Gemm', () => {
    const spec: ArchitectureSpec = {
      name: 'mlp-bn', inputShape: [4, 4, 1],
      layers: [
        { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc1', units: 8 },
        { kind: 'dropout', id: 'drop', rate: 0.5 }, { kind: 'batchNorm', id: 'bn', epsilon: 1e-3, momentum: 0.99 },
        { kind: 'relu', id: 'relu' }, { kind: 'dense', id: 'out', units: 3 },
      ],
    };
    expect(summarizeOnnx(exportOnnx(spec, weightsOf(spec))).ops).toEqual(['Flatten', 'Gemm', 'Relu', 'Gemm']);
  });
});

describe('exportOnnx matches tfjs on awkward layouts (asymmetric padding, folded batch norms)', () => {
  const spec: ArchitectureSpec = {
    name: 'awkward', inputShape: [7, 6, 3],
    layers: [
      { kind: 'conv2d', id: 'conv-a', filters: 4, kernelSize: 2, strides: 2, padding: 'same' }, // 7x6 -> 4x3, padded below only
      { kind: 'batchNorm', id: 'bn-a', epsilon: 1e-3, momentum: 0.99 },
      { kind: 'relu', id: 'relu-a' },
      { kind: 'avgPool', id: 'avg', poolSize: 3, strides: 2, padding: 'same' }, // 4x3 -> 2x2, padding excluded from the mean
      { kind: 'maxPool', id: 'max', poolSize: 2, strides: 1, padding: 'same' },
      { kind: 'flatten', id: 'flatten' },
      { kind: 'dense', id: 'fc', units: 6 },
      { kind: 'batchNorm', id: 'bn-fc', epsilon: 1e-3, momentum: 0.9 }, // folds into the previous dense layer
      { kind: 'relu', id: 'relu-b' },
      { kind: 'batchNorm', id: 'bn-vector', epsilon: 1e-2, momentum: 0.9 }, // folds into the next dense layer
      { kind: 'dense', id: 'logits', units: 4 },
    ],
  };

  it('agrees with tfjs to 1e-5 on random inputs, batch 3', async () => {
    const { model, weights } = seededStudent(spec, 5);
    const images = Float32Array.from({ length: 3 * 7 * 6 * 3 }, (_, i) => Math.sin(i * 0.37) * 2);
    const expected = await tfjsLogits(model, images, spec.inputShape);
    model.dispose();
    const onnx = exportOnnx(spec, weights, { batchSize: 3 });
    expect(summarizeOnnx(onnx).ops).toEqual([
      'Conv', 'BatchNormalization', 'Relu', 'AveragePool', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm',
    ]);
    const actual = await nodeOnnxRunner(onnx, onnxBatches(images, spec.inputShape, 3));
    const report = compareLogits([expected], actual, 4, 1e-5);
    expect(report.maxAbsDiff).toBeLessThan(1e-5);
    expect(report.ok).toBe(true);
  });
});

describe('exportOnnx errors name the layer and the fix', () => {
  const weights = weightsOf(cnnStudent);

  it('rejects a batch norm on a vector that no dense layer can absorb', () => {
    const spec: ArchitectureSpec = {
      name: 'bad-bn', inputShape: [4, 4, 1],
      layers: [
        { kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc', units: 8 }, { kind: 'relu', id: 'r1' },
        { kind: 'batchNorm', id: 'bn', epsilon: 1e-3, momentum: 0.99 }, { kind: 'relu', id: 'r2' },
        { kind: 'dense', id: 'out', units: 2 },
      ],
    };
    expectExportError(spec, weightsOf(spec), 'bn', /directly after or directly before a dense layer/);
  });

  it('rejects missing or mismatched weights', () => {
    expectExportError(cnnStudent, weights.filter((w) => w.layerId !== 'conv2'), 'conv2', /No trained weights.*train the student/);
    const teacherWeights = weightsOf(architecturePresets['cnn-teacher']);
    expectExportError(cnnStudent, teacherWeights, 'conv1', /different architecture/);
  });

  it('rejects invalid architectures, opsets and input names', () => {
    const convAfterFlatten: ArchitectureSpec = {
      ...cnnStudent, layers: [{ kind: 'flatten', id: 'f' }, { kind: 'conv2d', id: 'c', filters: 2, kernelSize: 3, strides: 1, padding: 'same' }, ...cnnStudent.layers.slice(-1)],
    };
    expectExportError(convAfterFlatten, weights, 'c', /Cannot export/);
    expect(() => exportOnnx(cnnStudent, weights, { opset: 17 })).toThrow(/opset 9 to 13; use 11/);
    expect(() => exportOnnx(cnnStudent, weights, { inputName: 'my input' })).toThrow(OnnxExportError);
    expect(() => exportOnnx(cnnStudent, weights, { batchSize: 0 })).toThrow(/Batch size 0/);
  });
});

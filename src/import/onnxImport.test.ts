import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { pytorchUnavailable } from '../../scripts/lib/pytorch-bench';
import { loadDataset } from '../data/loader';
import type { LoadedDataset } from '../data/types';
import { exportOnnx } from '../export/onnx';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages, seededStudent } from '../export/export.testkit';
import { onnxProto } from '../export/onnxProto';
import { cifarArchitecturePresets } from '../models/cifarPresets';
import { architecturePresets } from '../models/presets';
import type { ArchitectureSpec } from '../models/spec';
import { importParity, IMPORT_TOLERANCE } from './onnxParity';
import { convertOnnxTeacher } from './onnxToSpec';

/**
 * The converter on ONNX files made by real tools: the studio's own exporter, PyTorch (Debian
 * python3-torch), and the committed PyTorch-trained fixture; parity with onnxruntime-node on real
 * images. Measured max |diff| is printed for the report.
 */

const IMAGES = 50;
const MNIST = { shape: [28, 28, 1] as [number, number, number], classes: 10 };
const FIXTURE = 'e2e/fixtures/mnist-torch-teacher.onnx';
let mnist: LoadedDataset;
let cifar: LoadedDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  mnist = await loadMnistSubset(IMAGES, 8);
  cifar = await loadDataset({ datasetId: 'cifar10', trainSubset: 8, validationSize: 0, testSubset: IMAGES, augmentShift: 0 }, nodeAssetReader());
});

async function roundTrip(spec: ArchitectureSpec, data: LoadedDataset, denseForm: 'gemm' | 'matmul-add' = 'gemm') {
  const { model, weights } = seededStudent(spec, 5);
  model.dispose();
  const bytes = exportOnnx(spec, weights, { batchSize: 1, denseForm });
  const teacher = convertOnnxTeacher(bytes, { shape: spec.inputShape, classes: 10 });
  const report = await importParity(bytes, teacher, normalisedImages(data, 'test', 0, IMAGES), nodeOnnxRunner);
  return { teacher, report };
}

describe('studio-exported ONNX files convert back to an equal network', () => {
  for (const [id, spec, dataset] of [
    ['article-student (MLP)', architecturePresets['article-student'], 'mnist'],
    ['cnn-teacher', architecturePresets['cnn-teacher'], 'mnist'],
    ['resnet8 (CIFAR DAG)', cifarArchitecturePresets.resnet8, 'cifar'],
    ['mobilenet-student (depthwise, ReLU6)', cifarArchitecturePresets['mobilenet-student'], 'cifar'],
  ] as const) {
    it(`${id}: logits within ${IMPORT_TOLERANCE} of onnxruntime-node on ${IMAGES} real test images`, async () => {
      const { teacher, report } = await roundTrip(spec, dataset === 'mnist' ? mnist : cifar);
      console.log(`[onnx import] ${id}: max |diff| ${report.maxAbsDiff.toExponential(2)}, class agreement ${report.classAgreement}, ${teacher.spec.layers.length} layers`);
      expect(report.samples).toBe(IMAGES);
      expect(report.ok).toBe(true);
      expect(teacher.summary.opset).toBe(11);
      expect(teacher.summary.layout).toBe('nchw');
      expect(teacher.summary.guides.length).toBe(teacher.spec.layers.length - 1);
      if (id.startsWith('resnet8')) expect(teacher.spec.layers.some((layer) => layer.kind === 'add')).toBe(true);
      if (id.startsWith('mobilenet')) expect(teacher.spec.layers.some((layer) => layer.kind === 'depthwiseConv2d')).toBe(true);
    });
  }

  it('dense layers exported as MatMul + Add fold back into dense layers', async () => {
    const { teacher, report } = await roundTrip(architecturePresets['cnn-student'], mnist, 'matmul-add');
    expect(teacher.summary.ops).toContain('MatMul');
    expect(teacher.spec.layers.filter((layer) => layer.kind === 'dense').length).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  });

  it('does not leak tfjs tensors', async () => {
    const before = tf.memory().numTensors;
    await roundTrip(architecturePresets['cnn-student'], mnist);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the committed PyTorch-trained MNIST teacher (scripts/make_onnx_teacher.py)', () => {
  it('converts with its Softmax dropped, matches onnxruntime-node, and classifies real test images', async () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));
    const teacher = convertOnnxTeacher(bytes, MNIST);
    expect(teacher.summary).toMatchObject({ opset: 13, layout: 'nchw', softmaxDropped: true, inputDims: ['batch', 1, 28, 28] });
    expect(teacher.summary.producer).toMatch(/^pytorch/);
    expect(teacher.spec.layers.map((layer) => layer.kind)).toEqual(
      ['conv2d', 'relu', 'maxPool', 'conv2d', 'relu', 'maxPool', 'flatten', 'dense', 'relu', 'dense']);
    const images = normalisedImages(mnist, 'test', 0, IMAGES);
    const report = await importParity(bytes, teacher, images, nodeOnnxRunner);
    console.log(`[onnx import] PyTorch fixture: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
    expect(report.ok).toBe(true);
  });
});

const PYTHON = process.env.PYTORCH_PYTHON ?? '/usr/bin/python3';
const noTorch = pytorchUnavailable();
if (noTorch) console.warn(`SKIPPED: ${noTorch}; the PyTorch ONNX import test did not run.`);

/** BatchNorm after ReLU (so the exporter cannot fold it into the conv), BatchNorm1d, MaxPool, Flatten+Gemm, random statistics. */
const TORCH_MODEL = `
import sys, torch
from torch import nn
torch.manual_seed(3)
net = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.BatchNorm2d(6), nn.MaxPool2d(2), nn.Conv2d(6, 8, 3, padding=1),
                    nn.ReLU(), nn.MaxPool2d(3, stride=2), nn.Flatten(), nn.Linear(8 * 5 * 5, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 10))
for m in net.modules():
    if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
        m.running_mean.uniform_(-0.5, 0.5); m.running_var.uniform_(0.5, 2.0); m.weight.data.uniform_(0.5, 1.5); m.bias.data.uniform_(-0.3, 0.3)
net.eval()
torch.onnx.export(net, torch.zeros(1, 1, 28, 28), sys.argv[1], opset_version=int(sys.argv[2]), input_names=['x'], output_names=['y'], dynamic_axes={'x': {0: 'n'}, 'y': {0: 'n'}})
`;

describe.skipIf(noTorch !== null)('a model exported by PyTorch', () => {
  for (const opset of [9, 17]) {
    it(`opset ${opset}: BatchNorm, MaxPool, Flatten+Gemm convert and match onnxruntime-node`, async () => {
      const folder = mkdtempSync(join(tmpdir(), 'onnx-import-'));
      writeFileSync(join(folder, 'make.py'), TORCH_MODEL);
      const run = spawnSync(PYTHON, ['make.py', 'model.onnx', String(opset)], { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      expect(run.status, run.stderr).toBe(0);
      const bytes = new Uint8Array(readFileSync(join(folder, 'model.onnx')));
      const teacher = convertOnnxTeacher(bytes, MNIST);
      expect(teacher.spec.layers.filter((layer) => layer.kind === 'batchNorm')).toHaveLength(2);
      expect(teacher.summary.ops).toEqual(expect.arrayContaining(['BatchNormalization', 'MaxPool', 'Flatten', 'Gemm']));
      const report = await importParity(bytes, teacher, normalisedImages(mnist, 'test', 0, IMAGES), nodeOnnxRunner);
      console.log(`[onnx import] PyTorch opset ${opset}: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
      expect(report.ok).toBe(true);
    });
  }
});

/** An MLP on NHWC images [N, 28, 28, 1] (flattened in tfjs order, so no row permutation), ReLU6 as Clip(0, 6) and Sigmoid. */
const TORCH_NHWC_MLP = `
import sys, torch
from torch import nn
torch.manual_seed(4)
net = nn.Sequential(nn.Flatten(), nn.Linear(784, 48), nn.ReLU6(), nn.Linear(48, 24), nn.Sigmoid(), nn.Linear(24, 10)).eval()
torch.onnx.export(net, torch.zeros(1, 28, 28, 1), sys.argv[1], opset_version=int(sys.argv[2]), input_names=['x'], output_names=['y'], dynamic_axes={'x': {0: 'n'}, 'y': {0: 'n'}})
`;

function torchOnnx(source: string, opset: number): Uint8Array {
  const folder = mkdtempSync(join(tmpdir(), 'onnx-import-'));
  writeFileSync(join(folder, 'make.py'), source);
  const run = spawnSync(PYTHON, ['make.py', 'model.onnx', String(opset)], { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  expect(run.status, run.stderr).toBe(0);
  return new Uint8Array(readFileSync(join(folder, 'model.onnx')));
}

describe.skipIf(noTorch !== null)('a PyTorch MLP on NHWC images', () => {
  for (const opset of [9, 13]) {
    it(`opset ${opset}: Clip(0, 6) (attributes before opset 11, inputs after) and Sigmoid convert and match onnxruntime-node`, async () => {
      const bytes = torchOnnx(TORCH_NHWC_MLP, opset);
      const teacher = convertOnnxTeacher(bytes, MNIST);
      expect(teacher.summary.layout).toBe('nhwc');
      expect(teacher.spec.layers.map((layer) => (layer.kind === 'activation' ? layer.fn : layer.kind)))
        .toEqual(['flatten', 'dense', 'relu6', 'dense', 'sigmoid', 'dense']);
      const report = await importParity(bytes, teacher, normalisedImages(mnist, 'test', 0, IMAGES), nodeOnnxRunner);
      console.log(`[onnx import] PyTorch NHWC MLP opset ${opset}: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
      expect(report.ok).toBe(true);
    });
  }
});

/** The fixture with `edit` applied to its decoded proto. */
function edited(edit: (model: ReturnType<typeof onnxProto.ModelProto.decode>) => void): Uint8Array {
  const model = onnxProto.ModelProto.decode(new Uint8Array(readFileSync(FIXTURE)));
  edit(model);
  return onnxProto.ModelProto.encode(model).finish();
}

describe('unsupported models are refused with a coded error', () => {
  const refusal = (bytes: Uint8Array, expect_ = MNIST) => {
    try {
      convertOnnxTeacher(bytes, expect_);
    } catch (error) {
      return error as { code: string; message: string; detail: Record<string, unknown> };
    }
    throw new Error('converted');
  };

  it('an unsupported operator, naming its type and node', () => {
    const error = refusal(edited((model) => {
      const relu = model.graph!.node!.find((node) => node.opType === 'Relu')!;
      relu.opType = 'LeakyRelu';
    }));
    expect(error.code).toBe('unsupportedOps');
    expect(error.detail).toEqual({ ops: 'LeakyRelu', nodes: '/2/Relu' });
  });

  it('an opset outside 9-17', () => {
    const error = refusal(edited((model) => { model.opsetImport![0].version = 18; }));
    expect(error.code).toBe('opset');
    expect(error.detail).toEqual({ opset: 18, min: 9, max: 17 });
  });

  it('an input that does not fit the dataset', () => {
    const error = refusal(new Uint8Array(readFileSync(FIXTURE)), { shape: [32, 32, 3], classes: 10 });
    expect(error.code).toBe('inputShape');
    expect(error.detail).toEqual({ actual: '[batch, 1, 28, 28]', expected: '[N, 3, 32, 32] or [N, 32, 32, 3]' });
  });

  it('a class count that differs from the dataset', () => {
    const error = refusal(new Uint8Array(readFileSync(FIXTURE)), { shape: [28, 28, 1], classes: 100 });
    expect(error.code).toBe('outputShape');
  });

  it('a dilated convolution, naming the node and attribute', () => {
    const error = refusal(edited((model) => {
      const conv = model.graph!.node!.find((node) => node.opType === 'Conv')!;
      conv.attribute!.find((attribute) => attribute.name === 'dilations')!.ints = [2, 2];
    }));
    expect(error.code).toBe('unsupportedAttributes');
    expect(error.detail).toEqual({ node: '/0/Conv', op: 'Conv', attribute: 'dilations' });
  });

  it('a transpose that is not a layout change (N, C, H, W to N, C, W, H)', () => {
    const error = refusal(edited((model) => {
      const graph = model.graph!;
      const index = graph.node!.findIndex((node) => node.opType === 'Relu');
      const relu = graph.node![index];
      const transpose = onnxProto.NodeProto.create({
        opType: 'Transpose', name: 'swap_hw', input: [relu.output![0]], output: ['swapped'],
        attribute: [onnxProto.AttributeProto.create({ name: 'perm', type: onnxProto.AttributeProto.AttributeType.INTS, ints: [0, 1, 3, 2] })],
      });
      for (const node of graph.node!.slice(index + 1)) node.input = node.input!.map((name) => (name === relu.output![0] ? 'swapped' : name));
      graph.node!.splice(index + 1, 0, transpose);
    }));
    expect(error.code).toBe('unsupportedAttributes');
    expect(error.detail).toEqual({ node: 'swap_hw', op: 'Transpose', attribute: 'perm' });
  });

  it('bytes that are not an ONNX model', () => {
    expect(refusal(new TextEncoder().encode('this is not a protobuf at all')).code).toBe('malformed');
    expect(refusal(new Uint8Array(readFileSync(FIXTURE)).slice(0, 1000)).code).toBe('malformed');
  });
});

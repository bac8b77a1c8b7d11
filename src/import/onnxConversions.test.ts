import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pytorchUnavailable } from '../../scripts/lib/pytorch-bench';
import type { LoadedDataset } from '../data/types';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages } from '../export/export.testkit';
import { exportOnnx } from '../export/onnx';
import { onnxProto } from '../export/onnxProto';
import { importParity } from './onnxParity';
import { convertOnnxTeacher, type ConvertedTeacher } from './onnxToSpec';

/**
 * PyTorch-style padding (even borders where TensorFlow's 'same' puts the extra row after, Pad
 * nodes, padded max and average pools), branches joined by Concat, and tf2onnx-style layout transposes, on models PyTorch
 * exports (Debian python3-torch); parity with onnxruntime-node on real MNIST test images, and the
 * converted network exported again by the studio (pads folded into Conv/MaxPool/AveragePool).
 */

const IMAGES = 40;
const MNIST = { shape: [28, 28, 1] as [number, number, number], classes: 10 };
const PYTHON = process.env.PYTORCH_PYTHON ?? '/usr/bin/python3';
const noTorch = pytorchUnavailable();
if (noTorch) console.warn(`SKIPPED: ${noTorch}; the ONNX padding and transpose import tests did not run.`);

let mnist: LoadedDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  mnist = await loadMnistSubset(IMAGES, 8);
});

function torchOnnx(source: string, opset: number): Uint8Array {
  const folder = mkdtempSync(join(tmpdir(), 'onnx-padding-'));
  writeFileSync(join(folder, 'make.py'), source);
  const run = spawnSync(PYTHON, ['make.py', 'model.onnx', String(opset)], { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  expect(run.status, run.stderr).toBe(0);
  return new Uint8Array(readFileSync(join(folder, 'model.onnx')));
}

const EXPORT = `
torch.onnx.export(Net().eval(), torch.zeros(SHAPE), sys.argv[1], opset_version=int(sys.argv[2]), input_names=['x'], output_names=['y'], dynamic_axes={'x': {0: 'n'}, 'y': {0: 'n'}})
`;

/**
 * A ResNet-like stem: conv 3x3 stride 2 padding 1 (even borders on 28 x 28, where 'same' pads only
 * after), a max pool 3x3 stride 2 padding 1 on batch-normed values that can be negative (so a zero
 * border would change the maximum), ZeroPad2d (a Pad node), and an average pool that counts its padding.
 */
const RESNET_STEM = `
import sys, torch
from torch import nn
torch.manual_seed(5)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.norm = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        # ZeroPad2d only where PyTorch writes it as one Pad node (opset < 11; see maxPoolPaddingAsPadNode).
        self.pad = nn.ZeroPad2d((0, 1, 0, 1)) if int(sys.argv[2]) < 11 else nn.Identity()
        self.conv2 = nn.Conv2d(8, 12, 2) if int(sys.argv[2]) < 11 else nn.Conv2d(8, 12, 3, padding=1)
        self.avg = nn.AvgPool2d(3, stride=1, padding=1)
        self.fc = nn.Linear(12 * 7 * 7, 10)
        self.norm.running_mean.uniform_(-0.5, 0.5); self.norm.running_var.uniform_(0.5, 2.0)
        self.norm.weight.data.uniform_(0.5, 1.5); self.norm.bias.data.uniform_(-1.0, 0.3)
    def forward(self, x):
        x = self.pool(self.norm(self.conv1(x)))  # no ReLU before conv2, so a pooled negative value matters
        x = torch.relu(self.conv2(self.pad(x)))
        return self.fc(torch.flatten(self.avg(x), 1))
${EXPORT.replace('SHAPE', '1, 1, 28, 28')}`;

/** tf2onnx's pattern: NHWC image, Transpose to NCHW for the convolutions, Transpose back before the flatten. */
const NHWC_CNN = `
import sys, torch
from torch import nn
torch.manual_seed(6)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 6, 3, padding=1)
        self.fc = nn.Linear(6 * 14 * 14, 10)
    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv(x.permute(0, 3, 1, 2))), 2)
        return self.fc(torch.flatten(x.permute(0, 2, 3, 1), 1))
${EXPORT.replace('SHAPE', '1, 28, 28, 1')}`;

const AVG_WITHOUT_PADDING_COUNT = `
import sys, torch
from torch import nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.avg = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.fc = nn.Linear(14 * 14, 10)
    def forward(self, x):
        return self.fc(torch.flatten(self.avg(x), 1))
${EXPORT.replace('SHAPE', '1, 1, 28, 28')}`;

/** The converted network exported by the studio's own exporter, as an NCHW model with a batch of 1. */
function reexported(teacher: ConvertedTeacher): { bytes: Uint8Array; teacher: ConvertedTeacher } {
  const bytes = exportOnnx(teacher.spec, teacher.weights, { batchSize: 1 });
  const [h, w, c] = teacher.spec.inputShape;
  return { bytes, teacher: { ...teacher, summary: { ...teacher.summary, layout: 'nchw', softmaxDropped: false, inputDims: [1, c, h, w] } } };
}

const opTypes = (bytes: Uint8Array): string[] => (onnxProto.ModelProto.decode(bytes).graph?.node ?? []).map((node) => node.opType ?? '');

/**
 * PyTorch 1.13 writes ZeroPad2d at opset 11+ as a shape computation (ConstantOfShape, Concat, Slice),
 * so the opset-13 case gets its Pad node by hand: the max pool's padding moved into a Pad node with
 * constant `pads` and `constant_value` inputs, the form opset 11 introduced. Same function, same shapes.
 */
function maxPoolPaddingAsPadNode(bytes: Uint8Array): Uint8Array {
  const model = onnxProto.ModelProto.decode(bytes);
  const graph = model.graph!;
  const index = graph.node!.findIndex((node) => node.opType === 'MaxPool');
  const pool = graph.node![index];
  pool.attribute!.find((attribute) => attribute.name === 'pads')!.ints = [0, 0, 0, 0];
  graph.initializer!.push(
    onnxProto.TensorProto.create({ name: 'pool_pads', dims: [8], dataType: onnxProto.TensorProto.DataType.INT64, int64Data: [0, 0, 1, 1, 0, 0, 1, 1] }),
    onnxProto.TensorProto.create({ name: 'pool_fill', dims: [], dataType: onnxProto.TensorProto.DataType.FLOAT, floatData: [-Infinity] }),
  );
  const pad = onnxProto.NodeProto.create({ opType: 'Pad', name: 'pool_pad', input: [pool.input![0], 'pool_pads', 'pool_fill'], output: ['pool_padded'] });
  pool.input = ['pool_padded'];
  graph.node!.splice(index, 0, pad);
  return onnxProto.ModelProto.encode(model).finish();
}

describe.skipIf(noTorch !== null)('PyTorch padding converts exactly', () => {
  for (const opset of [9, 13]) {
    it(`opset ${opset}: stride-2 conv and max pool with padding 1, Pad nodes and a counting average pool match onnxruntime-node`, async () => {
      const bytes = opset === 9 ? torchOnnx(RESNET_STEM, opset) : maxPoolPaddingAsPadNode(torchOnnx(RESNET_STEM, opset));
      const teacher = convertOnnxTeacher(bytes, MNIST);
      expect(teacher.summary.ops).toEqual(expect.arrayContaining(['Pad', 'MaxPool', 'AveragePool']));
      const pads = teacher.spec.layers.filter((layer) => layer.kind === 'pad');
      expect(pads.map((layer) => [layer.pads, layer.fill])).toEqual([
        [[1, 1, 1, 1], 'zero'], // conv1: PyTorch's even border, where 'same' would pad [0, 1, 0, 1]
        [[1, 1, 1, 1], 'lowest'], // the max pool ignores its border (a Pad node of -Infinity at opset 13)
        ...(opset === 9 ? [[[0, 1, 0, 1], 'zero']] : []), // ZeroPad2d((left 0, right 1, top 0, bottom 1))
        [[1, 1, 1, 1], 'zero'], // the average pool counts its zeros (count_include_pad)
      ]);
      const guideIds = new Set(teacher.summary.guides.map((guide) => guide.layerId));
    expect(pads.filter((layer) => guideIds.has(layer.id))).toEqual([]);
    expect(guideIds.size).toBe(teacher.spec.layers.length - 1 - pads.length);
      const images = normalisedImages(mnist, 'test', 0, IMAGES);
      const report = await importParity(bytes, teacher, images, nodeOnnxRunner);
      console.log(`[onnx import] PyTorch padded stem, opset ${opset}: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
      expect(report.ok).toBe(true);

      // Exported again: no Pad node (ATC's list has none); each border goes into its window's pads.
      const again = reexported(teacher);
      expect(opTypes(again.bytes)).not.toContain('Pad');
      const reexport = await importParity(again.bytes, again.teacher, images, nodeOnnxRunner);
      console.log(`[onnx import] padded stem exported again: max |diff| ${reexport.maxAbsDiff.toExponential(2)}`);
      expect(reexport.ok).toBe(true);
    });
  }

  it('a zero border changes the max pool: the converter does not get -Infinity right by accident', async () => {
    const bytes = torchOnnx(RESNET_STEM, 9);
    const teacher = convertOnnxTeacher(bytes, MNIST);
    const zeroed: ConvertedTeacher = {
      ...teacher,
      spec: { ...teacher.spec, layers: teacher.spec.layers.map((layer) => (layer.kind === 'pad' ? { ...layer, fill: 'zero' as const } : layer)) },
    };
    const report = await importParity(bytes, zeroed, normalisedImages(mnist, 'test', 0, IMAGES), nodeOnnxRunner);
    expect(report.maxAbsDiff).toBeGreaterThan(1e-2);
  });

  it('an average pool that leaves its padding out of the count is refused, naming the node', () => {
    const bytes = torchOnnx(AVG_WITHOUT_PADDING_COUNT, 13);
    expect(() => convertOnnxTeacher(bytes, MNIST)).toThrow(expect.objectContaining({ code: 'unsupportedAttributes', detail: expect.objectContaining({ op: 'AveragePool', attribute: 'count_include_pad' }) }));
  });
});

/** Inception-style branches joined by torch.cat on channels, and a flattened map joined to a pooled vector. */
const BRANCHES = `
import sys, torch
from torch import nn
torch.manual_seed(7)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 4, 1)
        self.b = nn.Conv2d(1, 6, 3, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(10 * 14 * 14 + 10, 10)
    def forward(self, x):
        y = torch.max_pool2d(torch.relu(torch.cat([self.a(x), self.b(x)], 1)), 2)
        return self.fc(torch.cat([torch.flatten(y, 1), torch.flatten(self.gap(y), 1)], 1))
${EXPORT.replace('SHAPE', '1, 1, 28, 28')}`;

describe.skipIf(noTorch !== null)('PyTorch branches joined by torch.cat', () => {
  it('Concat of maps and of a flattened map with a vector converts to concat layers and matches onnxruntime-node', async () => {
    const bytes = torchOnnx(BRANCHES, 13);
    const teacher = convertOnnxTeacher(bytes, MNIST);
    expect(teacher.spec.layers.filter((layer) => layer.kind === 'concat')).toHaveLength(2);
    const report = await importParity(bytes, teacher, normalisedImages(mnist, 'test', 0, IMAGES), nodeOnnxRunner);
    console.log(`[onnx import] PyTorch torch.cat branches: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
    expect(report.ok).toBe(true);
  });
});

describe.skipIf(noTorch !== null)('tf2onnx-style NHWC models with layout transposes', () => {
  it('Transpose to NCHW and back converts to no layer at all, flattens in tfjs order, and matches onnxruntime-node', async () => {
    const bytes = torchOnnx(NHWC_CNN, 13);
    const teacher = convertOnnxTeacher(bytes, MNIST);
    expect(teacher.summary.layout).toBe('nhwc');
    expect(teacher.summary.ops).toContain('Transpose');
    expect(teacher.spec.layers.map((layer) => layer.kind)).toEqual(['conv2d', 'relu', 'maxPool', 'flatten', 'dense']);
    const report = await importParity(bytes, teacher, normalisedImages(mnist, 'test', 0, IMAGES), nodeOnnxRunner);
    console.log(`[onnx import] NHWC CNN with transposes: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
    expect(report.ok).toBe(true);
  });
});

describe('the committed NHWC, padded PyTorch teacher (scripts/make_onnx_teacher.py --variant nhwc-padded)', () => {
  it('converts with its transposes gone and its borders as pad layers, and matches onnxruntime-node', async () => {
    const bytes = new Uint8Array(readFileSync('e2e/fixtures/mnist-torch-nhwc-padded.onnx'));
    const teacher = convertOnnxTeacher(bytes, MNIST);
    expect(teacher.summary).toMatchObject({ opset: 13, layout: 'nhwc', softmaxDropped: false, inputDims: ['batch', 28, 28, 1] });
    expect(teacher.spec.layers.map((layer) => layer.kind)).toEqual(
      ['pad', 'conv2d', 'relu', 'pad', 'maxPool', 'conv2d', 'relu', 'pad', 'avgPool', 'flatten', 'dense']);
    const images = normalisedImages(mnist, 'test', 0, IMAGES);
    const report = await importParity(bytes, teacher, images, nodeOnnxRunner);
    console.log(`[onnx import] NHWC padded fixture: max |diff| ${report.maxAbsDiff.toExponential(2)}`);
    expect(report.ok).toBe(true);
  });
});

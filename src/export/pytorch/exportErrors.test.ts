import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../../graph/compile';
import { parseExperiment } from '../../graph/serialize';
import { cifarArchitecturePresets } from '../../models/cifarPresets';
import type { ArchitectureSpec } from '../../models/spec';
import { networkClass, samePadding } from './modelsPy';
import { importWeightsFile } from './importWeights';
import { pytorchProjectFiles } from './project';

const plan = (preset: string) =>
  compileExperiment(parseExperiment(readFileSync(new URL(`../../../public/presets/${preset}`, import.meta.url), 'utf8')));

describe('PyTorch project export', () => {
  it('refuses an experiment with a loss it does not implement, naming the loss', () => {
    expect(() => pytorchProjectFiles({ plan: plan('crd-mnist.json') })).toThrow(/does not support these losses yet: .*CRD/i);
  });

  it('pads "same" as tfjs does: the odd extra row goes after', () => {
    expect(samePadding(28, 3, 1)).toEqual([1, 1]);
    expect(samePadding(28, 3, 2)).toEqual([0, 1]);
    expect(samePadding(7, 2, 2)).toEqual([0, 1]);
  });

  it('wires DAG layers from their real inputs: resnet8\'s residual adds, branches, bias-free convs and pooling', () => {
    const source = networkClass(cifarArchitecturePresets.resnet8, 'ResNet8');
    const lines = source.split('\n').map((line) => line.trim());
    // Identity shortcut, then a projected one (1x1 conv + BN of the block's input).
    expect(lines).toContain('h["s1b1-add"] = h["s1b1-bn2"] + h["relu1"]');
    expect(lines).toContain('h["s2b1-add"] = h["s2b1-bn2"] + h["s2b1-scbn"]');
    expect(lines).toContain('h["s2b1-sc"] = self.layers["s2b1-sc"](h["s1b1-out"])');
    expect(lines).toContain('h["s2b1-conv1"] = self.layers["s2b1-conv1"](F.pad(h["s1b1-out"], (0, 1, 0, 1)))');
    // Sized from the layer it reads (s1b1-out, 16 channels), not the previous layer (s2b1-bn2, 32).
    expect(lines).toContain('self.layers["s2b1-sc"] = nn.Conv2d(16, 32, 1, stride=2, padding=(0, 0), bias=False)');
    expect(lines).toContain('h["pool"] = h["s3b1-out"].mean(dim=(2, 3))');
    expect(lines).toContain('return h["logits"], h');
    expect(source).toContain('INPUTS = {"conv1": ["input"], "bn1": ["conv1"], "relu1": ["bn1"], "s1b1-conv1": ["relu1"], ' +
      '"s1b1-bn1": ["s1b1-conv1"], "s1b1-relu1": ["s1b1-bn1"], "s1b1-conv2": ["s1b1-relu1"], "s1b1-bn2": ["s1b1-conv2"], "s1b1-add": ["s1b1-bn2", "relu1"], ');
  });

  it('writes depthwise convs as grouped convs and relu6 / sigmoid as torch functions', () => {
    const lines = networkClass(cifarArchitecturePresets['mobilenet-student'], 'Mobile').split('\n').map((line) => line.trim());
    expect(lines).toContain('self.layers["sep2-dw"] = nn.Conv2d(64, 64, 3, stride=2, padding=0, groups=64, bias=False)');
    expect(lines).toContain('h["sep2-dw"] = self.layers["sep2-dw"](F.pad(h["sep1-out"], (0, 1, 0, 1)))');
    expect(lines).toContain('h["sep1-out"] = F.relu6(h["sep1-bn2"])');
    const sigmoid: ArchitectureSpec = { name: 's', inputShape: [4, 4, 1], layers: [
      { kind: 'activation', id: 'gate', fn: 'sigmoid' }, { kind: 'flatten', id: 'flat' }, { kind: 'dense', id: 'logits', units: 2 }] };
    expect(networkClass(sigmoid, 'S')).toContain('h["gate"] = torch.sigmoid(h["input"])');
  });

  it('averages a padded window over its real pixels only, as tfjs does', () => {
    const pooled: ArchitectureSpec = { name: 'p', inputShape: [5, 5, 1], layers: [
      { kind: 'avgPool', id: 'avg', poolSize: 2, strides: 2, padding: 'same' }, { kind: 'flatten', id: 'flat' }, { kind: 'dense', id: 'logits', units: 2 }] };
    expect(networkClass(pooled, 'P')).toContain(
      'h["avg"] = self.layers["avg"](F.pad(h["input"], (0, 1, 0, 1))) / self.layers["avg"](F.pad(torch.ones_like(h["input"][:, :1]), (0, 1, 0, 1)))');
  });

  it('writes every file of the project for the default experiment', () => {
    const paths = pytorchProjectFiles({ plan: plan('hinton-mnist.json') }).map((file) => file.path);
    expect(paths).toEqual(['config.json', 'models.py', 'losses.py', 'data.py', 'studio_weights.py', 'train.py', 'requirements.txt', 'README.md']);
  });
});

describe('importWeightsFile', () => {
  const spec = { name: 'tiny', inputShape: [2, 2, 1] as [number, number, number], layers: [
    { kind: 'flatten' as const, id: 'flatten' }, { kind: 'dense' as const, id: 'logits', units: 3 }] };
  const layout = (kernel: number[]) => [{ layerId: 'logits', tensors: [
    { shape: kernel, offset: 0, length: kernel[0] * kernel[1] }, { shape: [3], offset: kernel[0] * kernel[1], length: 3 }] }];
  const bytes = (count: number) => new Uint8Array(new Float32Array(Array.from({ length: count }, (_, i) => i)).buffer);

  it('reads a file that covers the architecture', () => {
    const [logits] = importWeightsFile(spec, layout([4, 3]), bytes(15), 'ok');
    expect(logits.tensors[1].values).toEqual(Float32Array.from([12, 13, 14]));
  });

  it('refuses weights of another shape, naming the layer', () => {
    expect(() => importWeightsFile(spec, layout([3, 4]), bytes(15), 'swapped')).toThrow(/layer 'logits' has tensors \[3x4, 3\]/);
  });

  it('expects a kernel alone for bias-free convs and [k, k, C, 1] for depthwise ones, sized from the layer each reads', () => {
    const dag: ArchitectureSpec = { name: 'dag', inputShape: [4, 4, 3], layers: [
      { kind: 'conv2d', id: 'wide', filters: 5, kernelSize: 1, strides: 1, padding: 'same', useBias: false },
      { kind: 'depthwiseConv2d', id: 'dw', kernelSize: 3, strides: 1, padding: 'same', from: 'input' },
      { kind: 'globalAvgPool', id: 'pool' }, { kind: 'dense', id: 'logits', units: 2 }] };
    const file = (tensors: number[][][]) => {
      let offset = 0;
      const entries = ['wide', 'dw', 'logits'].map((layerId, i) => ({ layerId, tensors: tensors[i].map((shape) => {
        const length = shape.reduce((a, b) => a * b, 1);
        offset += length;
        return { shape, offset: offset - length, length };
      }) }));
      return [entries, bytes(offset)] as const;
    };
    const good = file([[[1, 1, 3, 5]], [[3, 3, 3, 1], [3]], [[3, 2], [2]]]);
    expect(importWeightsFile(dag, good[0], good[1], 'good').map((layer) => layer.layerId)).toEqual(['wide', 'dw', 'logits']);
    const biased = file([[[1, 1, 3, 5], [5]], [[3, 3, 3, 1], [3]], [[3, 2], [2]]]);
    expect(() => importWeightsFile(dag, biased[0], biased[1], 'biased')).toThrow(/layer 'wide' has tensors \[1x1x3x5, 5\], 'dag' needs \[1x1x3x5\]/);
    // 'dw' reads the image (3 channels), not 'wide' (5).
    const previous = file([[[1, 1, 3, 5]], [[3, 3, 5, 1], [5]], [[5, 2], [2]]]);
    expect(() => importWeightsFile(dag, previous[0], previous[1], 'previous')).toThrow(/layer 'dw' has tensors \[3x3x5x1, 5\], 'dag' needs \[3x3x3x1, 3\]/);
  });
});

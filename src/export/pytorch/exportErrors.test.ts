import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../../graph/compile';
import { parseExperiment } from '../../graph/serialize';
import { samePadding } from './modelsPy';
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
});

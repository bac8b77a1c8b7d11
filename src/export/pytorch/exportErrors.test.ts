import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../../graph/compile';
import { parseExperiment } from '../../graph/serialize';
import { samePadding } from './modelsPy';
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

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/models/builder';
import { architecturePresets } from '../../src/models/presets';
import { pytorchUnavailable, startPyTorchBench, type PyTorchBench } from './pytorch-bench';

/**
 * `npm run bench -- --vs-pytorch` compares like with like only if scripts/pytorch_bench.py builds
 * the studio's architectures: every preset gets the same parameter count (batch-norm moving
 * statistics included) and output shape in PyTorch as the tfjs model the studio trains.
 * Needs Debian's python3-torch (CI installs it); skipped with a message without it.
 */

const unavailable = pytorchUnavailable();
if (unavailable) console.warn(`SKIPPED: ${unavailable}; the PyTorch architecture tests did not run.`);

describe.skipIf(unavailable !== null)('the PyTorch benchmark builds the studio architectures', () => {
  let torch: PyTorchBench;
  beforeAll(async () => {
    torch = await startPyTorchBench();
  });
  afterAll(async () => {
    await torch.close();
  });

  it.each(Object.keys(architecturePresets))('%s has the tfjs model\'s parameters and outputs', async (id) => {
    const spec = architecturePresets[id];
    const model = buildModel(spec, { taps: [], seed: 1 });
    const expected = { params: model.countParams(), outputs: [2, model.outputs[0].shape[1]] };
    model.dispose();
    expect(await torch.describe(spec)).toEqual(expected);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('refuses a layer it cannot mirror, with the layer named', async () => {
    const spec = {
      ...architecturePresets['cnn-student'],
      layers: [{ kind: 'conv2d' as const, id: 'wide', filters: 4, kernelSize: 2, strides: 1, padding: 'same' as const }, ...architecturePresets['cnn-student'].layers.slice(1)],
    };
    await expect(torch.describe(spec)).rejects.toThrow(/wide/);
  });
});

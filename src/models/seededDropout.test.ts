import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './builder';
import { SeededDropout } from './seededDropout';
import type { ArchitectureSpec } from './spec';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The training-mode output of one draw, on a tensor of ones (so output = mask / (1 - rate)). */
function draw(layer: SeededDropout, count = 4000): Float32Array {
  return tf.tidy(() => (layer.apply(tf.ones([4, count / 4]), { training: true }) as tf.Tensor).dataSync() as Float32Array);
}

describe('SeededDropout', () => {
  it('zeroes a fraction rate of the units and scales the rest by 1 / (1 - rate)', () => {
    const values = draw(new SeededDropout({ name: 'd', rate: 0.25, seed: 5 }));
    expect(new Set(values)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    // 4,000 Bernoulli(0.25) draws: standard deviation of the fraction 0.0068.
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(0.03);
  });

  it('draws a new mask each step, the same sequence for the same seed, another for another seed', () => {
    const a = new SeededDropout({ name: 'a', rate: 0.5, seed: 11 });
    const b = new SeededDropout({ name: 'b', rate: 0.5, seed: 11 });
    const c = new SeededDropout({ name: 'c', rate: 0.5, seed: 12 });
    const [a1, a2] = [draw(a), draw(a)];
    const [b1, b2] = [draw(b), draw(b)];
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1);
    expect(draw(c)).not.toEqual(a1);
  });

  it('is the identity in inference mode and passes gradients through the kept units only', () => {
    const layer = new SeededDropout({ name: 'd', rate: 0.5, seed: 3 });
    const x = tf.tensor2d([[1, -2, 3, 4, 5, 6, 7, 8]]);
    expect(Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync())).toEqual([1, -2, 3, 4, 5, 6, 7, 8]);
    const replay = new SeededDropout({ name: 'r', rate: 0.5, seed: 3 });
    const output = Array.from((replay.apply(x, { training: true }) as tf.Tensor).dataSync());
    const gradient = Array.from(tf.grad((input: tf.Tensor) => (layer.apply(input, { training: true }) as tf.Tensor).sum())(x).dataSync());
    // Same seed, first draw: the gradient is the mask (2 where kept, 0 where dropped).
    expect(gradient).toEqual(output.map((value, i) => (value === 0 ? 0 : value / x.dataSync()[i])));
    expect(new Set(gradient)).toEqual(new Set([0, 2]));
    x.dispose();
  });

  it('refuses rates outside [0, 1)', () => {
    expect(() => new SeededDropout({ name: 'd', rate: 1, seed: 0 })).toThrowError('Dropout rate must be in [0, 1), got 1.');
  });

  it('saves as a plain Keras Dropout that tf.loadLayersModel reads back', async () => {
    const spec: ArchitectureSpec = {
      name: 'with-dropout', inputShape: [2, 2, 1],
      layers: [{ kind: 'flatten', id: 'flatten' }, { kind: 'dense', id: 'fc', units: 3 }, { kind: 'dropout', id: 'drop', rate: 0.4 }, { kind: 'dense', id: 'logits', units: 2 }],
    };
    const model = buildModel(spec, { taps: [], seed: 1 });
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const topology = JSON.stringify(artifacts!.modelTopology);
    expect(topology).toContain('"class_name":"Dropout","config":{"name":"drop","trainable":true');
    expect(topology).toContain('"rate":0.4');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const input = tf.tensor4d([0.1, -0.4, 0.7, 1.2], [1, 2, 2, 1]);
    const predict = (m: tf.LayersModel): number[] => tf.tidy(() => Array.from((m.predict(input) as tf.Tensor).dataSync()));
    expect(predict(loaded)).toEqual(predict(model));
    input.dispose();
    model.dispose();
    loaded.dispose();
  });
});

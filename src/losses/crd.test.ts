import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastScores, CrdModule, nceLoss, type CrdSettings } from './crd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const settings: CrdSettings = { dimension: 4, negatives: 3, temperature: 0.5, momentum: 0.5, negativesFrom: 'anyImage' };

function rows(tensor: tf.Tensor): number[][] {
  return tensor.arraySync() as number[][];
}

/** x W + b, L2-normalised, in float64 loops (independent of the tf ops under test). */
function embedReference(x: number[][], kernel: number[][], bias: number[]): number[][] {
  return x.map((row) => {
    const out = bias.map((b, j) => b + row.reduce((sum, v, i) => sum + v * kernel[i][j], 0));
    const norm = Math.hypot(...out);
    return out.map((v) => v / norm);
  });
}

const dot = (a: number[], b: number[]): number => a.reduce((sum, v, i) => sum + v * b[i], 0);

describe('CRD pieces', () => {
  it('NCE on one anchor with one negative: -(log(1 / 1.25) + log(0.25 / 0.75)) for N = 4', async () => {
    const scores = tf.tensor2d([[1, 0.5]]);
    const loss = nceLoss(scores, 4);
    expect(await loss.data()).toHaveLength(1);
    expect((await loss.data())[0]).toBeCloseTo(-(Math.log(1 / 1.25) + Math.log(0.25 / 0.75)), 5);
    tf.dispose([scores, loss]);
  });

  it('scores are exp(anchor . memory row / tau) for the listed rows', async () => {
    const anchors = tf.tensor2d([[1, 0]]);
    const memory = tf.tensor2d([[1, 0], [0, 1], [0.6, 0.8]]);
    const contrast = tf.tensor2d([[2, 1]], [1, 2], 'int32');
    const scores = contrastScores(anchors, memory, contrast, 0.5);
    const values = Array.from(await scores.data());
    expect(values[0]).toBeCloseTo(Math.exp(1.2), 4);
    expect(values[1]).toBeCloseTo(1, 6);
    tf.dispose([anchors, memory, contrast, scores]);
  });
});

describe('CRD module', () => {
  const trainCount = 6;
  const indices = Int32Array.from([1, 4]);
  const studentFeature = (): tf.Tensor2D => tf.tensor2d([[0.5, -1, 2], [1, 0.3, -0.7]]);
  const teacherFeature = (): tf.Tensor2D => tf.tensor2d([[1, 2], [-0.4, 0.9]]);

  it('computes both NCE directions against the memories, Z fixed at the first step (a float64 reference)', async () => {
    const module = new CrdModule([3], [2], trainCount, settings, 7);
    module.beginStep({ indices });
    const contrast = rows(module.contrast as tf.Tensor);
    expect(contrast.map((row) => row[0])).toEqual([1, 4]);
    expect(contrast.flat().every((j) => j >= 0 && j < trainCount)).toBe(true);
    const [s, t] = [studentFeature(), teacherFeature()];
    const loss = module.loss(s, t);

    const vs = embedReference(rows(s), rows(module.studentEmbedding.kernel), Array.from(module.studentEmbedding.bias.dataSync()));
    const vt = embedReference(rows(t), rows(module.teacherEmbedding.kernel), Array.from(module.teacherEmbedding.bias.dataSync()));
    const [memoryS, memoryT] = [rows(module.studentMemory), rows(module.teacherMemory)];
    const raw = (anchors: number[][], memory: number[][]): number[][] =>
      anchors.map((v, b) => contrast[b].map((j) => Math.exp(dot(v, memory[j]) / settings.temperature)));
    const nce = (scores: number[][]): number => {
      const z = (scores.flat().reduce((a, b) => a + b, 0) / scores.flat().length) * trainCount;
      const noise = settings.negatives / trainCount;
      let sum = 0;
      for (const row of scores) {
        const h = row.map((x) => x / z);
        sum += Math.log(h[0] / (h[0] + noise + 1e-7));
        for (const x of h.slice(1)) sum += Math.log(noise / (x + noise + 1e-7));
      }
      return -sum / scores.length;
    };
    const expected = nce(raw(vs, memoryT)) + nce(raw(vt, memoryS));
    expect((await loss.data())[0]).toBeCloseTo(expected, 3);
    const normalisers = { ...module.normalisers };
    module.endStep(true);

    // A second step keeps Z.
    module.beginStep({ indices: Int32Array.from([0, 5]) });
    module.loss(s, t).dispose();
    expect(module.normalisers).toEqual(normalisers);
    module.endStep(false);
    tf.dispose([s, t, loss]);
    module.dispose();
  });

  it('sends gradients to both embeddings (not the memories), then moves only the batch\'s memory rows', async () => {
    const module = new CrdModule([3], [2], trainCount, settings, 3);
    const [s, t] = [studentFeature(), teacherFeature()];
    const before = [rows(module.studentMemory), rows(module.teacherMemory)];
    module.beginStep({ indices });
    const { value, grads } = tf.variableGrads(() => module.loss(s, t), module.variables);
    for (const variable of module.variables) {
      expect(Array.from(await grads[variable.name].data()).some((g) => g !== 0 && Number.isFinite(g))).toBe(true);
    }
    expect(module.variables).not.toContain(module.studentMemory);
    const vs = embedReference(rows(s), rows(module.studentEmbedding.kernel), Array.from(module.studentEmbedding.bias.dataSync()));
    const vt = embedReference(rows(t), rows(module.teacherEmbedding.kernel), Array.from(module.teacherEmbedding.bias.dataSync()));
    module.endStep(true);
    const after = [rows(module.studentMemory), rows(module.teacherMemory)];
    [vs, vt].forEach((embedded, side) => {
      for (let row = 0; row < trainCount; row++) {
        const b = Array.from(indices).indexOf(row);
        if (b < 0) {
          expect(after[side][row]).toEqual(before[side][row]);
          continue;
        }
        const moved = before[side][row].map((old, k) => 0.5 * old + 0.5 * embedded[b][k]);
        const norm = Math.hypot(...moved);
        after[side][row].forEach((v, k) => expect(v).toBeCloseTo(moved[k] / norm, 5));
      }
    });
    tf.dispose([s, t, value, ...Object.values(grads)]);
    module.dispose();
  });

  it('a failed step leaves the memories alone; a whole cycle leaks no tensor', () => {
    const start = tf.memory().numTensors;
    const module = new CrdModule([3], [2], trainCount, settings, 5);
    const [s, t] = [studentFeature(), teacherFeature()];
    const before = rows(module.studentMemory);
    module.beginStep({ indices });
    module.loss(s, t).dispose();
    module.endStep(false);
    expect(rows(module.studentMemory)).toEqual(before);
    module.beginStep({ indices });
    tf.tidy(() => {
      module.loss(s, t);
    });
    module.endStep(true);
    tf.dispose([s, t]);
    module.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('refuses a loss without the batch\'s indices and an index outside the memory', () => {
    const module = new CrdModule([3], [2], trainCount, settings, 5);
    const [s, t] = [studentFeature(), teacherFeature()];
    expect(() => module.loss(s, t)).toThrow(/indices of the batch/);
    expect(() => module.beginStep({ indices: Int32Array.from([0, 6]) })).toThrow(/outside the memory of 6 images/);
    tf.dispose([s, t]);
    module.dispose();
  });

  it('draws other-class negatives without replacement (RepDistiller\'s training), with replacement only past the pool', () => {
    const labels = [0, 0, 1, 1, 1, 2, 2, 2];
    const module = new CrdModule([3], [2], 8, { ...settings, negatives: 5, negativesFrom: 'otherClasses' }, 9, labels);
    for (let step = 0; step < 20; step++) {
      module.beginStep({ indices: Int32Array.from([0, 2]) });
      const contrast = rows(module.contrast as tf.Tensor);
      for (const row of contrast) {
        const negatives = row.slice(1);
        expect(negatives.every((j) => labels[j] !== labels[row[0]])).toBe(true);
        expect(new Set(negatives).size).toBe(5);
      }
      module.endStep(false);
    }
    const crowded = new CrdModule([3], [2], 8, { ...settings, negatives: 7, negativesFrom: 'otherClasses' }, 9, labels);
    crowded.beginStep({ indices: Int32Array.from([2]) });
    expect(rows(crowded.contrast as tf.Tensor)[0].slice(1).every((j) => labels[j] !== 1)).toBe(true);
    expect(() => new CrdModule([3], [2], 8, { ...settings, negativesFrom: 'otherClasses' }, 9)).toThrow(/needs the training labels/);
    module.dispose();
    crowded.dispose();
  });
});

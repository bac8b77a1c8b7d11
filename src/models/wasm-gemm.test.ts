import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { loadDataset } from '../data/loader';
import { epochBatches } from '../data/batches';
import { createRng } from '../data/rng';
import { trainee } from '../train/benchmark';
import { createOptimizer } from '../train/optimizer';
import { trainStep } from '../train/step';
import { datasetOptions } from '../train/testSupport';
import { installFastWasmMatMul, uninstallFastWasmMatMul } from './wasm-matmul';
import { relaxedSimdSupported, setWasmGemmMode, wasmGemmFlavour, wasmGemmMatMul } from './wasm-gemm';
import { architecturePresets } from './presets';

// Node 20's V8 has relaxed SIMD behind a flag: set it so the FMA build is tested as well as mul + add.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  setWasmGemmMode('auto');
  uninstallFastWasmMatMul();
  await tf.setBackend('cpu');
});

function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => ((((i + salt) * 2654435761) % 1000) / 500) - 1), shape);
}

type Case = { a: number[]; b: number[]; tA?: boolean; tB?: boolean };
const cases: Case[] = [
  { a: [1, 1], b: [1, 1] }, { a: [1, 5], b: [5, 3] }, { a: [1, 784], b: [784, 800] },
  { a: [3, 7], b: [7, 5] }, { a: [5, 300], b: [300, 9] }, { a: [7, 513], b: [513, 19] }, { a: [9, 2], b: [2, 33] },
  { a: [4, 256], b: [256, 8] }, { a: [6, 257], b: [257, 17] }, { a: [64, 784], b: [784, 800] }, { a: [64, 800], b: [800, 10] },
  { a: [300, 7], b: [300, 13], tA: true }, { a: [64, 784], b: [64, 800], tA: true },
  { a: [6, 5], b: [4, 5], tB: true }, { a: [8, 30], b: [50, 30], tB: true }, { a: [64, 10], b: [800, 10], tB: true },
  { a: [5, 3], b: [4, 5], tA: true, tB: true },
  { a: [2, 6, 3], b: [2, 6, 4], tA: true }, { a: [2, 3, 6], b: [1, 4, 6], tB: true }, { a: [3, 5, 7], b: [7, 6] }, { a: [1, 5, 7], b: [3, 7, 6] },
];

describe('wasm GEMM as BatchMatMul', () => {
  it('runs the FMA build here once relaxed SIMD is on', () => {
    expect(relaxedSimdSupported()).toBe(true);
  });

  it.each(['muladd', 'auto'] as const)('gives tfjs\'s products within 1e-5 relative over edge shapes, transposes and batches (%s)', (mode) => {
    for (const { a: aShape, b: bShape, tA = false, tB = false } of cases) {
      const a = pattern(aShape, 1);
      const b = pattern(bShape, 7);
      uninstallFastWasmMatMul();
      const expected = tf.tidy(() => tf.matMul(a, b, tA, tB));
      installFastWasmMatMul();
      setWasmGemmMode(mode);
      expect(wasmGemmFlavour()).toBe(mode === 'auto' ? 'fma' : 'muladd');
      // The GEMM itself takes the product (no fallback).
      const direct = wasmGemmMatMul({ inputs: { a, b }, backend: tf.backend(), attrs: { transposeA: tA, transposeB: tB } });
      expect(direct).not.toBeNull();
      tf.backend().disposeData(direct!.dataId);
      const actual = tf.tidy(() => tf.matMul(a, b, tA, tB));
      expect(actual.shape).toEqual(expected.shape);
      const want = expected.dataSync() as Float32Array;
      const got = actual.dataSync() as Float32Array;
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      got.forEach((value, i) => expect(Math.abs(value - want[i]) / scale).toBeLessThan(1e-5));
      tf.dispose([a, b, expected, actual]);
    }
  });

  it('leaks no tensor or buffer through forward and gradient products', () => {
    installFastWasmMatMul();
    setWasmGemmMode('auto');
    const x = pattern([64, 30], 2);
    const w = pattern([30, 50], 5);
    const before = tf.memory();
    const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.matMul(xs, ws)))([x, w]);
    tf.dispose([dx, dw]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.engine().backend.numDataIds()).toBe(before.numDataBuffers);
    tf.dispose([x, w]);
  });

  it('trains the Hinton student on MNIST with Adam to the losses of tfjs\'s own kernel, leaking nothing', async () => {
    const data = await loadDataset(datasetOptions({ trainSubset: 256, validationSize: 0, testSubset: 64 }), nodeAssetReader());
    const run = async (mode: 'off' | 'auto' | 'muladd'): Promise<number[]> => {
      installFastWasmMatMul();
      setWasmGemmMode(mode);
      const before = tf.memory().numTensors;
      const subject = trainee(architecturePresets['hinton-student'], 3);
      const optimizer = createOptimizer({ optimizer: 'adam', momentum: 0 });
      const totals: number[] = [];
      let step = 0;
      for (const batch of epochBatches(data.train, data.info, { batchSize: 64, rng: createRng(4), augmentShift: 0 })) {
        step += 1;
        if (step <= 4) totals.push((await trainStep(subject.models, subject.terms, batch, subject.variables, optimizer, 1e-3, step)).total);
        tf.dispose([batch.xs, batch.ys]);
      }
      optimizer.dispose();
      subject.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return totals;
    };
    const reference = await run('off');
    for (const mode of ['auto', 'muladd'] as const) {
      const totals = await run(mode);
      expect(totals).toHaveLength(4);
      totals.forEach((total, i) => expect(Math.abs(total - reference[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(reference[i]))));
    }
    // The loss fell: these were real training steps.
    expect(reference[3]).toBeLessThan(reference[0]);
  });
});

import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { GEMM_SCRATCH_BYTES } from './wasm-gemm-wat';
import { GEMM_FMA6_WASM, GEMM_FMA_WASM } from './wasm-gemm-bytes';
import { activeWasmGemmBuild, setWasmGemmMode, type GemmWithScratchFn } from './wasm-gemm';
import { fmaTileRows, measureFmaTileRows, setFmaTileRows } from './wasm-gemm-tile';
import { installFastWasmMatMul, uninstallFastWasmMatMul } from './wasm-matmul';
import { decodeBase64 } from './wasmModule';

// Node 20's V8 has relaxed SIMD behind a flag; both tile heights are fma builds.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  setFmaTileRows('auto');
  setWasmGemmMode('auto');
  uninstallFastWasmMatMul();
  await tf.setBackend('cpu');
});

/** Reproducible values in [-1, 1) with full mantissas, so a changed operation order shows in the bits. */
function fill(floats: Float32Array, at: number, count: number, salt: number): void {
  for (let i = 0; i < count; i++) floats[at / 4 + i] = Math.sin((i + 1) * 12.9898 + salt * 78.233) * 0.999;
}

describe('fma GEMM register tile height', () => {
  it('computes every product of the 6-row build to the bit of the 4-row build: all leftover row counts, column tails, k blocks and strided A', () => {
    const memory = new WebAssembly.Memory({ initial: 160 }); // 10 MiB
    const floats = new Float32Array(memory.buffer);
    const [four, six] = [GEMM_FMA_WASM, GEMM_FMA6_WASM].map((base64) =>
      new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(base64)), { env: { memory } }).exports.gemm as GemmWithScratchFn);
    // tfjs aligns tensors to 8 bytes only: operands at 8-byte offsets.
    const [a, b, c4, c6, scratch] = [8, (2 << 20) + 8, (4 << 20) + 8, (6 << 20) + 8, 8 << 20];
    let compared = 0;
    for (const m of [1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 25, 64]) {
      for (const n of [1, 3, 5, 8, 13, 37]) {
        for (const k of [1, 7, 300]) {
          for (const transposedA of [false, true]) {
            fill(floats, a, m * k, m + k);
            fill(floats, b, k * n, n);
            const [rowStride, kStride] = transposedA ? [1, m] : [k, 1];
            floats.fill(Number.NaN, c4 / 4, c4 / 4 + m * n);
            floats.fill(Number.NaN, c6 / 4, c6 / 4 + m * n);
            four(a, b, c4, m, n, k, rowStride, kStride, scratch);
            six(a, b, c6, m, n, k, rowStride, kStride, scratch + GEMM_SCRATCH_BYTES);
            const byFour = floats.slice(c4 / 4, c4 / 4 + m * n);
            const bySix = floats.slice(c6 / 4, c6 / 4 + m * n);
            expect(byFour.some(Number.isNaN), `${m}x${n}x${k}`).toBe(false);
            expect(Buffer.from(bySix.buffer).equals(Buffer.from(byFour.buffer)), `${m}x${n}x${k}${transposedA ? ' A^T' : ''}`).toBe(true);
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBe(12 * 6 * 3 * 2);
  });

  it('runs BatchMatMul with the height it is set to, with the same bits either way', () => {
    installFastWasmMatMul();
    setWasmGemmMode('auto');
    const x = tf.tensor2d(Float32Array.from({ length: 64 * 784 }, (_, i) => Math.sin(i * 0.37)), [64, 784]);
    const w = tf.tensor2d(Float32Array.from({ length: 784 * 800 }, (_, i) => Math.cos(i * 0.11) * 0.05), [784, 800]);
    const productWith = (rows: 4 | 6): Float32Array => {
      setFmaTileRows(rows);
      expect(fmaTileRows()).toBe(rows);
      expect(activeWasmGemmBuild()).toBe(rows === 6 ? 'fma6' : 'fma');
      return tf.tidy(() => tf.matMul(x, w).dataSync() as Float32Array);
    };
    const [four, six] = [productWith(4), productWith(6)];
    expect(Buffer.from(six.buffer).equals(Buffer.from(four.buffer))).toBe(true);
    tf.dispose([x, w]);
  });

  it('measures both heights on this engine and picks the faster (4 on a tie)', () => {
    const { rows, msPerProduct } = measureFmaTileRows();
    for (const ms of Object.values(msPerProduct)) {
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThan(0);
    }
    expect(rows).toBe(msPerProduct[6] < msPerProduct[4] ? 6 : 4);
    setFmaTileRows('auto');
    expect([4, 6]).toContain(fmaTileRows());
  });
});

import { decodeBase64 } from './wasmModule';
import { GEMM_SCRATCH_BYTES, type GemmTileRows } from './wasm-gemm-wat';
import { GEMM_FMA6_WASM, GEMM_FMA_WASM } from './wasm-gemm-bytes';
import type { GemmWithScratchFn } from './wasm-gemm';

/**
 * The register-tile height of the fma GEMM: 4 or 6 rows (wasm-gemm-wat.ts). Which is faster
 * depends on the engine's register allocator, not the CPU alone (Chromium 156 keeps 6 rows' 15
 * vectors in registers and gains ~7 %; Node 20 spills them and halves), so by default it is measured
 * once per thread on the engine at hand. Both heights give the same bits, so the choice changes
 * speed only.
 */

export type TileRowsSetting = GemmTileRows | 'auto';

let setting: TileRowsSetting = 'auto';
let measured: GemmTileRows | null = null;

/** 'auto' (measure once), or a fixed height (tests; the benchmark's turns). */
export function setFmaTileRows(next: TileRowsSetting): void {
  setting = next;
}

/** The height the fma GEMM runs with now: the fixed setting, else the faster one measured here. */
export function fmaTileRows(): GemmTileRows {
  if (setting !== 'auto') return setting;
  measured ??= measureFmaTileRows().rows;
  return measured;
}

/** Shape of the timed product: a dense layer's at batch 64, ~17M multiply-adds (~0.7 ms at 50 GFLOP/s). */
const TIMED = { m: 64, n: 512, k: 512 };
/** Products per timing: a few milliseconds, well above a browser's coarsened clock (0.1 ms without cross-origin isolation). */
const CALLS_PER_TIMING = 4;
/** Alternating timings per height; the minimum of each counts, after the engine's optimising tier took over. */
const ROUNDS = 6;

export interface TileMeasurement {
  rows: GemmTileRows;
  /** Fastest time of one product per height, milliseconds. */
  msPerProduct: Record<GemmTileRows, number>;
}

/**
 * Times both heights on a private memory (zeros: an FMA's time does not depend on its values) and
 * returns the faster; 4 on a tie, the height with the longer record. Takes ~10-40 ms.
 */
export function measureFmaTileRows(): TileMeasurement {
  const { m, n, k } = TIMED;
  const floats = m * k + k * n + m * n;
  const bytes = floats * 4 + GEMM_SCRATCH_BYTES + 64;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const builds: [GemmTileRows, GemmWithScratchFn][] = ([[4, GEMM_FMA_WASM], [6, GEMM_FMA6_WASM]] as const).map(([rows, base64]) => [
    rows,
    new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(base64)), { env: { memory } }).exports.gemm as GemmWithScratchFn,
  ]);
  const a = 0;
  const b = a + m * k * 4;
  const c = b + k * n * 4;
  const scratch = Math.ceil((c + m * n * 4) / 64) * 64;
  const best: Record<GemmTileRows, number> = { 4: Infinity, 6: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [rows, gemm] of builds) {
      const started = performance.now();
      for (let call = 0; call < CALLS_PER_TIMING; call++) gemm(a, b, c, m, n, k, k, 1, scratch);
      best[rows] = Math.min(best[rows], (performance.now() - started) / CALLS_PER_TIMING);
    }
  }
  return { rows: best[6] < best[4] ? 6 : 4, msPerProduct: best };
}

import { expect, test } from '@playwright/test';
import type { BrowserBenchResults } from '../app/bench/main';

/**
 * The threaded wasm build starts in the Vite-served worker (its pthread workers run the module's
 * factory from its source text, see vite.config.ts), and the studio's GEMM shares the dense
 * layers' products with a helper thread nested in that worker (src/models/wasm-team.ts).
 * bench.html runs real training steps of the Hinton student, one fresh worker per thread count.
 */
test('wasm trains with one and with two threads in a cross-origin-isolated worker, Adam in place and copying, 4- and 6-row GEMM tiles', async ({ page }) => {
  await page.goto('/bench.html?backends=wasm&models=hinton-student&steps=3&images=256&wasmThreads=1,2&adam=copy,on&tile=4,6');
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await page.waitForSelector('body[data-bench-done="true"]', { timeout: 150_000 });
  const results = await page.evaluate(() => window.benchResults) as BrowserBenchResults;
  expect(results.error).toBeNull();
  expect(results.skipped).toEqual([]);
  // One thread runs the studio's GEMM (the relaxed-SIMD fma build: Chromium has had relaxed SIMD
  // since 114); with two, the GEMM shares its large products with a helper thread over the threaded
  // build's shared memory. Each worker times Adam's update into new buffers (copy) and in place (on,
  // the default), each with the GEMM's 4-row (fma) and 6-row (fma6) register tiles.
  const turns = (threads: number) => ['copy', 'on'].flatMap((adam) => ['fma', 'fma6'].map((gemm) => [`wasm x${threads} gemm=${gemm} adam=${adam}`, 'hinton-student']));
  expect(results.rows.map((r) => [r.backend, r.model])).toEqual([...turns(1), ...turns(2)]);
  for (const r of results.rows) expect(r.samplesPerSecond).toBeGreaterThan(0);
  // One thread has no helpers; with two, the helper takes chunks of the dense layers' products and
  // Adam updates (each step has five products and two updates large enough to share).
  expect(results.rows.slice(0, 4).map((r) => r.helperChunks)).toEqual([0, 0, 0, 0]);
  for (const r of results.rows.slice(4)) expect(r.helperChunks).toBeGreaterThan(0);
});

import { expect, test } from '@playwright/test';
import type { BrowserBenchResults } from '../app/bench/main';

/**
 * The threaded wasm build starts in the Vite-served worker (its pthread workers run the module's
 * factory from its source text, see vite.config.ts) and trains with two threads even on a 2-core
 * machine (tfjs would cap it at half the cores, see workers/backend.ts). bench.html runs real
 * training steps of the Hinton student, one fresh worker per thread count.
 */
test('wasm trains with one and with two threads in a cross-origin-isolated worker', async ({ page }) => {
  await page.goto('/bench.html?backends=wasm&models=hinton-student&steps=1&images=256&wasmThreads=1,2');
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await page.waitForSelector('body[data-bench-done="true"]', { timeout: 150_000 });
  const results = await page.evaluate(() => window.benchResults) as BrowserBenchResults;
  expect(results.error).toBeNull();
  expect(results.skipped).toEqual([]);
  // One thread runs the studio's GEMM (fma where the engine has relaxed SIMD); the threaded build's
  // shared memory cannot be imported by it, so two threads keep XNNPACK.
  expect(results.rows.map((row) => [row.backend, row.model])).toEqual([[expect.stringMatching(/^wasm x1 gemm=(fma|muladd)$/), 'hinton-student'], ['wasm x2 gemm=off', 'hinton-student']]);
  for (const row of results.rows) expect(row.samplesPerSecond).toBeGreaterThan(0);
});

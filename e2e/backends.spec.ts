import { expect, test } from '@playwright/test';
import { cnnPresetWithAttentionAndFsp, openStudioWith, presetFile, shrinkExperiment } from './helpers';

test('an MLP trains on the WebAssembly backend', async ({ page, request }) => {
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await openStudioWith(page, 'wasm', 'mlp-wasm.json', experiment);
  await page.getByTestId('run-baseline').click();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  // The dev server is cross-origin isolated: the GEMM and Adam share large jobs with a helper per core.
  const cores = await page.evaluate(() => Math.min(4, navigator.hardwareConcurrency));
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-threads', String(cores));
  if (cores > 1) await expect(page.getByTestId('backend-badge')).toContainText(`(${cores} threads)`);
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('result-baseline-accuracy')).toContainText('%');
});

test('a CNN trains on the WebAssembly backend (with the studio\'s conv filter gradient)', async ({ page, request }) => {
  const experiment = shrinkExperiment(await cnnPresetWithAttentionAndFsp(request));
  await openStudioWith(page, 'wasm', 'cnn-wasm.json', experiment);
  await page.getByTestId('run-baseline').click();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('result-baseline-accuracy')).toContainText('%');
});

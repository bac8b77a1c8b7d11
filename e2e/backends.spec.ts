import { expect, test } from '@playwright/test';
import { cnnPresetWithAttentionAndFsp, fetchPresets, openStudio, shrinkExperiment, uploadExperiment } from './helpers';

test('an MLP trains on the WebAssembly backend', async ({ page, request }) => {
  const presets = await fetchPresets(request);
  const hinton = presets.find(({ entry }) => entry.file === 'hinton-mnist.json');
  expect(hinton, 'the Hinton MNIST preset').toBeDefined();
  const experiment = shrinkExperiment(hinton!.file);
  await openStudio(page, 'wasm');
  await uploadExperiment(page, 'mlp-wasm.json', JSON.stringify(experiment));
  await page.getByTestId('run-baseline').click();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('result-baseline-accuracy')).toContainText('%');
});

test('a CNN asked to run on WebAssembly falls back and says why', async ({ page, request }) => {
  const experiment = shrinkExperiment(await cnnPresetWithAttentionAndFsp(request));
  await openStudio(page, 'wasm');
  await uploadExperiment(page, 'cnn-wasm.json', JSON.stringify(experiment));
  await page.getByTestId('run-baseline').click();
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', /webgpu|webgl|cpu/, { timeout: 60_000 });
  await expect(badge).toHaveAttribute('title', /cannot train convolutions/);
  await page.getByTestId('stop-button').click();
});

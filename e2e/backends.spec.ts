import { expect, test } from '@playwright/test';
import { cnnPresetWithAttentionAndFsp, openStudio, presetFile, shrinkExperiment, uploadExperiment } from './helpers';

test('an MLP trains on the WebAssembly backend', async ({ page, request }) => {
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await openStudio(page, 'wasm');
  await uploadExperiment(page, 'mlp-wasm.json', JSON.stringify(experiment));
  await page.getByTestId('run-baseline').click();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('result-baseline-accuracy')).toContainText('%');
});

test('a CNN trains on the WebAssembly backend (with the studio\'s conv filter gradient)', async ({ page, request }) => {
  const experiment = shrinkExperiment(await cnnPresetWithAttentionAndFsp(request));
  await openStudio(page, 'wasm');
  await uploadExperiment(page, 'cnn-wasm.json', JSON.stringify(experiment));
  await page.getByTestId('run-baseline').click();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('result-baseline-accuracy')).toContainText('%');
});

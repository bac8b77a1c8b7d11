import { expect, test } from '@playwright/test';
import type { PretrainedIndex } from '../src/train/pretrained';
import { openStudio, presetFile, selectNode } from './helpers';

test('a full-data preset starts from its shipped pretrained teacher instead of training it', async ({ page, request }) => {
  test.setTimeout(300_000);
  const index = (await (await request.get('/teachers/index.json')).json()) as PretrainedIndex;
  const shipped = index.teachers.find((teacher) => teacher.presets.includes('cnn-mnist-at-full.json'));
  expect(shipped, 'public/teachers lists the CNN full-data preset teacher').toBeDefined();
  const preset = await presetFile(request, 'cnn-mnist-at-full.json');

  await openStudio(page, 'wasm');
  // Opened from the toolbar's preset list, as a user would.
  await page.getByTestId('preset-select').selectOption('cnn-mnist-at-full.json');
  await expect(page.getByTestId('experiment-name')).toHaveValue(preset.name);
  await page.getByTestId('run-teacher').click();
  // Loading all 70,000 images and evaluating the teacher; no training step runs.
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 180_000 });
  await expect(page.getByTestId('run-log')).toContainText('pretrained teachers shipped with the studio');
  await expect(page.getByTestId('result-row-teacher')).toContainText('(pretrained)');
  const shown = Number.parseFloat((await page.getByTestId('result-teacher-accuracy').textContent()) ?? '') / 100;
  // The page shows two decimals of a percent: the accuracy the teacher was shipped with, to within one image.
  expect(Math.abs(shown - shipped!.testAccuracy)).toBeLessThanOrEqual(1e-4 + 5e-5);
});

test('the default experiment starts from its shipped teacher and shows a positive distillation gain', async ({ page, request }) => {
  test.setTimeout(600_000);
  const index = (await (await request.get('/teachers/index.json')).json()) as PretrainedIndex;
  const shipped = index.teachers.find((teacher) => teacher.presets.includes('hinton-mnist.json'));
  expect(shipped, 'public/teachers lists the default (Hinton) preset teacher').toBeDefined();

  await openStudio(page, 'wasm');
  await expect(page.getByTestId('experiment-name')).toHaveValue('Hinton KD on MNIST');
  // Before anything runs, the teacher's inspector says a shipped teacher matches it.
  await selectNode(page, 'teacher');
  await expect(page.getByTestId('teacher-pretrained')).toHaveAttribute('data-shipped', 'true');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 540_000 });
  await expect(page.getByTestId('result-row-teacher')).toContainText('(pretrained)');
  // The preset's seeds on wasm give one fixed result; its gain must be above zero.
  const gain = Number.parseFloat((await page.getByTestId('result-distillation-gain').textContent()) ?? '');
  expect(gain).toBeGreaterThan(0);

  const panel = page.getByTestId('export-panel');
  const opener = page.getByTestId('open-export');
  if (!(await panel.isVisible()) && (await opener.count()) > 0) await opener.click();
  await expect(panel.getByTestId('export-verify-result')).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(panel.getByTestId('export-model-card')).toContainText('Baseline (no teacher)');
  await expect(panel.getByTestId('export-model-card')).toContainText(/Distillation gain\s*\+\d+\.\d\d points/);
  await expect(panel.getByTestId('export-no-gain')).toHaveCount(0);
});

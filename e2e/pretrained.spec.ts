import { expect, test } from '@playwright/test';
import type { PretrainedIndex } from '../src/train/pretrained';
import { openStudio, presetFile } from './helpers';

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

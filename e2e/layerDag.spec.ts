import { expect, test } from '@playwright/test';
import { openStudio, selectNode } from './helpers';

test('the layer editor shows a residual preset and names an add whose wiring cannot work', async ({ page }) => {
  await openStudio(page);
  await selectNode(page, 'student');
  const presets = page.getByTestId('field-architecture-preset').locator('select');
  // The preset list gives each preset's size: resnet8 has 78,714 parameters (moving statistics included).
  await expect(presets.locator('option[value="resnet8"]')).toContainText('78.7 k');
  await presets.selectOption('resnet8');
  await expect(page.getByTestId('layer-shape-s3b1-out')).toHaveText('[8×8×64]');
  await expect(page.getByTestId('layer-shape-pool')).toHaveText('[64]');
  await expect(page.getByTestId('architecture-error')).toHaveCount(0);

  // The last block's add summed with the stem's [32×32×16] output: the editor names the add.
  const shortcut = page.getByTestId('layer-s3b1-add-input-1').locator('select');
  await expect(shortcut).toHaveValue('s3b1-scbn');
  await shortcut.selectOption('relu1');
  await expect(page.getByTestId('architecture-error')).toContainText("'s3b1-add'");
  await expect(page.getByTestId('layer-row-s3b1-add')).toHaveClass(/layer-row--invalid/);

  await shortcut.selectOption('s3b1-scbn');
  await expect(page.getByTestId('architecture-error')).toHaveCount(0);
  await expect(page.getByTestId('layer-shape-logits')).toHaveText('[10]');
});

test('the layer editor joins two blocks with a concat and borders a map with a pad layer', async ({ page }) => {
  await openStudio(page);
  await selectNode(page, 'student');
  await page.getByTestId('field-architecture-preset').locator('select').selectOption('resnet8');
  await page.getByTestId('new-layer-kind').locator('select').selectOption('concat');
  await page.getByTestId('insert-after-s3b1-out').click();
  // A new concat reads the image twice until rewired: the editor says what is wrong.
  await expect(page.getByTestId('architecture-error')).toContainText("'cat1'");
  await page.getByTestId('layer-cat1-input-0').locator('select').selectOption('s3b1-out');
  await page.getByTestId('layer-cat1-input-1').locator('select').selectOption('s2b1-out');
  await expect(page.getByTestId('architecture-error')).toContainText("'s3b1-out' is [8, 8, 64] and 's2b1-out' is [16, 16, 32]");
  await page.getByTestId('layer-cat1-input-1').locator('select').selectOption('s3b1-add');
  await expect(page.getByTestId('architecture-error')).toHaveCount(0);
  await expect(page.getByTestId('layer-shape-cat1')).toHaveText('[8×8×128]');
  await expect(page.getByTestId('layer-shape-pool')).toHaveText('[128]');

  await page.getByTestId('new-layer-kind').locator('select').selectOption('pad');
  await page.getByTestId('insert-after-cat1').click();
  await expect(page.getByTestId('layer-shape-pad1')).toHaveText('[10×10×128]');
  await page.getByTestId('layer-pad1-pad-1').locator('input').fill('3');
  await expect(page.getByTestId('layer-shape-pad1')).toHaveText('[12×10×128]');
  await expect(page.getByTestId('architecture-error')).toHaveCount(0);
});

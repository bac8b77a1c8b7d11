import { expect, test } from '@playwright/test';
import { openStudio } from './helpers';

test('the layer editor shows a residual preset and names an add whose wiring cannot work', async ({ page }) => {
  await openStudio(page);
  const student = page.locator('.react-flow__node[data-id="student"]');
  await student.getByText('Architecture').click();
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

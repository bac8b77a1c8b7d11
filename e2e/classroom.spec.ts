import { expect, test, type Page } from '@playwright/test';
import { TEMPERATURE_STOPS } from '../src/classroom/softTargetMaths';
import { openStudio } from './helpers';

/**
 * Classroom features: the temperature explorer (the shipped Hinton teacher's soft targets on real
 * test images, no training) and the presenter view for a 1280 x 720 projector.
 */

const entropyBits = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('explorer-entropy').getAttribute('data-bits'));

test('the temperature explorer shows the shipped teacher\'s soft targets and softens them as T rises', async ({ page }) => {
  await openStudio(page, 'wasm');
  await page.getByTestId('open-temperature-explorer').click();
  const explorer = page.getByTestId('temperature-explorer');
  await expect(explorer).toBeVisible();
  await expect(explorer.getByTestId('explorer-error')).toHaveCount(0);

  // Real bars: twelve digits, ten classes each, and the teacher's top class is the label for most.
  const cards = explorer.getByTestId('explorer-card');
  await expect(cards).toHaveCount(12, { timeout: 60_000 });
  await expect(cards.first().locator('.soft-bars__fill')).toHaveCount(10);
  const digitHasInk = await cards.first().locator('canvas').evaluate((canvas) => {
    const c = canvas as HTMLCanvasElement;
    return c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((value, i) => i % 4 === 0 && value > 128);
  });
  expect(digitHasInk, 'the digit is drawn from its pixels').toBe(true);
  expect(await explorer.locator('.soft-chart__verdict .is-right').count()).toBeGreaterThanOrEqual(11);

  const slider = explorer.getByTestId('explorer-slider');
  await expect(explorer.getByTestId('explorer-temperature')).toHaveText('T = 1');
  await expect(explorer.getByTestId('explorer-t-squared')).toHaveText('1');
  const entropyAt1 = await entropyBits(page);

  await slider.fill(String(TEMPERATURE_STOPS.indexOf(20)));
  await expect(explorer.getByTestId('explorer-temperature')).toHaveText('T = 20');
  await expect(explorer.getByTestId('explorer-t-squared')).toHaveText('400');
  const entropyAt20 = await entropyBits(page);
  expect(entropyAt20).toBeGreaterThan(entropyAt1);
  expect(entropyAt20).toBeLessThanOrEqual(Math.log2(10));
});

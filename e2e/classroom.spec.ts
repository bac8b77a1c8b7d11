import { expect, test, type Page } from '@playwright/test';
import { TEMPERATURE_STOPS } from '../src/classroom/softTargetMaths';
import { openStudio, openStudioWith, presetFile, shrinkExperiment } from './helpers';

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

/** The presenter view's four regions: the graph and the three dashboard panels it keeps. */
const PRESENTED = ['canvas', 'loss-chart', 'soft-targets', 'results-panel'];

/**
 * Every visible element with text of its own (and every ::before/::after with content) in the
 * regions, whose text reaches the screen under 14 px. Text inside the React Flow viewport is drawn
 * scaled by the zoom, so its computed size is multiplied by it.
 */
function smallTexts(page: Page): Promise<string[]> {
  return page.evaluate((testIds) => {
    const found: string[] = [];
    const zoomOf = (element: Element): number => {
      const viewport = element.closest('.react-flow__viewport');
      return viewport === null ? 1 : new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
    };
    const check = (element: Element, text: string, style: CSSStyleDeclaration, where: string) => {
      const size = parseFloat(style.fontSize) * zoomOf(element);
      if (size < 14 - 1e-6) found.push(`${where} ${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''} "${text.slice(0, 30)}": ${size.toFixed(1)} px`);
    };
    for (const testId of testIds) {
      const root = document.querySelector(`[data-testid="${testId}"]`);
      if (root === null) { found.push(`${testId} is missing`); continue; }
      for (const element of [root, ...root.querySelectorAll('*')]) {
        const rect = element.getBoundingClientRect();
        if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) || rect.width === 0 || rect.height === 0) continue;
        const ownText = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent ?? '').join('').trim();
        if (ownText !== '') check(element, ownText, getComputedStyle(element), testId);
        for (const pseudo of ['::before', '::after']) {
          const style = getComputedStyle(element, pseudo);
          const content = style.content;
          if (content !== 'none' && content !== 'normal' && content !== '""' && style.display !== 'none') check(element, `${pseudo} ${content}`, style, testId);
        }
      }
    }
    return found;
  }, PRESENTED);
}

test('presenter view fits the graph, loss curves, soft targets and results on 1280 x 720 in large type', async ({ page, request }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openStudioWith(page, 'wasm', 'tiny-hinton.json', shrinkExperiment(await presetFile(request, 'hinton-mnist.json')));
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('soft-target-row').first()).toBeVisible();

  // Outside presenter view the graph and panels do have smaller text: the check below can fail.
  expect((await smallTexts(page)).length).toBeGreaterThan(0);

  await page.getByTestId('toggle-presenter').click();
  await expect(page.getByTestId('toggle-presenter')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.studio--presenter')).toHaveCount(1);
  // The view is fitted again at the presenter zoom once the canvas has its new size.
  await expect.poll(() => smallTexts(page)).toEqual([]);

  for (const testId of PRESENTED) {
    const box = await page.getByTestId(testId).boundingBox();
    expect(box, `${testId} is laid out`).not.toBeNull();
    expect(box!.width * box!.height, `${testId} has an area`).toBeGreaterThan(0);
    expect(box!.x, `${testId} left edge`).toBeGreaterThanOrEqual(0);
    expect(box!.y, `${testId} top edge`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${testId} right edge`).toBeLessThanOrEqual(1280);
    expect(box!.y + box!.height, `${testId} bottom edge`).toBeLessThanOrEqual(720);
  }
  await expect(page.getByTestId('loss-chart').locator('.recharts-line').first()).toBeVisible();
  await expect(page.getByTestId('results-panel').locator('table').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/presenter-1280x720.png' });

  // Remembered across a reload; `?present=0` turns it off for the visit.
  await page.reload();
  await expect(page.locator('.studio--presenter')).toHaveCount(1);
  await page.goto('/?backend=wasm&present=0');
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.locator('.studio--presenter')).toHaveCount(0);
});

test('the temperature explorer says so when the shipped teacher cannot be fetched, and retries', async ({ page }) => {
  let failing = true;
  await page.route('**/teachers/index.json', (route) => (failing ? route.fulfill({ status: 503, body: 'unavailable' }) : route.fallback()));
  await openStudio(page, 'wasm');
  await page.getByTestId('open-temperature-explorer').click();
  const error = page.getByTestId('explorer-error');
  await expect(error).toContainText('could not load its teacher');
  await expect(error).toContainText('HTTP 503');
  await expect(page.getByTestId('explorer-card')).toHaveCount(0);

  failing = false;
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('explorer-card')).toHaveCount(12, { timeout: 60_000 });
  await expect(error).toHaveCount(0);
});

import { expect, test, type Page } from '@playwright/test';
import { TEMPERATURE_STOPS } from '../src/classroom/softTargetMaths';
import { lessons } from '../src/lessons/lessons';
import { expectViewSet, openStudio } from './helpers';

/**
 * Guided lessons: lesson 1 followed to its end through the real UI (no training: the shipped
 * teacher's logits), a lesson in Chinese, the replace guard, and the card's type in presenter view.
 */

const card = (page: Page) => page.getByTestId('lesson-card');

async function clickStart(page: Page, lessonId: string): Promise<void> {
  await page.getByTestId('open-lessons').click();
  await expect(page.getByTestId('lesson-list')).toBeVisible();
  await page.getByTestId(`lesson-start-${lessonId}`).click();
}

async function startLesson(page: Page, lessonId: string): Promise<void> {
  await clickStart(page, lessonId);
  await expect(card(page)).toHaveAttribute('data-lesson-id', lessonId);
  // The lesson loads its own experiment: its nodes are clicked only once that load's view is set.
  await expectViewSet(page);
}

/** "mean entropy 0.12 bits at T = 1, 2.31 bits at T = 8.0": the two entropies and T. */
async function entropies(page: Page): Promise<{ atOne: number; now: number; temperature: number }> {
  const text = await card(page).getByTestId('lesson-effect-text').textContent() ?? '';
  const match = /mean entropy ([\d.]+) bits at T = 1, ([\d.]+) bits at T = ([\d.]+)/.exec(text);
  expect(match, `entropies in "${text}"`).not.toBeNull();
  return { atOne: Number(match![1]), now: Number(match![2]), temperature: Number(match![3]) };
}

test('lesson 1, soft targets and temperature, followed to its end', async ({ page }) => {
  await openStudio(page, 'wasm');
  await startLesson(page, 'soft-targets');
  await expect(page.getByTestId('experiment-name')).toHaveValue('Lesson: soft targets and temperature');
  const next = card(page).getByTestId('lesson-next');

  // Step 1: the ring is on the KD block; Next waits until it is selected.
  await expect(card(page).getByTestId('lesson-step-count')).toHaveText('Step 1 of 4');
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'node-kd');
  await expect(card(page).getByTestId('lesson-formula').locator('.katex')).toBeVisible();
  await expect(next).toBeDisabled();
  await page.getByTestId('node-kd').click();
  await expect(card(page).getByTestId('lesson-ask')).toHaveAttribute('data-done', 'true');
  await next.click();

  // Step 2: T in the inspector is ringed; the effect is computed from the shipped teacher's real logits.
  await expect(card(page).getByTestId('lesson-step-count')).toHaveText('Step 2 of 4');
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'loss-param-T');
  await expect(card(page).getByTestId('lesson-effect-text')).toBeVisible({ timeout: 60_000 });
  const atStart = await entropies(page);
  expect(atStart.temperature).toBe(1);
  expect(atStart.now).toBe(atStart.atOne);
  await expect(next).toBeDisabled();
  await page.getByTestId('loss-param-T').locator('input').fill('8');
  await expect(card(page).getByTestId('lesson-effect-text')).toContainText('T = 8.0');
  const atEight = await entropies(page);
  expect(atEight.atOne).toBe(atStart.atOne);
  expect(atEight.now, 'softer targets: higher entropy').toBeGreaterThan(atEight.atOne + 0.5);
  expect(atEight.now).toBeLessThanOrEqual(Math.log2(10));
  await next.click();

  // Step 3: T = 20 and the T² factor said from it.
  await expect(card(page).getByTestId('lesson-step-count')).toHaveText('Step 3 of 4');
  await expect(next).toBeDisabled();
  await page.getByTestId('loss-param-T').locator('input').fill('20');
  await expect(card(page).getByTestId('lesson-effect-text')).toContainText('T² = 400');
  await expect(card(page).getByTestId('lesson-effect-text')).toContainText('1/400');
  await next.click();

  // Step 4: open the explorer; its entropy at T = 8 is the one the lesson computed.
  await expect(card(page).getByTestId('lesson-step-count')).toHaveText('Step 4 of 4');
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'open-temperature-explorer');
  await expect(next).toBeDisabled();
  await page.getByTestId('open-temperature-explorer').click();
  const explorer = page.getByTestId('temperature-explorer');
  await expect(explorer.getByTestId('explorer-card')).toHaveCount(12, { timeout: 60_000 });
  await explorer.getByTestId('explorer-slider').fill(String(TEMPERATURE_STOPS.indexOf(8)));
  await expect(explorer.getByTestId('explorer-temperature')).toHaveText('T = 8');
  expect(Number(await explorer.getByTestId('explorer-entropy').getAttribute('data-bits')).toFixed(2)).toBe(atEight.now.toFixed(2));
  await expect(next).toHaveText('Finish ✓');
  await next.click();
  await expect(card(page)).toHaveCount(0);
  await expect(page.getByTestId('lesson-highlight')).toHaveCount(0);

  // Remembered as done, across a reload.
  await page.getByTestId('explorer-close').click();
  await page.reload();
  await page.getByTestId('open-lessons').click();
  await expect(page.getByTestId('lesson-item-soft-targets')).toHaveAttribute('data-done', 'true');
});

/** "12.34 %" in a results cell -> 12.34. */
const percentIn = async (page: Page, testId: string): Promise<number> => Number((await page.getByTestId(testId).textContent())?.replace('%', '').trim());

test('lesson 2, the pipeline and the three metrics, followed to its end with a real run', async ({ page }) => {
  test.setTimeout(600_000);
  await openStudio(page, 'wasm');
  await startLesson(page, 'pipeline');
  const next = card(page).getByTestId('lesson-next');

  // Step 1: the teacher, and the inspector says a shipped teacher matches (the lesson's small settings kept its key).
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'node-teacher');
  await expect(next).toBeDisabled();
  await page.getByTestId('node-teacher').click();
  await expect(page.getByTestId('teacher-pretrained')).toHaveAttribute('data-shipped', 'true');
  await next.click();

  // Step 2: compression from the architectures, before any training.
  await page.getByTestId('node-student').click();
  await expect(card(page).getByTestId('lesson-effect-text')).toHaveText('Teacher 2,395,210 ÷ student 1,276,810 parameters = 1.9×.');
  await next.click();

  // Step 3: Run; Next waits for the results, and the effect reads the same numbers as the results panel.
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'run-button');
  await expect(next).toBeDisabled();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 540_000 });
  await expect(page.getByTestId('result-row-teacher')).toContainText('(pretrained)');
  await expect(next).toBeEnabled();
  const effect = await card(page).getByTestId('lesson-effect-text').textContent() ?? '';
  const drop = /accuracy drop ([\d.]+) % − ([\d.]+) % = ([-+\d.]+) points/.exec(effect);
  const gain = /distillation gain ([\d.]+) % − baseline ([\d.]+) % = ([-+\d.]+) points/.exec(effect);
  expect(drop, effect).not.toBeNull();
  expect(gain, effect).not.toBeNull();
  expect(Number(drop![1])).toBeCloseTo(await percentIn(page, 'result-teacher-accuracy'), 2);
  expect(Number(drop![2])).toBeCloseTo(await percentIn(page, 'result-student-accuracy'), 2);
  expect(Number(gain![2])).toBeCloseTo(await percentIn(page, 'result-baseline-accuracy'), 2);
  expect(Number(drop![3])).toBeCloseTo(Number(drop![1]) - Number(drop![2]), 1);
  expect(Number(gain![3])).toBeCloseTo(Number(gain![1]) - Number(gain![2]), 1);
  await next.click();

  // Step 4: the headline is ringed; Finish marks the lesson done.
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'results-headline');
  await expect(next).toHaveText('Finish ✓');
  await next.click();
  await expect(card(page)).toHaveCount(0);
  await page.getByTestId('open-lessons').click();
  await expect(page.getByTestId('lesson-item-pipeline')).toHaveAttribute('data-done', 'true');
});

test('a lesson in Chinese', async ({ page }) => {
  await openStudio(page, 'wasm', '&lang=zh');
  await expect(page.getByTestId('open-lessons')).toHaveText('课程');
  await startLesson(page, 'fitnet');
  const fitnet = lessons.find((lesson) => lesson.id === 'fitnet')!;
  await expect(page.getByTestId('experiment-name')).toHaveValue(fitnet.setup.name.zh);
  await expect(card(page).getByTestId('lesson-step-count')).toHaveText('第 1 步，共 3 步');
  await expect(card(page).getByTestId('lesson-step-title')).toHaveText(fitnet.steps[0].title.zh);
  await expect(card(page).getByTestId('lesson-text')).toHaveText(/提示层/);
  await expect(card(page).getByTestId('lesson-next')).toHaveText('下一步 →');
  await page.getByTestId('node-guided-pool2').click();
  await card(page).getByTestId('lesson-next').click();
  await expect(card(page).getByTestId('lesson-text')).toContainText('适配器');
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'adapter-status');
});

test('a lesson never replaces unsaved work without asking', async ({ page }) => {
  await openStudio(page, 'wasm');
  await page.getByTestId('experiment-name').fill('My own experiment');
  await clickStart(page, 'pipeline');
  await expect(page.getByTestId('replace-dialog')).toBeVisible();
  await expect(card(page)).toHaveCount(0);
  await page.getByTestId('replace-cancel').click();
  await expect(page.getByTestId('experiment-name')).toHaveValue('My own experiment');
  await expect(card(page).getByTestId('lesson-not-open')).toBeVisible();
  await expect(card(page).getByTestId('lesson-next')).toBeDisabled();

  await card(page).getByTestId('lesson-open-experiment').click();
  await page.getByTestId('replace-open').click();
  await expect(page.getByTestId('experiment-name')).toHaveValue('Lesson: the pipeline and the three metrics');
  await expect(card(page).getByTestId('lesson-not-open')).toHaveCount(0);
});

/** Visible text in the card (KaTeX included) rendered under 14 px. */
function smallCardTexts(page: Page): Promise<string[]> {
  return card(page).evaluate((root) => {
    const found: string[] = [];
    for (const element of [root, ...root.querySelectorAll('*')]) {
      const rect = element.getBoundingClientRect();
      if (!element.checkVisibility({ checkVisibilityCSS: true }) || rect.width === 0 || rect.height === 0) continue;
      // KaTeX's struts hold a zero-width space at 1 px: not text anyone reads.
      const ownText = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent ?? '').join('')
        .replace(/\u200b/g, '').trim();
      const size = parseFloat(getComputedStyle(element).fontSize);
      if (ownText !== '' && size < 14 - 1e-6) found.push(`${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''} "${ownText.slice(0, 20)}": ${size.toFixed(1)} px`);
    }
    return found;
  });
}

test('presenter view at 1280 x 720: the card\'s text is 14 px or more, and its own field makes the change', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?present=1&backend=wasm');
  await expect(page.locator('.studio--presenter')).toHaveCount(1);
  await startLesson(page, 'soft-targets');
  await expect(card(page).locator('.katex').first()).toBeVisible();
  expect(await smallCardTexts(page)).toEqual([]);

  await page.getByTestId('node-kd').click();
  await card(page).getByTestId('lesson-next').click();
  // The inspector is hidden here: the ring falls back to the KD block, and the card's field sets T.
  await expect(page.getByTestId('lesson-highlight')).toHaveAttribute('data-anchor', 'node-kd');
  await card(page).getByTestId('lesson-control').fill('8');
  await expect(card(page).getByTestId('lesson-ask')).toHaveAttribute('data-done', 'true');
  await expect(card(page).getByTestId('lesson-effect-text')).toContainText('T = 8.0', { timeout: 60_000 });
  expect(await smallCardTexts(page)).toEqual([]);
  const box = await card(page).boundingBox();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(720);
  await page.screenshot({ path: 'test-results/lesson-presenter-1280x720.png' });
});

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The part of `box` inside `clip`, or null. */
function clipped(box: Box, clip: Box): Box | null {
  const x = Math.max(box.x, clip.x);
  const y = Math.max(box.y, clip.y);
  const right = Math.min(box.x + box.width, clip.x + clip.width);
  const bottom = Math.min(box.y + box.height, clip.y + clip.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

/** The graph's nodes as seen on screen: each box cut to the canvas (the rest of a node is hidden). */
async function visibleNodeBoxes(page: Page): Promise<{ id: string; box: Box }[]> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const boxes: { id: string; box: Box }[] = [];
  for (const node of await page.locator('.react-flow__node').all()) {
    const box = await node.boundingBox();
    const seen = box === null ? null : clipped(box, canvas);
    if (seen !== null) boxes.push({ id: await node.getAttribute('data-id') ?? '?', box: seen });
  }
  return boxes;
}

test('presenter view at 1280 x 720: the minimised card leaves the graph\'s nodes free, reads at 14 px, and stays minimised', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?present=1&backend=wasm');
  await expect(page.locator('.studio--presenter')).toHaveCount(1);
  await startLesson(page, 'soft-targets');
  const next = card(page).getByTestId('lesson-next');
  await page.getByTestId('node-kd').click();
  await next.click();
  await card(page).getByTestId('lesson-control').fill('8');
  await next.click();
  await card(page).getByTestId('lesson-control').fill('20');
  await next.click();
  // Step 4 rings the explorer button on the right, so the card docks left: over the graph.
  await expect(card(page).getByTestId('lesson-step-count')).toHaveText('Step 4 of 4');
  await expect(card(page)).toHaveClass(/lesson-card--left/);
  const full = (await card(page).boundingBox())!;
  const covered = (await visibleNodeBoxes(page)).filter(({ box }) => overlaps(box, full)).map(({ id }) => id);
  expect(covered, 'open, the card covers nodes at this size: what the toggle is for').not.toEqual([]);

  await card(page).getByTestId('lesson-minimise').click();
  await expect(card(page)).toHaveAttribute('data-minimised', 'true');
  await expect(card(page).getByTestId('lesson-text')).toHaveCount(0);
  await expect(card(page).getByTestId('lesson-step-count')).toHaveText('Step 4 of 4');
  const small = (await card(page).boundingBox())!;
  expect(small.height).toBeLessThan(full.height / 3);
  const nodes = await visibleNodeBoxes(page);
  expect(nodes.length).toBeGreaterThanOrEqual(3);
  expect(nodes.filter(({ box }) => overlaps(box, small)).map(({ id }) => id)).toEqual([]);
  expect(await smallCardTexts(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/lesson-presenter-minimised-1280x720.png' });

  // Remembered across a reload; restoring brings the whole step back.
  await page.reload();
  await page.getByTestId('open-lessons').click();
  await page.getByTestId('lesson-resume-soft-targets').click();
  await expect(card(page)).toHaveAttribute('data-minimised', 'true');
  await card(page).getByTestId('lesson-minimise').click();
  await expect(card(page)).toHaveAttribute('data-minimised', 'false');
  await expect(card(page).getByTestId('lesson-text')).toBeVisible();
});

import { expect, test, type Locator, type Page } from '@playwright/test';
import { nodeCount, openStudio, openStudioWith, presetFile, shrinkExperiment, TINY_RUN } from './helpers';

/** Issue 16: what a new user sees first on a small laptop screen. */
test.use({ viewport: { width: 1280, height: 720 } });

interface Box { x: number; y: number; width: number; height: number }

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function boxesOf(locator: Locator): Promise<Box[]> {
  const boxes = await Promise.all((await locator.all()).map((item) => item.boundingBox()));
  return boxes.filter((box): box is Box => box !== null);
}

/** The canvas's zoom, read from React Flow's viewport transform. */
async function zoomOf(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((element) => (element as HTMLElement).style.transform);
  const scale = /scale\(([\d.]+)\)/.exec(transform);
  if (scale === null) throw new Error(`No scale in the viewport transform '${transform}'.`);
  return Number(scale[1]);
}

async function dragBetween(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (a === null || b === null) throw new Error('Both handles must be on screen to connect them.');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

test('at startup the minimap covers no node and node titles are at least 12 px', async ({ page }) => {
  await openStudio(page);
  const nodes = page.locator('.react-flow__node');
  // The first view is set once the nodes are measured: wait for the readable zoom.
  await expect.poll(() => zoomOf(page)).toBeGreaterThan(0.9);
  const nodeBoxes = await boxesOf(nodes);
  expect(nodeBoxes.length).toBeGreaterThan(0);
  for (const minimap of await boxesOf(page.locator('.react-flow__minimap'))) {
    expect(nodeBoxes.filter((box) => overlaps(box, minimap))).toEqual([]);
  }
  // Rendered size: the CSS font size times the label's on-screen scale (bounding box over layout height).
  const titleSizes = await page.locator('.studio-node__label').evaluateAll((labels) => labels.map((label) => {
    const element = label as HTMLElement;
    return parseFloat(getComputedStyle(element).fontSize) * (element.getBoundingClientRect().height / element.offsetHeight);
  }));
  expect(titleSizes.length).toBe(await nodeCount(page));
  for (const size of titleSizes) expect(size).toBeGreaterThanOrEqual(12);
});

test('a palette block lands in free space in view, without changing the zoom, by click and by drop', async ({ page }) => {
  await openStudio(page);
  await expect.poll(() => zoomOf(page)).toBeGreaterThan(0.9);
  const zoom = await zoomOf(page);
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (canvas === null) throw new Error('The canvas must be on screen.');

  const expectPlacedInFreeSpace = async (count: number): Promise<void> => {
    await expect.poll(() => nodeCount(page)).toBe(count);
    // The new node is the selected one.
    const added = page.locator('.react-flow__node.selected');
    await expect(added).toHaveCount(1);
    const addedBox = await added.boundingBox();
    if (addedBox === null) throw new Error('The new node must be on screen.');
    const others = await boxesOf(page.locator('.react-flow__node:not(.selected)'));
    expect(others.filter((box) => overlaps(box, addedBox))).toEqual([]);
    expect(overlaps(addedBox, canvas)).toBe(true);
    expect(await zoomOf(page)).toBe(zoom);
  };

  const before = await nodeCount(page);
  await page.getByTestId('palette-loss-at').click();
  await expectPlacedInFreeSpace(before + 1);

  // Dropped on the dataset node's header: it moves to the nearest free spot instead.
  const dataset = await page.locator('.react-flow__node[data-id="dataset"]').boundingBox();
  if (dataset === null) throw new Error('The dataset node must be on screen.');
  await page.getByTestId('palette-trainer').dragTo(page.getByTestId('canvas'), {
    targetPosition: { x: dataset.x - canvas.x + dataset.width / 2, y: dataset.y - canvas.y + 12 },
  });
  await expectPlacedInFreeSpace(before + 2);
});

test('repeated errors merge into one toast with a count, and its close button removes it', async ({ page }) => {
  await openStudio(page);
  await expect.poll(() => zoomOf(page)).toBeGreaterThan(0.9);
  // Labels cannot feed a model's image input: refused twice with the same reason.
  const labelsOut = page.locator('[data-testid$="-out-labels"]').first();
  const imagesIn = page.locator('[data-testid^="handle-"][data-testid$="-in-images"]').first();
  await dragBetween(page, labelsOut, imagesIn);
  const refused = page.getByTestId('toast').filter({ hasText: 'Connection refused' });
  await expect(refused).toHaveCount(1);
  await expect(refused.getByTestId('toast-count')).toHaveCount(0);
  await dragBetween(page, labelsOut, imagesIn);
  await dragBetween(page, labelsOut, imagesIn);
  await expect(refused).toHaveCount(1);
  await expect(refused.getByTestId('toast-count')).toHaveText('×3');

  // Closed from the keyboard: the close button is a labelled button.
  const close = refused.getByRole('button', { name: 'Close message' });
  await close.focus();
  await page.keyboard.press('Enter');
  await expect(refused).toHaveCount(0);
});

test('a model stopped mid-training says at which step, not "not run"', async ({ page, request }) => {
  // Enough steps (3 epochs of 128) that Stop lands in the middle of the teacher's training.
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'), { ...TINY_RUN, trainSubset: 8192, epochs: 3 });
  await openStudioWith(page, 'wasm', 'stoppable.json', experiment);
  await page.getByTestId('run-teacher').click();
  await expect(page.getByTestId('progress')).toContainText(/step [1-9]\d*\//, { timeout: 120_000 });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
  const teacherAccuracy = page.getByTestId('results-panel').getByTestId('result-teacher-accuracy');
  await expect(teacherAccuracy).toHaveText(/^stopped at step \d+\/\d+, epoch \d+\/3$/);
  await expect(page.getByTestId('results-panel').getByTestId('result-baseline-accuracy')).toHaveText('not run');
});

test('a node focused from the keyboard shows a focus ring', async ({ page }) => {
  await openStudio(page);
  const node = page.locator('.react-flow__node').first();
  const ringOf = (target: Locator) => target.evaluate((element) => {
    const style = getComputedStyle(element);
    return { outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth), shadow: style.boxShadow };
  });
  expect((await ringOf(node)).outline).toBe(0);
  // Tab from the last palette block into the canvas until a node has the focus.
  await page.locator('.palette__item').last().focus();
  let focusedNode = false;
  for (let presses = 0; presses < 60 && !focusedNode; presses += 1) {
    await page.keyboard.press('Tab');
    focusedNode = await page.evaluate(() => document.activeElement?.classList.contains('react-flow__node') ?? false);
  }
  expect(focusedNode, 'Tab reaches a node').toBe(true);
  const focused = page.locator('.react-flow__node:focus-visible');
  await expect(focused).toHaveCount(1);
  expect((await ringOf(focused)).outline).toBeGreaterThanOrEqual(2);
});

test('a feature-map loss among MLPs offers the CNN presets, applied in one click', async ({ page }) => {
  await openStudio(page);
  await page.getByTestId('palette-loss-at').click();
  await expect(page.locator('.react-flow__node.selected')).toContainText('Attention transfer');
  const fix = page.getByTestId('inspector-problems').getByTestId('problem-fix');
  await expect(fix).toHaveText('Use cnn-teacher / cnn-student');
  await fix.click();
  await expect(page.locator('.react-flow__node[data-id="teacher"]')).toContainText('cnn-teacher');
  await expect(page.locator('.react-flow__node[data-id="student"]')).toContainText('cnn-student');
  await expect(page.getByTestId('problem-fix')).toHaveCount(0);
});

import { expect, test, type Locator, type Page } from '@playwright/test';
import { openStudio, selectNode } from './helpers';

/**
 * The interface in English and Simplified Chinese: switched with the toolbar's select, remembered
 * across reloads, `<html lang>` following it, and `?lang=zh` opening in Chinese. English is the
 * default (the browser here asks for en-US). Every check names a text only a translation shows.
 */

/** The default Hinton preset's KD block on the canvas. */
const kdNode = (page: Page): Locator => page.locator('.react-flow__node[data-id="kd"]');

async function selectKdBlock(page: Page): Promise<void> {
  await selectNode(page, 'kd');
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-node-id', 'kd');
}

async function expectChinese(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // Toolbar.
  await expect(page.getByTestId('save-experiment')).toHaveText('保存');
  await expect(page.getByTestId('share-experiment')).toHaveText('分享链接');
  // Palette: group titles, entries, and an entry's description from the loss registry's Chinese table.
  const palette = page.getByTestId('palette');
  await expect(palette).toContainText('数据与模型');
  await expect(page.getByTestId('palette-teacher')).toHaveText('教师');
  await expect(page.getByTestId('palette-loss-at')).toHaveText('注意力迁移');
  await expect(page.getByTestId('palette-loss-kd')).toHaveAttribute('title', /软化后的类别概率/);
  // A node on the canvas: its kind, the method's name, its ports and parameter chip.
  await expect(kdNode(page).locator('.studio-node__kind')).toHaveText('损失 · kd');
  await expect(kdNode(page)).toContainText('KD（软目标）');
  await expect(kdNode(page)).toContainText('教师 logits');
  await expect(kdNode(page)).toContainText('温度 T 20');
  await expect(page.locator('.react-flow__node[data-id="teacher"] .studio-node__kind')).toHaveText('教师');
  // The inspector of the KD block: name, a parameter label, the description, the inputs.
  await selectKdBlock(page);
  const inspector = page.getByTestId('inspector');
  await expect(page.getByTestId('inspector-title')).toHaveText('损失模块 · KD（软目标）');
  await expect(page.getByTestId('loss-summary')).toContainText('学生学习模仿教师经温度软化后的类别概率');
  await expect(page.getByTestId('loss-param-T').locator('label')).toHaveText('温度 T');
  await expect(page.getByTestId('loss-param-T')).toContainText('暗知识');
  await expect(page.getByTestId('loss-weight-field').locator('label')).toHaveText('权重');
  await expect(inspector).toContainText('输入');
  // Formulas and citations stay the papers' own.
  await expect(page.getByTestId('loss-citation')).toHaveText(/Distilling the Knowledge in a Neural Network/);
}

async function expectEnglish(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('save-experiment')).toHaveText('Save');
  await expect(page.getByTestId('palette')).toContainText('Data & models');
  await expect(page.getByTestId('palette-teacher')).toHaveText('Teacher');
  await expect(page.getByTestId('palette-loss-at')).toHaveText('Attention transfer');
  await expect(kdNode(page).locator('.studio-node__kind')).toHaveText('Loss · kd');
  await expect(kdNode(page)).toContainText('Teacher logits');
  await expect(kdNode(page)).toContainText('Temperature T 20');
  await selectKdBlock(page);
  await expect(page.getByTestId('inspector-title')).toHaveText('Loss block · KD (soft targets)');
  await expect(page.getByTestId('loss-summary')).toContainText("The student learns to copy the teacher's softened class probabilities");
  await expect(page.getByTestId('loss-param-T').locator('label')).toHaveText('Temperature T');
  await expect(page.getByTestId('inspector')).not.toContainText('温度');
}

/** Elements inside `container` whose content is wider than their box (text that does not fit). */
async function overflowing(container: Locator): Promise<string[]> {
  return container.evaluate((root) => {
    const wide = [root, ...root.querySelectorAll('*')].filter((element) => {
      if (!(element instanceof HTMLElement) || element.offsetParent === null) return false;
      // Selects and inputs clip their own text by design; the box around them must not overflow.
      if (element.matches('select, input, option, .katex, .katex *')) return false;
      return element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'auto';
    });
    return wide.map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.slice(0, 40)}`);
  });
}

test('switch to Chinese and see translated text, remembered after a reload; back to English', async ({ page }) => {
  await openStudio(page, 'wasm');
  await expectEnglish(page);

  await page.getByTestId('language-select').selectOption('zh');
  await expectChinese(page);

  await page.reload();
  await expect(page.locator('[data-testid^="node-"]').first()).toBeVisible();
  await expect(page.getByTestId('language-select')).toHaveValue('zh');
  await expectChinese(page);

  await page.getByTestId('language-select').selectOption('en');
  await expectEnglish(page);
  await page.reload();
  await expect(page.locator('[data-testid^="node-"]').first()).toBeVisible();
  await expectEnglish(page);
});

async function dragBetween(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (a === null || b === null) throw new Error('Both handles must be on screen to connect them.');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

test('?lang=zh opens the studio in Chinese; problems and refused connections are explained in Chinese', async ({ page }) => {
  await openStudio(page, 'wasm', '&lang=zh');
  await expect(page.getByTestId('language-select')).toHaveValue('zh');
  await expectChinese(page);

  // Labels cannot feed a model's images: the refusal says why, in Chinese.
  await dragBetween(page, page.getByTestId('handle-dataset-out-labels'), page.getByTestId('handle-student-in-images'));
  await expect(page.getByTestId('connection-error').first()).toHaveText('标签输出不能连接到图像输入：请把它连接到标签输入。');

  // A new teacher is named in Chinese and, teaching nothing yet, is flagged with a Chinese warning.
  await page.getByTestId('palette-teacher').click();
  await expect(page.getByTestId('field-label').locator('input')).toHaveValue('教师');
  const problems = page.getByTestId('inspector-problems');
  await expect(problems).toContainText('“教师”没有教任何网络：把它的 Logits（或其“层”上的引导层）连接到训练另一个网络的损失（例如 KD）的教师一侧，或删除它。');
  await expect(problems).not.toContainText('teaches nothing');
});

test('in Chinese the preset list and a new trainer\'s problem read in Chinese', async ({ page }) => {
  await openStudio(page, 'wasm', '&lang=zh');
  await expect(page.getByTestId('preset-select').locator('option[value="hinton-mnist.json"]')).toHaveText('MNIST 上的 Hinton KD');
  // A trainer fresh from the palette has no losses: its badge explains that in Chinese.
  await page.getByTestId('palette-trainer').click();
  const id = await page.getByTestId('inspector').getAttribute('data-node-id');
  const badge = page.locator(`.react-flow__node[data-id="${id}"]`).getByTestId('node-problem');
  await expect(badge).toHaveAttribute('title', /没有损失：至少把一个损失（例如交叉熵）连接到它的“损失”输入。/);
  await expect(badge).not.toHaveAttribute('title', /has no losses/);
});

test('Chinese texts fit the palette and the inspector at 1280×720', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openStudio(page, 'wasm', '&lang=zh');
  await selectKdBlock(page);
  await expect(page.getByTestId('loss-summary')).toContainText('软目标');
  expect(await overflowing(page.getByTestId('palette'))).toEqual([]);
  expect(await overflowing(page.getByTestId('inspector'))).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('chinese-kd-1280x720.png') });
  // The teacher's inspector: role, layer editor, teacher training fields.
  await selectNode(page, 'teacher');
  await expect(page.getByTestId('layer-editor')).toBeVisible();
  expect(await overflowing(page.getByTestId('inspector'))).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('chinese-teacher-1280x720.png') });
});

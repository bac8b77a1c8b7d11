import { expect, test, type Locator, type Page } from '@playwright/test';
import { presetFile, shrinkExperiment, uploadExperiment } from './helpers';

/**
 * The interface in Simplified Chinese: opened with ?lang=zh, a tiny real run of the Hinton preset
 * shows Chinese run controls, dashboard panels, results (the three metrics), export card, history
 * and temperature explorer; the panels fit a 1280 x 720 screen, in presenter view too; switching
 * to English applies at once.
 */
test.use({ viewport: { width: 1280, height: 720 } });

/** Labels and headers that must never be cut off. */
const TEXTS = '.run-toolbar button, .run-toolbar label, .studio__run-bar > button, .classroom-buttons button, th, dt, .results-metric__title';
/** Panels that must not need a sideways scroll bar in the normal view (presenter view lets its three panels scroll, in English too). */
const PANELS = '.dash-panel, .export-panel';

/** Visible elements matching `selector` whose content is wider than their box (text cut off or a sideways scroll bar). */
async function overflowing(scope: Locator, selector: string): Promise<string[]> {
  return scope.evaluate((root, query) => [...root.querySelectorAll<HTMLElement>(query)]
    .filter((element) => element.offsetParent !== null && element.scrollWidth > element.clientWidth + 1)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.slice(0, 40)}`), selector);
}

async function panelTitle(page: Page, testId: string): Promise<Locator> {
  return page.getByTestId(testId).locator('.dash-panel__title');
}

test('switch to Chinese and see translated text through a whole run', async ({ page, request }) => {
  test.setTimeout(600_000);
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await page.goto('/?backend=wasm&lang=zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('canvas')).toBeVisible();
  await uploadExperiment(page, 'tiny-hinton.json', JSON.stringify(experiment));
  await expect(page.getByTestId('experiment-name')).toHaveValue(experiment.name);

  // Run controls before the run.
  await expect(page.getByTestId('run-button')).toHaveText('▶ 运行');
  await expect(page.getByTestId('run-teacher')).toHaveText('教师');
  await expect(page.getByTestId('run-baseline')).toHaveText('基线');
  await expect(page.getByTestId('run-student')).toHaveText('蒸馏');
  await expect(page.getByTestId('sweep-button')).toHaveText('参数扫描…');
  await expect(page.getByTestId('stop-button')).toHaveText('■ 停止');
  await expect(page.getByTestId('run-status')).toHaveText('空闲');
  await expect(page.getByTestId('toggle-dashboard')).toHaveText('隐藏仪表板 ▾');
  await expect(page.getByTestId('toggle-presenter')).toHaveText('演示视图');
  await expect(await panelTitle(page, 'loss-chart')).toHaveText('每步损失');
  await expect(page.getByTestId('loss-chart')).toContainText('开始训练后，这里会显示损失曲线。');
  await expect(await panelTitle(page, 'accuracy-chart')).toHaveText('每轮准确率');
  await expect(await panelTitle(page, 'soft-targets')).toHaveText('软目标');
  await expect(await panelTitle(page, 'attention-maps')).toHaveText('注意力图');
  await expect(await panelTitle(page, 'fsp-matrices')).toHaveText('FSP 矩阵');
  await expect(await panelTitle(page, 'results-panel')).toHaveText('结果');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('运行中');
  await expect(page.getByTestId('pause-button')).toHaveText('❚❚ 暂停');
  await expect(page.getByTestId('run-status')).toHaveText('已完成', { timeout: 300_000 });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished');
  await expect(page.getByTestId('progress')).toContainText(/100% · .* · 轮次 1\/1 · 步 \d+\/\d+/);

  // Results: the three metrics, the table headers and the role names.
  const results = page.getByTestId('results-panel');
  const headline = results.getByTestId('results-headline');
  await expect(headline.locator('.results-metric__title')).toHaveText(['压缩比', '准确率下降', '蒸馏增益']);
  await expect(headline).toContainText('参数量');
  await expect(results.locator('.results-table thead th')).toHaveText(
    ['模型', '角色', '测试集准确率', '验证集', '参数量', '大小', '计算量 (FLOPs)', '单样本推理', '训练时间', '种子']);
  await expect(results.getByTestId('result-teacher-role')).toHaveText('教师');
  await expect(results.getByTestId('result-baseline-role')).toHaveText('基线');
  await expect(results.getByTestId('result-student-role')).toHaveText('蒸馏学生');
  await expect(results.getByTestId('download-results')).toHaveText('下载结果 JSON');
  await expect(page.getByTestId('accuracy-chart')).toContainText('测试');
  await expect(page.getByTestId('soft-targets')).toContainText('真实标签');

  await page.screenshot({ path: 'test-results/dashboard-zh-1280x720.png', fullPage: true });

  // Export: the panel, its verification verdict and the model card.
  const exportPanel = page.getByTestId('export-panel');
  await expect(exportPanel.locator('.export-panel__title')).toHaveText(/^导出“.+”$/);
  const verdict = exportPanel.getByTestId('export-verify-result');
  await expect(verdict).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(verdict).toContainText(/^已验证：最大 \|差值\|/);
  const card = exportPanel.getByTestId('export-model-card');
  await expect(card.locator('dt')).toContainText(['模型', '测试集准确率', '教师准确率', '基线（无教师）', '蒸馏增益', '种子']);
  await expect(exportPanel.getByTestId('export-download-onnx')).toHaveText('下载 ONNX');

  // Fits 1280 x 720 in Chinese.
  expect(await overflowing(page.getByTestId('run-region'), `${TEXTS}, ${PANELS}`)).toEqual([]);

  // History: the drawer, the kept run's numbers and actions.
  await expect(page.getByTestId('history-button')).toHaveText('历史');
  await page.getByTestId('history-button').click();
  const history = page.getByTestId('history-panel');
  await expect(history.locator('h2')).toHaveText('历史');
  await expect(history.getByTestId('history-storage')).toContainText(/^1 次运行, /);
  const run = history.getByTestId('history-run').first();
  await expect(run.locator('dt')).toHaveText(['教师', '基线', '蒸馏', '增益']);
  await expect(run.getByTestId('history-run-open')).toHaveText('打开实验');
  await expect(run.getByTestId('history-run-delete')).toHaveText('删除…');
  await history.getByTestId('history-close').click();

  // Temperature explorer.
  await expect(page.getByTestId('open-temperature-explorer')).toHaveText('温度探索器');
  await page.getByTestId('open-temperature-explorer').click();
  const explorer = page.getByTestId('temperature-explorer');
  await expect(explorer.locator('h2')).toHaveText('温度探索器');
  await expect(explorer.getByTestId('explorer-card')).toHaveCount(12, { timeout: 60_000 });
  await expect(explorer.locator('dt')).toHaveText(['平均熵', '暗知识', 'KD 损失 × T²']);
  await expect(explorer.getByTestId('explorer-entropy')).toContainText('比特');
  await expect(explorer.getByTestId('explorer-close')).toHaveText('关闭');
  await explorer.getByTestId('explorer-close').click();

  // Presenter view: its toggle's label, and the panels still fit.
  await page.getByTestId('toggle-presenter').click();
  await expect(page.getByTestId('toggle-presenter')).toHaveText('退出演示视图');
  await expect(page.locator('.studio--presenter')).toHaveCount(1);
  expect(await overflowing(page.getByTestId('run-region'), TEXTS)).toEqual([]);
  for (const testId of ['loss-chart', 'soft-targets', 'results-panel']) {
    const box = await page.getByTestId(testId).boundingBox();
    expect(box, `${testId} is laid out`).not.toBeNull();
    expect(box!.x + box!.width, `${testId} right edge`).toBeLessThanOrEqual(1280);
    expect(box!.y + box!.height, `${testId} bottom edge`).toBeLessThanOrEqual(720);
  }
  await page.screenshot({ path: 'test-results/presenter-zh-1280x720.png' });
  await page.getByTestId('toggle-presenter').click();

  // English again, at once, without a reload.
  await page.getByTestId('language-select').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('run-status')).toHaveText('finished');
  await expect(headline.locator('.results-metric__title')).toHaveText(['Compression', 'Accuracy drop', 'Distillation gain']);
  await expect(page.getByTestId('toggle-presenter')).toHaveText('Presenter view');
});

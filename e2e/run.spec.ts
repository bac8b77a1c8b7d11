import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cnnPresetWithAttentionAndFsp, openStudioWith, shrinkExperiment } from './helpers';

/**
 * One real, tiny run of the CNN preset with attention transfer and FSP on WebGL: teacher, baseline
 * and distilled student train for one epoch on 256 images, and every dashboard panel fills.
 */

test('a tiny CNN run fills the loss, accuracy, soft-target, attention, FSP and results panels', async ({ page, request }) => {
  test.setTimeout(300_000);
  const experiment = shrinkExperiment(await cnnPresetWithAttentionAndFsp(request));
  await openStudioWith(page, 'webgl', 'tiny-cnn.json', experiment);

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
  await expect(page.getByTestId('backend-badge')).toContainText('WebGL');

  // Loss curves and progress while it trains.
  await expect(page.getByTestId('loss-chart').locator('.recharts-line').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('progress')).toContainText(/epoch \d+\/\d+ · step \d+\/\d+/);

  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);

  // Accuracy for all three models, and both charts keep their shared axes (step, epoch) and grid.
  await expect(page.getByTestId('accuracy-chart').locator('.recharts-line')).toHaveCount(6);
  for (const [chart, unit] of [['loss-chart', 'step'], ['accuracy-chart', 'epoch']] as const) {
    await expect(page.getByTestId(chart).locator('.recharts-label', { hasText: unit })).toHaveCount(1);
    expect(await page.getByTestId(chart).locator('.recharts-xAxis-ticks .recharts-cartesian-axis-tick').count()).toBeGreaterThan(0);
    await expect(page.getByTestId(chart).locator('.recharts-cartesian-grid')).toHaveCount(1);
  }

  // Soft targets: one row per probe image, and the temperature slider redraws the bars.
  const rows = page.getByTestId('soft-target-row');
  await expect(rows).toHaveCount(3);
  const firstBars = rows.first().locator('.soft-bars--teacher .soft-bars__fill');
  await expect(firstBars).toHaveCount(10);
  const heightsBefore = await firstBars.evaluateAll((bars) => bars.map((bar) => (bar as HTMLElement).style.height));
  await page.getByTestId('temperature-slider').fill('20');
  await expect
    .poll(() => firstBars.evaluateAll((bars) => bars.map((bar) => (bar as HTMLElement).style.height)))
    .not.toEqual(heightsBefore);

  // Attention maps (teacher and student per pair and probe) and FSP matrices, drawn on canvases.
  const attentionMaps = page.getByTestId('attention-maps').getByTestId('attention-heatmap');
  expect(await attentionMaps.count()).toBeGreaterThanOrEqual(2);
  const fspMaps = page.getByTestId('fsp-matrices').getByTestId('fsp-heatmap');
  expect(await fspMaps.count()).toBeGreaterThanOrEqual(2);
  const hasPixels = (canvas: SVGElement | HTMLElement): boolean => {
    const c = canvas as HTMLCanvasElement;
    const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    return pixels.some((value, i) => i % 4 === 3 && value > 0);
  };
  expect(await attentionMaps.first().evaluate(hasPixels), 'the attention heatmap canvas has pixels').toBe(true);
  expect(await fspMaps.first().evaluate(hasPixels), 'the FSP heatmap canvas has pixels').toBe(true);

  // Results: numbers for every model and the comparison.
  const results = page.getByTestId('results-panel');
  for (const model of ['teacher', 'baseline', 'student']) {
    await expect(results.getByTestId(`result-${model}-accuracy`)).toHaveText(/^\d+\.\d+%$/);
    await expect(results.getByTestId(`result-${model}-params`)).toHaveText(/\d/);
  }
  await expect(results.getByTestId('result-compression')).toHaveText(/^\d+\.\d×$/);
  await expect(results.getByTestId('result-distillation-gain')).toHaveText(/pp$/);
  await expect(results.getByTestId('result-backend')).toHaveText('webgl');

  const downloadPromise = page.waitForEvent('download');
  await results.getByTestId('download-results').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/results\.json$/);

  // The curves leave as CSV (every phase's every recorded step) and as PNG (the chart with its legend).
  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('loss-csv').click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8').trim().split('\r\n');
  expect(csv[0]).toMatch(/^phase,kind,step,epoch,total loss,/);
  const kinds = new Set(csv.slice(1).map((line) => line.split(',')[1]));
  expect(kinds).toEqual(new Set(['teacher', 'baseline', 'student']));
  expect(csv.slice(1).every((line) => Number.isFinite(Number(line.split(',')[4])))).toBe(true);
  const accuracyCsv = page.waitForEvent('download');
  await page.getByTestId('accuracy-csv').click();
  const accuracyLines = readFileSync((await (await accuracyCsv).path())!, 'utf8').trim().split('\r\n');
  // A header (epoch and six accuracies), then a row per epoch (the student's two stages give two);
  // the teacher's one epoch leaves its cells empty in the second row.
  expect(accuracyLines[0].split(',')).toHaveLength(7);
  expect(accuracyLines.slice(1).map((line) => line.split(',')[0])).toEqual(['1', '2']);
  const percentages = accuracyLines.slice(1).flatMap((line) => line.split(',').slice(1)).filter((cell) => cell !== '').map(Number);
  expect(percentages).toHaveLength(6 + 4);
  expect(percentages.every((value) => value >= 0 && value <= 100)).toBe(true);

  const pngDownload = page.waitForEvent('download');
  await page.getByTestId('loss-png').click();
  const png = readFileSync((await (await pngDownload).path())!);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Width and height from the IHDR chunk: at 2x, wider than the chart on screen.
  const chartWidth = (await page.getByTestId('loss-chart').locator('svg.recharts-surface').boundingBox())!.width;
  expect(png.readUInt32BE(16)).toBeGreaterThan(2 * chartWidth);
  expect(png.readUInt32BE(20)).toBeGreaterThan(2 * 220);
});

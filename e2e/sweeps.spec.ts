import { expect, test } from '@playwright/test';
import { openStudio, openStudioWith, presetFile, shrinkExperiment, TINY_RUN } from './helpers';

/**
 * Parameter sweeps on the tiny Hinton preset (wasm backend): the Sweep dialog queues one run per
 * temperature, the results end in a table with a row per value and a gain chart with the best gain
 * marked, kept over a reload; Stop during the second run keeps the first.
 */

test('a sweep over two temperatures ends in a table of two runs and a chart with the best marked', async ({ page, request }) => {
  test.setTimeout(300_000);
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await openStudioWith(page, 'wasm', 'tiny-hinton.json', experiment);

  await page.getByTestId('sweep-button').click();
  const dialog = page.getByTestId('sweep-dialog');
  // The KD temperature is offered first; a value outside its range is refused with the reason.
  await expect(dialog.getByTestId('sweep-param-1').locator('option:checked')).toContainText(': Temperature');
  await dialog.getByTestId('sweep-values-1').fill('2, 0');
  await expect(dialog.getByTestId('sweep-problem')).toContainText('not 0');
  await expect(dialog.getByTestId('sweep-start')).toBeDisabled();
  await dialog.getByTestId('sweep-values-1').fill('2, 8');
  await expect(dialog.getByTestId('sweep-run-count')).toHaveText('2 runs');
  await dialog.getByTestId('sweep-start').click();
  await expect(dialog).toHaveCount(0);

  await expect(page.getByTestId('param-sweep-progress')).toContainText(/Run [12] of 2: T = [28]/);
  const sweep = page.getByTestId('param-sweep');
  await expect(sweep).toHaveAttribute('data-state', 'done', { timeout: 240_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished');
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  await expect(page.getByTestId('run-log').locator('li', { hasText: /^Run \d of 2:/ })).toHaveText(['Run 1 of 2: T = 2.', 'Run 2 of 2: T = 8.']);

  const rows = sweep.getByTestId('param-sweep-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('th')).toHaveText(['2', '8']);
  for (const row of await rows.all()) {
    // Teacher, baseline and distilled accuracies, then the gain: all numbers.
    await expect(row.locator('td')).toHaveText([/^\d+\.\d\d%$/, /^\d+\.\d\d%$/, /^\d+\.\d\d%$/, /^[+-]\d+\.\d\d pp( ★)?$/]);
  }
  // The teacher trained once: both runs report the same teacher accuracy.
  const teacherCells = await rows.locator('td:first-of-type').allTextContents();
  expect(teacherCells[1]).toBe(teacherCells[0]);
  await expect(sweep.locator('[data-best="true"]')).toHaveCount(1);
  const chart = sweep.getByTestId('param-sweep-chart');
  await expect(chart.getByTestId('param-sweep-point')).toHaveCount(2);
  await expect(chart.getByTestId('param-sweep-best-marker')).toHaveCount(1);
  // The model table below is the last run's.
  await expect(page.getByTestId('param-sweep-run-title')).toContainText('Run 2 (T = 8)');

  // A reload keeps the finished sweep.
  const gains = await sweep.getByTestId('param-sweep-gain').allTextContents();
  await page.reload();
  await expect(page.getByTestId('param-sweep')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('param-sweep').getByTestId('param-sweep-gain')).toHaveText(gains);
});

test('Stop during a three-value sweep keeps the run that finished', async ({ page, request }) => {
  test.setTimeout(300_000);
  // 32 steps per epoch, so the second run is still going when Stop is pressed.
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'), { ...TINY_RUN, trainSubset: 2048 });
  await openStudioWith(page, 'wasm', 'tiny-hinton.json', experiment);

  await page.getByTestId('sweep-button').click();
  await page.getByTestId('sweep-values-1').fill('2 4 8');
  await expect(page.getByTestId('sweep-run-count')).toHaveText('3 runs');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('param-sweep-progress')).toContainText('Run 2 of 3: T = 4', { timeout: 180_000 });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });

  const sweep = page.getByTestId('param-sweep');
  await expect(sweep).toHaveAttribute('data-state', 'stopped');
  await expect(sweep).toContainText('1 of 3 runs finished, ended early');
  await expect(sweep.getByTestId('param-sweep-row')).toHaveCount(1);
  await expect(sweep.getByTestId('param-sweep-row').locator('th')).toHaveText(['2']);
  await expect(sweep.getByTestId('param-sweep-gain')).toHaveText(/^[+-]\d+\.\d\d pp ★$/);
  await expect(page.getByTestId('param-sweep-progress')).toHaveCount(0);
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(page.getByTestId('sweep-button')).toBeEnabled();
});

test('a pruning trainer offers its target sparsity as a sweep parameter, within the pruning limits', async ({ page }) => {
  await openStudio(page, 'wasm');
  await page.getByTestId('preset-select').selectOption('prune-kd-mnist.json');
  await page.getByTestId('sweep-button').click();
  const dialog = page.getByTestId('sweep-dialog');
  await dialog.getByTestId('sweep-param-1').selectOption('pruningTarget:stage-prune');
  await expect(dialog.getByTestId('sweep-param-1').locator('option:checked')).toContainText('pruning target sparsity');
  await dialog.getByTestId('sweep-values-1').fill('0.5, 1');
  await expect(dialog.getByTestId('sweep-problem')).toContainText('A target sparsity is 0 to 0.99, not 1.');
  await dialog.getByTestId('sweep-values-1').fill('0.5, 0.8, 0.95');
  await expect(dialog.getByTestId('sweep-run-count')).toHaveText('3 runs');
});

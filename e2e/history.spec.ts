import { expect, test, type Page } from '@playwright/test';
import type { ExperimentFile } from '../src/graph/schema';
import { openStudioWith, presetFile, shrinkExperiment, uploadExperiment } from './helpers';

/**
 * Two real tiny runs of the Hinton preset on wasm, differing only in the KD temperature, are kept
 * in History: renamed and annotated, still there after a reload, compared (results, curves and the
 * temperature in the settings diff), reopened and deleted.
 */

function withKdTemperature(file: ExperimentFile, temperature: number, name: string): ExperimentFile {
  return {
    ...file,
    name,
    nodes: file.nodes.map((node) => (node.kind === 'loss' && node.params.lossId === 'kd'
      ? { ...node, params: { ...node.params, params: { ...node.params.params, T: temperature } } }
      : node)),
  };
}

async function runToTheEnd(page: Page): Promise<void> {
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
}

async function openHistory(page: Page): Promise<void> {
  await page.getByTestId('history-button').click();
  await expect(page.getByTestId('history-panel')).toBeVisible();
}

test('runs are kept in History across a reload, compared with a settings diff, reopened and deleted', async ({ page, request }) => {
  test.setTimeout(600_000);
  const tiny = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  const warm = withKdTemperature(tiny, 20, 'Hinton T=20 (tiny e2e run)');
  const cool = withKdTemperature(tiny, 4, 'Hinton T=4 (tiny e2e run)');

  await openStudioWith(page, 'wasm', 'hinton-t20.json', warm);
  await runToTheEnd(page);
  await uploadExperiment(page, 'hinton-t4.json', JSON.stringify(cool));
  await expect(page.getByTestId('experiment-name')).toHaveValue(cool.name);
  await runToTheEnd(page);

  await openHistory(page);
  const runs = page.getByTestId('history-run');
  await expect(runs).toHaveCount(2);
  // Newest first.
  await expect(runs.nth(0).getByTestId('history-run-name')).toHaveValue(cool.name);
  await expect(runs.nth(1).getByTestId('history-run-name')).toHaveValue(warm.name);
  for (const index of [0, 1]) {
    await expect(runs.nth(index).getByTestId('history-run-backend')).toHaveText('wasm');
    await expect(runs.nth(index).getByTestId('history-run-distilled')).toHaveText(/^\d+\.\d{2}%$/);
    await expect(runs.nth(index).getByTestId('history-run-gain')).toHaveText(/^[+-]\d+\.\d{2} pp$/);
  }
  await expect(page.getByTestId('history-storage')).toContainText(/^2 runs, \d/);

  const older = runs.nth(1);
  await older.getByTestId('history-run-name').fill('Warm soft targets');
  await older.getByTestId('history-run-name').press('Enter');
  await older.getByTestId('history-run-notes').fill('T = 20 as in the paper');
  await older.getByTestId('history-run-notes').blur();

  await page.reload();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await openHistory(page);
  await expect(runs).toHaveCount(2);
  await expect(older.getByTestId('history-run-name')).toHaveValue('Warm soft targets');
  await expect(older.getByTestId('history-run-notes')).toHaveValue('T = 20 as in the paper');

  await expect(page.getByTestId('history-compare')).toHaveCount(0);
  await runs.nth(0).getByTestId('history-run-select').check();
  await runs.nth(1).getByTestId('history-run-select').check();
  const compare = page.getByTestId('history-compare');
  await expect(compare.getByTestId('compare-row')).toHaveCount(2);
  // Oldest first: the warm run is the reference the other's settings are compared against.
  await expect(compare.getByTestId('compare-row').nth(0)).toContainText('Warm soft targets');
  await expect(compare.getByTestId('compare-row').nth(1)).toContainText(cool.name);
  for (const cell of await compare.getByTestId('compare-distilled').all()) await expect(cell).toHaveText(/^\d+\.\d{2}%$/);
  await expect(compare.getByTestId('compare-accuracy-chart').locator('.recharts-line')).toHaveCount(2);
  await expect(compare.getByTestId('compare-loss-chart').locator('.recharts-line')).toHaveCount(2);
  const diff = compare.getByTestId('settings-diff');
  await expect(diff.getByTestId('diff-param')).toHaveCount(1);
  await expect(diff.getByTestId('diff-param')).toContainText('params.T: 20 → 4');

  // Opening the warm run's graph replaces the (saved) T=4 graph without asking.
  await older.getByTestId('history-run-open').click();
  await expect(page.getByTestId('experiment-name')).toHaveValue(warm.name);
  await expect(page.getByTestId('history-panel')).toHaveCount(0);

  await openHistory(page);
  await runs.nth(0).getByTestId('history-run-delete').click();
  await runs.nth(0).getByTestId('history-run-delete-confirm').click();
  await expect(runs).toHaveCount(1);
  await expect(runs.nth(0).getByTestId('history-run-name')).toHaveValue('Warm soft targets');
  await expect(page.getByTestId('history-compare')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('canvas')).toBeVisible();
  await openHistory(page);
  await expect(runs).toHaveCount(1);
});

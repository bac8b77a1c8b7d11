import { expect, test } from '@playwright/test';
import { openStudioWith, presetFile, selectNode, shrinkExperiment } from './helpers';

/**
 * Born-again network ensembles in the real studio, on wasm: the Ensemble nodes are drawn and
 * explained, a tiny run trains the three generations (generation 2 from the ensemble of 0 and 1),
 * and the results panel reports each ensemble's accuracy next to its members.
 */

test('born-again ensembles: generation 2 learns from an ensemble, and both ensembles get a result row', async ({ page, request }) => {
  test.setTimeout(300_000);
  const preset = await presetFile(request, 'ban-ensemble-mnist.json');
  await openStudioWith(page, 'wasm', 'ban-ensemble.json', shrinkExperiment(preset));

  await expect(page.getByTestId('palette-ensemble')).toBeVisible();
  for (const ensemble of ['ensemble-gen01', 'ensemble-all']) {
    await expect(page.getByTestId(`node-${ensemble}`)).toContainText('log of the mean softmax');
  }
  // The inspector says what the ensemble averages, whom it teaches, and what a temperature does to it.
  await selectNode(page, 'ensemble-gen01');
  const summary = page.getByTestId('ensemble-summary');
  await expect(summary).toContainText('Averages the class probabilities of 2 networks into [10] logits');
  await expect(summary).toContainText('It teaches in "KD ensemble 0 + 1 -> gen2 (T = 1)"');
  await expect(page.getByTestId('inspector')).toContainText('A KD block at T ≠ 1 softens the averaged distribution');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);

  const results = page.getByTestId('results-panel');
  await expect(results.getByTestId('result-student-accuracy')).toHaveText(/^\d+\.\d+%$/);
  const table = results.getByTestId('ensembles-table');
  await expect(table.getByTestId('result-row-ensemble')).toContainText('Generations 0 + 1');
  await expect(table.getByTestId('result-ensemble-members')).toHaveText('Generation 0 (50-50) + Generation 1 (50-50)');
  await expect(table.getByTestId('result-row-ensemble-2')).toContainText('BAN ensemble (generations 0-2)');
  await expect(table.getByTestId('result-ensemble-2-members')).toHaveText('Generation 0 (50-50) + Generation 1 (50-50) + Generation 2 (50-50)');
  for (const row of ['ensemble', 'ensemble-2']) {
    await expect(table.getByTestId(`result-${row}-accuracy`)).toHaveText(/^\d+\.\d+%$/);
    await expect(table.getByTestId(`result-${row}-validation`)).toHaveText(/^\d+\.\d+%$/);
    await expect(table.getByTestId(`result-${row}-vs-best`)).toHaveText(/^[+-]\d+\.\d+ pp$/);
  }
  // Three 50-50 MLPs of 42,310 weights each.
  await expect(table.getByTestId('result-ensemble-2-params')).toHaveText('126.9 k');
});

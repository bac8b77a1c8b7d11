import { expect, test } from '@playwright/test';
import { openStudioWith, presetFile, selectNode, shrinkExperiment } from './helpers';

/**
 * Self-distillation ("Be Your Own Teacher") in the real studio, on wasm: the CNN student's
 * auxiliary classifiers are drawn on the canvas, a tiny run trains the student with its heads and
 * its baseline without, and the results report a distillation without a teacher network.
 */

test('self-distillation: the student and its baseline train, and the gain is reported without a teacher network', async ({ page, request }) => {
  test.setTimeout(300_000);
  const preset = await presetFile(request, 'self-distillation-mnist.json');
  await openStudioWith(page, 'wasm', 'self-distillation.json', shrinkExperiment(preset));

  for (const head of ['head-pool1', 'head-relu2']) {
    await expect(page.getByTestId(`node-${head}`)).toContainText('Auxiliary classifier');
  }
  await expect(page.getByTestId('palette-head')).toBeVisible();
  // The inspector says what the head maps: the layer's map, pooled, to the ten classes.
  await selectNode(page, 'head-pool1');
  await expect(page.getByTestId('head-summary')).toContainText('Classifies layer pool1 of "CNN student": [14×14×4]');
  await expect(page.getByTestId('head-summary')).toContainText('[10] logits (50 weights)');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);

  await expect(page.getByTestId('loss-chart').getByRole('tab')).toHaveText(['Baseline', 'CNN student']);
  const results = page.getByTestId('results-panel');
  for (const row of ['student', 'baseline']) {
    await expect(results.getByTestId(`result-${row}-accuracy`)).toHaveText(/^\d+\.\d+%$/);
  }
  await expect(results.getByTestId('result-row-teacher')).toHaveCount(0);
  await expect(results.getByTestId('results-headline')).toHaveAttribute('data-student-id', 'student');
  await expect(results.getByTestId('result-distillation-gain')).toHaveText(/pp$/);
  await expect(results.getByTestId('result-compression')).toHaveText('—');
  await expect(results.getByTestId('results-headline')).toContainText('learned without a teacher network');
});

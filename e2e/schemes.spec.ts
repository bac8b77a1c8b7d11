import { expect, test, type Page } from '@playwright/test';
import { openStudioWith, presetFile, shrinkExperiment } from './helpers';

/**
 * The N-network schemes in the real studio, on wasm (the MLP presets' fastest backend): mutual
 * learning trains two peers together, the teacher-assistant chain trains three networks in order,
 * and the relational preset draws its B x B matrices. Each is a real, tiny run.
 */

async function runToTheEnd(page: Page): Promise<void> {
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
}

const hasPixels = (canvas: SVGElement | HTMLElement): boolean => {
  const c = canvas as HTMLCanvasElement;
  return c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((value, i) => i % 4 === 3 && value > 0);
};

test('mutual learning: both peers train in one phase, each with curves, soft targets, a result and a baseline', async ({ page, request }) => {
  test.setTimeout(300_000);
  await openStudioWith(page, 'wasm', 'dml.json', shrinkExperiment(await presetFile(request, 'dml-mnist.json')));
  await runToTheEnd(page);

  // Loss tabs: the two baselines and the mutual phase.
  const tabs = page.getByTestId('loss-chart').getByRole('tab');
  await expect(tabs).toHaveText(['Peer 1 (50-50) baseline', 'Peer 2 (50-50) baseline', 'Peer 1 (50-50) + Peer 2 (50-50)']);
  // Accuracy: a test and a train line for each of the four networks.
  await expect(page.getByTestId('accuracy-chart').locator('.recharts-line')).toHaveCount(8);
  // Soft targets of both peers side by side.
  const legend = page.getByTestId('soft-targets-legend');
  await expect(legend.locator('[data-model-id]')).toHaveCount(2);
  await expect(legend).toContainText('Peer 1 (50-50)');
  await expect(legend).toContainText('Peer 2 (50-50)');

  const results = page.getByTestId('results-panel');
  for (const row of ['peer', 'peer-2', 'baseline', 'baseline-2']) {
    await expect(results.getByTestId(`result-${row}-accuracy`)).toHaveText(/^\d+\.\d+%$/);
  }
  // Each peer is distilled from the other and compared with its own baseline.
  await expect(results.getByTestId('distillation-row')).toHaveCount(2);
  await expect(results.getByTestId('result-distillation-gain')).toHaveText(/pp$/);
});

test('teacher assistant: teacher, assistant and student train in order; the student learns from the assistant', async ({ page, request }) => {
  test.setTimeout(300_000);
  await openStudioWith(page, 'wasm', 'ta.json', shrinkExperiment(await presetFile(request, 'ta-mnist.json')));
  await runToTheEnd(page);

  await expect(page.getByTestId('loss-chart').getByRole('tab'))
    .toHaveText(['Teacher 2000-2000', 'Assistant 800-800', 'Baseline', 'Student 50-50']);
  const results = page.getByTestId('results-panel');
  for (const row of ['teacher', 'assistant', 'baseline', 'student']) {
    await expect(results.getByTestId(`result-${row}-accuracy`)).toHaveText(/^\d+\.\d+%$/);
  }
  const reports = results.getByTestId('distillation-row');
  await expect(reports).toHaveCount(2);
  // The headline is the student's, taught by the assistant (800-800 over 50-50 parameters).
  await expect(results.getByTestId('results-headline')).toHaveAttribute('data-student-id', 'student');
  await expect(results.getByTestId('result-compression')).toHaveText(/^\d+\.\d×$/);
  await expect(reports.first()).toContainText('Assistant 800-800');
});

test('relational knowledge: the SP, RKD and PKT matrices of teacher and student are drawn', async ({ page, request }) => {
  test.setTimeout(300_000);
  await openStudioWith(page, 'wasm', 'relations.json', shrinkExperiment(await presetFile(request, 'relations-mnist.json')));
  await runToTheEnd(page);

  const panel = page.getByTestId('relation-matrices');
  await expect(panel.getByTestId('relation-pair')).toHaveCount(3);
  const maps = panel.getByTestId('relation-heatmap');
  await expect(maps).toHaveCount(6);
  expect(await maps.first().evaluate(hasPixels), 'the relation heatmap canvas has pixels').toBe(true);
  await expect(panel).toContainText('3×3');
});

test('adversarial KD: the discriminator trains in turn and its accuracy is charted per step', async ({ page, request }) => {
  test.setTimeout(300_000);
  await openStudioWith(page, 'wasm', 'adversarial.json', shrinkExperiment(await presetFile(request, 'adversarial-mnist.json')));
  await runToTheEnd(page);

  const chart = page.getByTestId('discriminator-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('.recharts-line')).toHaveCount(1);
  await expect(chart).toContainText(/Adversarial KD \(conditional, L1\): discriminator accuracy\s*\d+%/);
  await expect(page.getByTestId('results-panel').getByTestId('result-distillation-gain')).toHaveText(/pp$/);
});

test('CRD: the contrastive loss with its memory bank trains the student in the studio', async ({ page, request }) => {
  test.setTimeout(300_000);
  await openStudioWith(page, 'wasm', 'crd.json', shrinkExperiment(await presetFile(request, 'crd-mnist.json')));
  await runToTheEnd(page);
  await expect(page.getByTestId('loss-chart').getByRole('tab')).toHaveText(['Teacher 1200-1200 (dropout)', 'Baseline', 'Student 800-800']);
  await expect(page.getByTestId('loss-chart')).toContainText('CRD (relu2)');
  await expect(page.getByTestId('results-panel').getByTestId('result-distillation-gain')).toHaveText(/pp$/);
});

test('FT: the paraphraser pre-trains on the teacher first, then the translator trains with the student', async ({ page, request }) => {
  test.setTimeout(300_000);
  await openStudioWith(page, 'wasm', 'ft.json', shrinkExperiment(await presetFile(request, 'ft-mnist.json')));
  await runToTheEnd(page);
  // The paraphraser trains alone first and reports its reconstruction loss per epoch.
  await page.getByTestId('run-log').locator('summary').click();
  await expect(page.getByTestId('run-log')).toContainText(/FT \(relu4 -> pool2\): FT paraphraser \(reconstructs the teacher feature\), epoch 1 of 1, loss \d/);
  await expect(page.getByTestId('loss-chart')).toContainText('FT (relu4 -> pool2)');
  await expect(page.getByTestId('results-panel').getByTestId('result-distillation-gain')).toHaveText(/pp$/);
});

test('CC on class-uniform batches, IRG and a TSD-trained tolerant teacher run in the studio', async ({ page, request }) => {
  test.setTimeout(400_000);
  const runs: [string, string, string][] = [['cc-mnist.json', 'CC (relu2)', 'Student 800-800'], ['irg-mnist.json', 'IRG (logits, relu1 -> relu2)', 'Student 800-800'],
    ['tsd-mnist.json', 'Top score difference', 'Tolerant teacher 1200-1200']];
  for (const [file, term, tab] of runs) {
    await openStudioWith(page, 'wasm', file, shrinkExperiment(await presetFile(request, file)));
    await runToTheEnd(page);
    await page.getByTestId('loss-chart').getByRole('tab', { name: tab, exact: true }).click();
    await expect(page.getByTestId('loss-chart')).toContainText(term);
    await expect(page.getByTestId('results-panel').getByTestId('result-distillation-gain').first()).toHaveText(/pp$/);
  }
});

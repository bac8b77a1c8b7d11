import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { openStudio, openStudioWith, presetFile, selectNode, shrinkExperiment, uploadExperiment } from './helpers';

/**
 * The pruning preset in the browser: its stages' pruning settings in the inspector (with range
 * checks and the MLP-has-no-channels problem), then a tiny real run whose results show the student's
 * measured sparsity and its label-only baseline pruned the same way (the gain is at equal sparsity),
 * and the real sizes of its dense and sparse ONNX files; the sparse file is verified in the export
 * worker and downloaded. Then the CNN pair with channel pruning: the slimmed ONNX, verified, downloaded
 * and inside the Atlas bundle.
 */

/** The export panel, opened where the layout hides it. */
async function exportPanel(page: Page) {
  const panel = page.getByTestId('export-panel');
  const opener = page.getByTestId('open-export');
  if (!(await panel.isVisible()) && (await opener.count()) > 0) await opener.click();
  await expect(panel.getByTestId('export-model')).toHaveValue('student');
  return panel;
}

test('pruning preset: inspector settings and checks, then a tiny run reports the pruned student\'s sparsity', async ({ page, request }) => {
  test.setTimeout(300_000);
  const preset = await presetFile(request, 'prune-kd-mnist.json');
  await openStudio(page, 'wasm');
  await page.getByTestId('preset-select').selectOption('prune-kd-mnist.json');
  await expect(page.getByTestId('experiment-name')).toHaveValue(preset.name);

  // Stage 1 prunes gradually by magnitude to 90 %; stage 2 prunes nothing new.
  await selectNode(page, 'stage-prune');
  await expect(page.getByTestId('field-pruningMethod').locator('select')).toHaveValue('magnitude');
  await expect(page.getByTestId('field-pruningSparsity').locator('input')).toHaveValue('0.9');
  await expect(page.getByTestId('field-pruningSchedule').locator('select')).toHaveValue('gradual');
  await expect(page.getByTestId('field-pruningEvery').locator('input')).toHaveValue('10');
  const sparsity = page.getByTestId('field-pruningSparsity');
  await sparsity.locator('input').fill('1.5');
  await expect(sparsity.getByRole('alert')).toHaveText('Must be between 0 and 0.99.');
  await sparsity.locator('input').fill('0.9');
  await expect(sparsity.getByRole('alert')).toHaveCount(0);
  // Channel pruning of the MLP student has nothing to prune: a coded problem on the stage.
  await page.getByTestId('field-pruningMethod').locator('select').selectOption('channel');
  await expect(page.getByTestId('inspector-problems')).toContainText('choose magnitude pruning');
  await page.getByTestId('field-pruningMethod').locator('select').selectOption('magnitude');
  await expect(page.getByTestId('inspector-problems')).toHaveCount(0);
  await selectNode(page, 'stage-tune');
  await expect(page.getByTestId('field-pruningMethod').locator('select')).toHaveValue('off');
  await expect(page.getByTestId('field-pruningSparsity')).toHaveCount(0);

  // A tiny real run (256 images, one epoch per stage): the stage is too short for the ramp, so it prunes to 90 % at once.
  const tiny = shrinkExperiment(preset);
  await uploadExperiment(page, 'prune-tiny.json', JSON.stringify(tiny));
  await expect(page.getByTestId('experiment-name')).toHaveValue(tiny.name);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  const results = page.getByTestId('results-panel');
  await expect(results.getByTestId('result-student-sparsity')).toHaveText('90.0%');
  await expect(results.getByTestId('result-baseline-sparsity')).toHaveText('90.0%');
  await expect(results.getByTestId('result-teacher-sparsity')).toHaveText('—');
  // 10 % of the hidden kernels plus every bias and the classifier: about 0.13 M of the 1.28 M parameters.
  await expect(results.getByTestId('result-student-nonzero-params')).toHaveText(/^0\.1\d M$|^1\d\d\.\d k$/);
  await expect(results.getByTestId('result-student-accuracy')).toHaveText(/^\d+\.\d+%$/);
  await expect(results.getByTestId('result-distillation-gain')).toHaveText(/pp$/);
  // Real file sizes: the dense ONNX (about 5 MiB of float32 with its zeros) and the sparse one, far smaller.
  await expect(results.getByTestId('result-student-onnx-bytes')).toHaveText(/MiB$/);
  await expect(results.getByTestId('result-student-pruned-onnx-bytes')).toHaveText(/^\d+\.\d+ MiB \(sparse\)$/);

  const panel = await exportPanel(page);
  await panel.getByTestId('export-format').selectOption('onnx');
  await expect(panel.getByTestId('export-verify-result')).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(panel.getByTestId('export-sparse-report')).toContainText('Checked with ONNX Runtime');
  await expect(panel.getByTestId('export-slimmed')).toHaveCount(0);
  const size = panel.getByTestId('export-sparse-size');
  const sparseBytes = Number(await size.getAttribute('data-bytes'));
  expect(sparseBytes).toBeLessThan(Number(await size.getAttribute('data-dense-bytes')) / 2);
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-download-sparse').click()]);
  expect(download.suggestedFilename()).toBe('hinton-student_sparse.onnx');
  expect((await readFile(await download.path())).length).toBe(sparseBytes);
});

test('channel pruning of the CNN student: the slimmed ONNX is verified, smaller, downloaded and in the Atlas bundle', async ({ page, request }) => {
  test.setTimeout(300_000);
  const preset = shrinkExperiment(await presetFile(request, 'cnn-mnist-kd.json'));
  const experiment = {
    ...preset,
    nodes: preset.nodes.map((node) => node.kind !== 'trainer' ? node
      : { ...node, params: { ...node.params, pruning: { method: 'channel', targetSparsity: 0.5, schedule: 'oneShot', everySteps: 10, rampFraction: 0.5 } } }),
  } as typeof preset;
  await openStudioWith(page, 'cpu', 'tiny-channel-pruning.json', experiment);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('result-student-sparsity')).toHaveText('50.0%');
  await expect(page.getByTestId('result-student-pruned-onnx-bytes')).toHaveText(/KiB \(slimmed\)$/);

  const panel = await exportPanel(page);
  await panel.getByTestId('export-format').selectOption('atc');
  await expect(panel.getByTestId('export-verify-result')).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(panel.getByTestId('export-slimmed-report')).toContainText('Checked with ONNX Runtime');
  await expect(panel.getByTestId('export-slimmed-size')).toContainText('conv1 4 → 2, conv2 8 → 4, conv3 8 → 4');
  const size = panel.getByTestId('export-slimmed-size');
  const slimmedBytes = Number(await size.getAttribute('data-bytes'));
  expect(slimmedBytes).toBeLessThan(Number(await size.getAttribute('data-dense-bytes')));
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-download-slimmed').click()]);
  expect(download.suggestedFilename()).toBe('cnn-student_slimmed.onnx');
  const slimmed = new Uint8Array(await readFile(await download.path()));
  expect(slimmed.length).toBe(slimmedBytes);

  const [bundleDownload] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-download-bundle').click()]);
  const zip = unzipSync(new Uint8Array(await readFile(await bundleDownload.path())));
  expect(zip['cnn-student_atlas200dk/model/student.onnx']).toEqual(slimmed);
  expect(strFromU8(zip['cnn-student_atlas200dk/README.md'])).toContain('Channel pruning: the slimmed network');
});

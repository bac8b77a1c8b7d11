import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { openStudioWith, presetFile, selectNode, shrinkExperiment } from './helpers';

/**
 * QAT in the browser: switch the article preset's trainer to INT8 quantisation-aware training in
 * the inspector, run a tiny real run, see the INT8 accuracy next to FP32, and export the INT8 (QDQ)
 * ONNX, checked with ONNX Runtime in the export worker and added to the Atlas bundle.
 */

test('a QAT stage reports INT8 accuracy and exports a verified INT8 (QDQ) ONNX', async ({ page, request }) => {
  test.setTimeout(300_000);
  const experiment = shrinkExperiment(await presetFile(request, 'article-mnist.json'));
  await openStudioWith(page, 'cpu', 'tiny-article-qat.json', experiment);

  await selectNode(page, 'trainer');
  await page.getByTestId('field-quantization').locator('input').check();
  await expect(page.getByTestId('field-quantization-calibrationImages').locator('input')).toHaveValue('500');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  // FP32 and INT8 side by side for the student; the baseline trained in FP32 has no INT8 number.
  await expect(page.getByTestId('result-student-accuracy')).toContainText('%');
  await expect(page.getByTestId('result-student-int8-accuracy')).toContainText('%');
  await expect(page.getByTestId('result-student-int8-bytes')).not.toHaveText('—');
  await expect(page.getByTestId('result-baseline-int8-accuracy')).toHaveText('—');

  const panel = page.getByTestId('export-panel');
  const opener = page.getByTestId('open-export');
  if (!(await panel.isVisible()) && (await opener.count()) > 0) await opener.click();
  await expect(panel.getByTestId('export-model')).toHaveValue('student');
  await panel.getByTestId('export-format').selectOption('atc');
  await expect(panel.getByTestId('export-verify-result')).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(panel.getByTestId('export-int8-report')).toContainText('ONNX Runtime');

  const [int8Download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-download-int8').click()]);
  expect(int8Download.suggestedFilename()).toBe('article-student_int8_qdq.onnx');
  const int8 = new Uint8Array(await readFile(await int8Download.path()));
  expect(strFromU8(int8.subarray(0, 4000), true)).toContain('QuantizeLinear');

  const [bundleDownload] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-download-bundle').click()]);
  const zip = unzipSync(new Uint8Array(await readFile(await bundleDownload.path())));
  const folder = 'article-student_atlas200dk';
  expect(zip[`${folder}/model/student_int8_qdq.onnx`]).toEqual(int8);
  expect(strFromU8(zip[`${folder}/README.md`])).toContain('INT8: which file takes which path');
});

test('a PTQ stage trains in float and quantises after training: INT8 by PTQ, and its QDQ export verifies', async ({ page, request }) => {
  test.setTimeout(300_000);
  const experiment = shrinkExperiment(await presetFile(request, 'article-mnist.json'));
  await openStudioWith(page, 'cpu', 'tiny-article-ptq.json', experiment);

  await selectNode(page, 'trainer');
  await page.getByTestId('field-quantization').locator('input').check();
  await page.getByTestId('field-quantization-method').locator('select').selectOption('ptq');
  // PTQ has no moving average: only the calibration images are asked for.
  await expect(page.getByTestId('field-quantization-emaMomentum')).toHaveCount(0);
  await expect(page.getByTestId('field-quantization-calibrationImages').locator('input')).toHaveValue('500');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('result-student-int8-accuracy')).toContainText('%');
  await expect(page.getByTestId('result-student-int8-method')).toHaveText('PTQ');
  await expect(page.getByTestId('result-baseline-int8-method')).toHaveText('—');

  const panel = page.getByTestId('export-panel');
  const opener = page.getByTestId('open-export');
  if (!(await panel.isVisible()) && (await opener.count()) > 0) await opener.click();
  await expect(panel.getByTestId('export-model')).toHaveValue('student');
  await expect(panel.getByTestId('export-verify-result')).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(panel.getByTestId('export-int8-report')).toContainText('ONNX Runtime');
});

import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { openStudioWith, presetFile, selectNode, shrinkExperiment } from './helpers';

/**
 * Train a tiny run of the article preset (MLP teacher -> 50-50 student), open the export panel,
 * see the ONNX Runtime verification pass in the worker, and download the ATC bundle and the ONNX file.
 */

test('a trained student exports as a verified ONNX model and an Atlas 200 DK bundle', async ({ page, request }) => {
  test.setTimeout(300_000);
  const experiment = shrinkExperiment(await presetFile(request, 'article-mnist.json'));

  await openStudioWith(page, 'cpu', 'tiny-article.json', experiment);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 240_000 });

  // The lead decides where the panel lives; open it if it sits behind a toggle.
  const panel = page.getByTestId('export-panel');
  const opener = page.getByTestId('open-export');
  if (!(await panel.isVisible()) && (await opener.count()) > 0) await opener.click();
  await expect(panel).toBeVisible();
  // The run trained the baseline and the student; the headline distillation's student is exported.
  await expect(panel.getByTestId('export-model')).toHaveValue('student');
  await expect(panel.getByTestId('export-model').locator('option')).toHaveCount(2);
  await panel.getByTestId('export-format').selectOption('atc');

  const verdict = panel.getByTestId('export-verify-result');
  await expect(verdict).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  await expect(verdict).toContainText(/100\.0 % of classes agree/);
  await expect(panel.getByTestId('export-model-card')).toContainText('opset 11, IR 6');

  const [bundleDownload] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('export-download-bundle').click(),
  ]);
  expect(bundleDownload.suggestedFilename()).toBe('article-student_atlas200dk.zip');
  const zip = unzipSync(new Uint8Array(await readFile(await bundleDownload.path())));
  const folder = 'article-student_atlas200dk';
  for (const file of ['README.md', 'manifest.json', 'model/student.onnx', 'scripts/convert.sh', 'src/infer.py', 'data/sample_0.bin']) {
    expect(zip[`${folder}/${file}`], file).toBeDefined();
  }
  const manifest = JSON.parse(strFromU8(zip[`${folder}/manifest.json`])) as { target: { socVersion: string }; input: { shape: number[] } };
  expect(manifest.target.socVersion).toBe('Ascend310');
  expect(manifest.input.shape).toEqual([1, 1, 28, 28]);
  expect(zip[`${folder}/data/sample_0.bin`].length).toBe(28 * 28 * 4);

  const [onnxDownload] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('export-download-onnx').click(),
  ]);
  expect(onnxDownload.suggestedFilename()).toBe('article-student.onnx');
  const onnx = new Uint8Array(await readFile(await onnxDownload.path()));
  expect(onnx).toEqual(zip[`${folder}/model/student.onnx`]);

  // After a reload the trained student comes back from IndexedDB: it exports again without a run,
  // to the same ONNX bytes.
  await page.reload();
  await expect(page.getByTestId('results-restored')).toBeVisible();
  if (!(await panel.isVisible()) && (await opener.count()) > 0) await opener.click();
  await panel.getByTestId('export-format').selectOption('onnx');
  await expect(verdict).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });
  const [restoredDownload] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('export-download-onnx').click(),
  ]);
  expect(new Uint8Array(await readFile(await restoredDownload.path()))).toEqual(onnx);

  // Editing the student afterwards does not silently pair new layers with old weights: the panel
  // says the export is the student as trained, and that is what downloads.
  await expect(panel.getByTestId('export-mismatch-note')).toHaveCount(0);
  await selectNode(page, 'student');
  await page.getByTestId('layer-fc1-units').locator('input').fill('40');
  await expect(panel.getByTestId('export-mismatch-note')).toContainText('was edited in the graph after it was trained');
  await expect(verdict).toHaveAttribute('data-status', 'ok');
  const [afterEditDownload] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByTestId('export-download-onnx').click(),
  ]);
  expect(new Uint8Array(await readFile(await afterEditDownload.path()))).toEqual(onnx);
});

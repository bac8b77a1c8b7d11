import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openStudioWith, presetFile, selectNode, shrinkExperiment } from './helpers';

/**
 * An ONNX teacher made by PyTorch (scripts/make_onnx_teacher.py, trained on MNIST) imported into
 * the Hinton preset's teacher node in real Chromium: the worker converts it and checks it against
 * onnxruntime-web, the summary lists its intermediate outputs as guide layers, and a tiny real run
 * distils from it without training it.
 */

const FIXTURE = 'e2e/fixtures/mnist-torch-teacher.onnx';

async function openTinyHinton(page: Page, request: Parameters<typeof presetFile>[0], preset = 'hinton-mnist.json'): Promise<void> {
  const experiment = shrinkExperiment(await presetFile(request, preset));
  await openStudioWith(page, 'wasm', `tiny-${preset}`, experiment);
  await selectNode(page, 'teacher');
}

/** Every recorded loss of the run (only baseline and student train: the imported teacher does not) is a finite number. */
async function expectFiniteLosses(page: Page): Promise<void> {
  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('loss-csv').click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8').trim().split('\r\n');
  const rows = csv.slice(1).map((line) => line.split(','));
  expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(['baseline', 'student']));
  expect(rows.length).toBeGreaterThan(2);
  expect(rows.every((row) => Number.isFinite(Number(row[4])) && row[4] !== '')).toBe(true);
}

test('imports a PyTorch ONNX teacher, offers its layers as guides, and distils from it', async ({ page, request }) => {
  test.setTimeout(400_000);
  await openTinyHinton(page, request);
  await page.getByTestId('onnx-import-file').setInputFiles(FIXTURE);

  const summary = page.getByTestId('onnx-import-summary');
  await expect(summary).toBeVisible({ timeout: 180_000 });
  await expect(summary).toContainText('[batch, 1, 28, 28] (NCHW)');
  await expect(summary).toContainText('Softmax dropped');
  await expect(summary).toContainText('52.1 k parameters');
  const guides = page.getByTestId('onnx-import-guides').locator('li');
  await expect(guides).toHaveCount(9);
  await expect(guides.nth(5)).toContainText('/7/MaxPool_output_0');
  await expect(guides.nth(5)).toContainText('7 × 7 × 16');
  // Parity with onnxruntime-web on 100 real MNIST test images was measured and is recorded on the node.
  await expect(page.getByTestId('onnx-import-origin')).toContainText('mnist-torch-teacher.onnx (opset 13, pytorch 1.13.0)');
  const parity = (await page.getByTestId('onnx-import-origin').textContent()) ?? '';
  const maxDiff = Number(/difference\| ([0-9.e+-]+) on 100/.exec(parity)?.[1]);
  console.log(`[onnx import e2e] onnxruntime-web parity: max |diff| ${maxDiff}`);
  expect(maxDiff).toBeLessThanOrEqual(1e-4);
  // The converted layers are now the teacher's: the layer editor lists them.
  await expect(page.getByTestId('inspector-model-stats')).toContainText('52');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 300_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  await expect(page.getByTestId('run-log')).toContainText('restored from the imported ONNX file mnist-torch-teacher.onnx');

  const results = page.getByTestId('results-panel');
  const percent = async (testId: string): Promise<number> => Number.parseFloat((await results.getByTestId(testId).textContent()) ?? '');
  const teacherAccuracy = await percent('result-teacher-accuracy');
  console.log(`[onnx import e2e] imported teacher test accuracy ${teacherAccuracy}%`);
  expect(teacherAccuracy).toBeGreaterThan(90);
  await expect(results.getByTestId('result-student-accuracy')).toHaveText(/^\d+\.\d+%$/);

  await expectFiniteLosses(page);
});

test('an imported layer guides a FitNet student; a browser without the weights is told to import again', async ({ page, request }) => {
  test.setTimeout(400_000);
  await openTinyHinton(page, request, 'fitnet-mnist.json');
  await page.getByTestId('onnx-import-file').setInputFiles(FIXTURE);
  await expect(page.getByTestId('onnx-import-summary')).toBeVisible({ timeout: 180_000 });

  // The guide node offers the ONNX intermediate outputs; the hint reads the second pooling (7 x 7 x 16).
  await selectNode(page, 'guide-relu4');
  const layer = page.getByTestId('field-layerId').locator('select');
  await expect(layer.locator('option', { hasText: 'onnx_7_MaxPool_output_0' })).toHaveCount(1);
  await layer.selectOption('onnx_7_MaxPool_output_0');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 300_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  expect(Number.parseFloat((await page.getByTestId('result-teacher-accuracy').textContent()) ?? '')).toBeGreaterThan(90);
  await expectFiniteLosses(page);

  // Another browser: the file names the imported teacher, but its weights are not in IndexedDB.
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('distillation-studio', 1);
    open.onsuccess = () => {
      const transaction = open.result.transaction('teacher-weights', 'readwrite');
      transaction.objectStore('teacher-weights').clear();
      transaction.oncomplete = () => { open.result.close(); resolve(); };
      transaction.onerror = () => reject(transaction.error);
    };
    open.onerror = () => reject(open.error);
  }));
  await selectNode(page, 'student');
  await selectNode(page, 'teacher');
  await expect(page.getByTestId('onnx-import-missing')).toContainText('not in this browser: import the file again');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-error')).toContainText('are not in this browser or no longer fit its layers: import the ONNX file again', { timeout: 120_000 });
});

test('an ONNX model with an unsupported operator is refused with a clear error and nothing changes', async ({ page, request }) => {
  test.setTimeout(200_000);
  await openTinyHinton(page, request);
  const statsBefore = await page.getByTestId('inspector-model-stats').textContent();
  // Same-length rename of every 'Relu' (op type and the names derived from it): a valid file using Selu.
  const bytes = Buffer.from(readFileSync(FIXTURE).toString('latin1').replaceAll('Relu', 'Selu'), 'latin1');
  await page.getByTestId('onnx-import-file').setInputFiles({ name: 'selu.onnx', mimeType: 'application/octet-stream', buffer: bytes });
  const error = page.getByTestId('onnx-import-error');
  await expect(error).toBeVisible({ timeout: 180_000 });
  await expect(error).toHaveAttribute('data-code', 'unsupportedOps');
  await expect(error).toContainText('operators the studio cannot run: Selu (nodes /2/Selu, /6/Selu, /10/Selu)');
  await expect(page.getByTestId('onnx-import-origin')).toHaveCount(0);
  await expect(page.getByTestId('inspector-model-stats')).toHaveText(statsBefore ?? '');

  await page.getByTestId('onnx-import-file').setInputFiles({ name: 'notes.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model') });
  await expect(page.getByTestId('onnx-import-error')).toHaveAttribute('data-code', 'malformed', { timeout: 60_000 });
});

test('a tf2onnx-style NHWC teacher with PyTorch padding imports as pad layers and teaches in a real run', async ({ page, request }) => {
  test.setTimeout(400_000);
  await openTinyHinton(page, request);
  await page.getByTestId('onnx-import-file').setInputFiles('e2e/fixtures/mnist-torch-nhwc-padded.onnx');
  const summary = page.getByTestId('onnx-import-summary');
  await expect(summary).toBeVisible({ timeout: 180_000 });
  await expect(summary).toContainText('[batch, 28, 28, 1] (NHWC)');
  // 11 layers: the logits and the three pad layers (a border is its input again) are not offered as guides.
  const guides = page.getByTestId('onnx-import-guides').locator('li');
  await expect(guides).toHaveCount(7);
  const parity = (await page.getByTestId('onnx-import-origin').textContent()) ?? '';
  const maxDiff = Number(/difference\| ([0-9.e+-]+) on 100/.exec(parity)?.[1]);
  console.log(`[onnx import e2e] NHWC padded teacher, onnxruntime-web parity: max |diff| ${maxDiff}`);
  expect(maxDiff).toBeLessThanOrEqual(1e-4);

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 300_000 });
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  const teacherAccuracy = Number.parseFloat((await page.getByTestId('result-teacher-accuracy').textContent()) ?? '');
  console.log(`[onnx import e2e] NHWC padded teacher test accuracy ${teacherAccuracy}%`);
  expect(teacherAccuracy).toBeGreaterThan(85);
  await expectFiniteLosses(page);
});

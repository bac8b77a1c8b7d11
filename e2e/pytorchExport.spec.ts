import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { openStudioWith, presetFile } from './helpers';

/**
 * "PyTorch project (.zip)" in the export panel: the export worker writes the project of the graph
 * (its Python is run and checked against the studio in src/export/pytorch/project.test.ts), and an
 * experiment with a loss the export does not implement gets an error naming that loss.
 */

async function exportPanel(page: Page) {
  const panel = page.getByTestId('export-panel');
  const opener = page.getByTestId('open-export');
  if (!(await panel.isVisible()) && (await opener.count()) > 0) await opener.click();
  await expect(panel).toBeVisible();
  return panel;
}

test('the Hinton experiment downloads as a PyTorch project', async ({ page, request }) => {
  await openStudioWith(page, 'cpu', 'hinton.json', await presetFile(request, 'hinton-mnist.json'));
  const panel = await exportPanel(page);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), panel.getByTestId('export-download-pytorch').click()]);
  expect(download.suggestedFilename()).toBe('hinton-kd-on-mnist-pytorch.zip');
  const zip = unzipSync(new Uint8Array(await readFile(await download.path())));
  for (const file of ['train.py', 'models.py', 'losses.py', 'data.py', 'studio_weights.py', 'requirements.txt', 'README.md']) {
    expect(zip[`hinton-kd-on-mnist-pytorch/${file}`], file).toBeDefined();
  }
  const config = JSON.parse(strFromU8(zip['hinton-kd-on-mnist-pytorch/config.json'])) as { phases: { stages: { terms: { lossId: string; params: Record<string, unknown> }[] }[] }[] };
  const terms = config.phases.flatMap((phase) => phase.stages.flatMap((stage) => stage.terms));
  expect(terms.find((term) => term.lossId === 'kd')?.params).toEqual({ T: 20 });
});

test('an experiment with a loss the export lacks names it', async ({ page, request }) => {
  await openStudioWith(page, 'cpu', 'crd.json', await presetFile(request, 'crd-mnist.json'));
  const panel = await exportPanel(page);
  await panel.getByTestId('export-download-pytorch').click();
  // The export worker loads tfjs and onnxruntime-web first, which takes a while on a busy machine.
  await expect(panel.getByTestId('export-pytorch-error')).toContainText(/does not support these losses yet: .*CRD/i, { timeout: 90_000 });
});

test('a weights file pair loads into the export panel and exports as verified ONNX', async ({ page, request }) => {
  test.setTimeout(180_000);
  await openStudioWith(page, 'cpu', 'hinton.json', await presetFile(request, 'hinton-mnist.json'));
  const panel = await exportPanel(page);
  // The shipped Hinton teacher is a studio weights file, the format the PyTorch project's checkpoints are written in.
  const stem = 'public/teachers/teacher-a432effc4e84f5f3';
  await panel.getByTestId('export-load-weights').setInputFiles([
    { name: 'teacher.json', mimeType: 'application/json', buffer: await readFile(`${stem}.json`) },
    { name: 'teacher.bin', mimeType: 'application/octet-stream', buffer: await readFile(`${stem}.bin`) },
  ]);
  await expect(panel.getByTestId('export-model')).toHaveValue('teacher');
  await panel.getByTestId('export-format').selectOption('onnx');
  await expect(panel.getByTestId('export-verify-result')).toHaveAttribute('data-status', 'ok', { timeout: 120_000 });

  // A pair for another architecture is refused with the layer named.
  await panel.getByTestId('export-load-weights').setInputFiles([
    { name: 'student.json', mimeType: 'application/json', buffer: await readFile(`${stem}.json`) },
    { name: 'student.bin', mimeType: 'application/octet-stream', buffer: await readFile(`${stem}.bin`) },
  ]);
  await expect(panel.getByTestId('export-load-weights-error')).toContainText(/layer 'fc1' has tensors/);
});

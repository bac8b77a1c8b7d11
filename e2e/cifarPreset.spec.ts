import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { PretrainedIndex } from '../src/train/pretrained';
import { openStudio, presetFile, selectNode, uploadExperiment } from './helpers';

/** The CIFAR-10 KD preset in the browser: listed, starts from its shipped teacher, a short run on colour images finishes. */
test('CIFAR-10 KD preset: opens from the list, starts from its shipped teacher, a short real run finishes with finite losses', async ({ page, request }) => {
  test.setTimeout(600_000);
  const index = (await (await request.get('/teachers/index.json')).json()) as PretrainedIndex;
  const shipped = index.teachers.find((teacher) => teacher.presets.includes('cifar10-kd.json'));
  expect(shipped, 'public/teachers lists the CIFAR-10 CNN teacher').toBeDefined();
  const preset = await presetFile(request, 'cifar10-kd.json');

  await openStudio(page, 'wasm');
  // Opened from the toolbar's preset list, as a user would.
  await page.getByTestId('preset-select').selectOption('cifar10-kd.json');
  await expect(page.getByTestId('experiment-name')).toHaveValue(preset.name);
  await selectNode(page, 'dataset');
  await expect(page.getByTestId('field-datasetId').locator('select')).toHaveValue('cifar10');
  await expect(page.getByTestId('field-augmentFlip').locator('input')).toBeChecked();

  // Shrunk: 1,000 training images and one epoch for the student and its baseline. The teacher and the
  // dataset's split and augmentation stay, so its key does too and it comes from public/teachers.
  const short = {
    ...preset,
    name: 'CIFAR-10 KD (short)',
    nodes: preset.nodes.map((node) => {
      if (node.kind === 'dataset') return { ...node, params: { ...node.params, trainSubset: 1000, probeCount: 4 } };
      if (node.kind === 'trainer') return { ...node, params: { ...node.params, epochs: 1 } };
      return node;
    }),
  };
  await uploadExperiment(page, 'cifar10-short.json', JSON.stringify(short));
  await expect(page.getByTestId('experiment-name')).toHaveValue(short.name);
  await selectNode(page, 'teacher');
  await expect(page.getByTestId('teacher-pretrained')).toHaveAttribute('data-shipped', 'true');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 540_000 });
  await expect(page.getByTestId('result-row-teacher')).toContainText('(pretrained)');

  const results = page.getByTestId('results-panel');
  for (const model of ['teacher', 'baseline', 'student']) {
    await expect(results.getByTestId(`result-${model}-accuracy`)).toHaveText(/^\d+\.\d+%$/);
  }
  const percent = async (testId: string): Promise<number> => Number.parseFloat((await results.getByTestId(testId).textContent()) ?? '');
  // The teacher's test accuracy is the one it shipped with (two decimals shown).
  expect(Math.abs((await percent('result-teacher-accuracy')) / 100 - shipped!.testAccuracy)).toBeLessThanOrEqual(1.5e-4);
  // One epoch on 1,000 colour images: above the 10 % of guessing, below the teacher.
  for (const model of ['baseline', 'student']) {
    const accuracy = await percent(`result-${model}-accuracy`);
    expect(accuracy).toBeGreaterThan(12);
    expect(accuracy).toBeLessThan(await percent('result-teacher-accuracy'));
  }
  await expect(results.getByTestId('result-distillation-gain')).toHaveText(/pp$/);

  // Every recorded loss of the baseline and the distilled student is a finite number.
  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('loss-csv').click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8').trim().split('\r\n');
  expect(csv[0]).toMatch(/^phase,kind,step,epoch,total loss,/);
  const rows = csv.slice(1).map((line) => line.split(','));
  expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(['baseline', 'student']));
  expect(rows.every((row) => Number.isFinite(Number(row[4])) && row[4] !== '')).toBe(true);
});

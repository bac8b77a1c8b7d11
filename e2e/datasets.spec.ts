import { expect, test } from '@playwright/test';
import type { PretrainedIndex } from '../src/train/pretrained';
import { openStudio, openStudioWith, presetFile, selectNode } from './helpers';

/** Datasets beyond MNIST in the studio: Fashion-MNIST trains on real clothing; CIFAR-10 is explained before it can fail. */

test('Fashion-MNIST: its shipped teacher, the flip option changes the teacher it needs, a short run learns clothing', async ({ page, request }) => {
  test.setTimeout(480_000);
  const index = (await (await request.get('/teachers/index.json')).json()) as PretrainedIndex;
  const shipped = index.teachers.find((teacher) => teacher.presets.includes('cnn-mlp-fashion.json'));
  expect(shipped, 'public/teachers lists the Fashion-MNIST preset teacher').toBeDefined();

  // The preset with a short student stage; the teacher and the dataset's split settings stay, so its key does too.
  const preset = await presetFile(request, 'cnn-mlp-fashion.json');
  const short = {
    ...preset,
    name: 'Fashion KD (short)',
    nodes: preset.nodes.map((node) => {
      if (node.kind === 'dataset') return { ...node, params: { ...node.params, trainSubset: 2000, probeCount: 4 } };
      if (node.kind === 'trainer') return { ...node, params: { ...node.params, epochs: 1 } };
      return node;
    }),
  };
  await openStudioWith(page, 'wasm', 'fashion-short.json', short);

  await selectNode(page, 'dataset');
  await expect(page.getByTestId('field-datasetId').locator('select')).toHaveValue('fashion-mnist');
  await expect(page.getByTestId('dataset-on-demand')).toHaveCount(0);
  await selectNode(page, 'teacher');
  await expect(page.getByTestId('teacher-pretrained')).toHaveAttribute('data-shipped', 'true');

  // Flipped images are other training data: the shipped teacher no longer matches; Undo restores it.
  await selectNode(page, 'dataset');
  await page.getByTestId('field-augmentFlip').locator('input').check();
  await selectNode(page, 'teacher');
  await expect(page.getByTestId('teacher-pretrained')).toHaveAttribute('data-shipped', 'false');
  await page.getByTestId('undo').click();
  await selectNode(page, 'teacher');
  await expect(page.getByTestId('teacher-pretrained')).toHaveAttribute('data-shipped', 'true');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 420_000 });
  await expect(page.getByTestId('result-row-teacher')).toContainText('(pretrained)');
  const percent = async (testId: string) => Number.parseFloat((await page.getByTestId(testId).textContent()) ?? '');
  // The teacher's test accuracy is the one it shipped with (two decimals shown).
  expect(Math.abs((await percent('result-teacher-accuracy')) / 100 - shipped!.testAccuracy)).toBeLessThanOrEqual(1.5e-4);
  // The MLP student after one epoch on 2,000 real clothing images: far above the 10 % of guessing, below the teacher.
  const student = await percent('result-student-accuracy');
  expect(student).toBeGreaterThan(40);
  expect(student).toBeLessThan(await percent('result-teacher-accuracy'));
});

test('CIFAR-10: picking it says how it is prepared, and MNIST-sized models are flagged with the reason', async ({ page }) => {
  await openStudio(page, 'wasm');
  await selectNode(page, 'dataset');
  await page.getByTestId('field-datasetId').locator('select').selectOption('cifar10');
  await expect(page.getByTestId('dataset-on-demand')).toContainText('npm run prepare-data -- cifar10');
  await expect(page.getByTestId('node-teacher').getByTestId('node-problem')).toHaveAttribute('title', /expects images \[28, 28, 1\] but the dataset gives \[32, 32, 3\]/);
  // Run refuses with the reasons instead of starting, or failing later on a missing file.
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-error')).toHaveAttribute('data-kind', 'graph');
  await expect(page.getByTestId('run-error')).toContainText('[32, 32, 3]');
});

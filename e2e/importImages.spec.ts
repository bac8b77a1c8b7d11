import { expect, test } from '@playwright/test';
import { zipSync } from 'fflate';
import { importImages } from '../src/data/userImages/importImages';
import { DEFAULT_SPLIT } from '../src/data/userImages/split';
import { encodePng, nodePngDecoder, preparedImages } from '../src/data/userImages/userImages.testkit';
import { openStudioWith, presetFile, selectNode, shrinkExperiment } from './helpers';

/**
 * The user's own images in Chromium: a zip of real MNIST digits as PNG files in ten class folders,
 * one corrupt PNG, a stray text file and macOS metadata. The summary reports the broken file, Use
 * puts the dataset on the Dataset node, and the Hinton preset trains a short real run on it.
 */

function digitFiles(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  preparedImages('mnist', digits, 12).forEach(({ label, pixels }, i) => {
    files[`my-digits/class-${label}/${i % 12}.png`] = encodePng(28, 28, 1, pixels);
  });
  // A real PNG cut off after its header: the browser cannot decode it.
  files['my-digits/class-3/broken.png'] = files['my-digits/class-3/0.png'].slice(0, 70);
  files['my-digits/notes.txt'] = new TextEncoder().encode('ten digits');
  files['__MACOSX/my-digits/._notes.txt'] = new Uint8Array(8);
  return files;
}

/** The id the same import gets in Node: it hashes the pixels, so equal ids mean the browser decoded every digit exactly. */
async function idImportedInNode(files: Record<string, Uint8Array>): Promise<string> {
  const source = { files: Object.entries(files).map(([path, bytes]) => ({ path, bytes: bytes.byteLength })), read: async (path: string) => files[path] };
  const imported = await importImages(source, { ...DEFAULT_SPLIT, name: 'my-digits', source: 'my-digits', shape: '28x28x1' }, nodePngDecoder);
  return imported.info.id;
}

test('imports a zip of images with a broken one, shows the summary, and trains on it', async ({ page, request }) => {
  test.setTimeout(240_000);
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await openStudioWith(page, 'wasm', 'hinton-tiny.json', experiment);

  await selectNode(page, 'dataset');
  await page.getByTestId('import-images-open').click();
  const files = digitFiles();
  await page.getByTestId('import-zip').setInputFiles({ name: 'my-digits.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  await expect(page.getByTestId('import-name')).toHaveValue('my-digits');
  await expect(page.getByTestId('import-shape')).toHaveValue('28x28x1');
  await page.getByTestId('import-start').click();

  const summary = page.getByTestId('import-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(summary.getByRole('heading').first()).toHaveText('10 classes, 120 images');
  // 12 images per class at 10 % validation and 10 % test: one of each per class.
  await expect(page.getByTestId('import-class-row')).toHaveCount(10);
  await expect(page.getByTestId('import-class-row').first()).toHaveText(['class-0', '10', '1', '1'].join(''));
  const skipped = page.getByTestId('import-skipped');
  await expect(skipped).toContainText('2 files skipped');
  await expect(skipped.locator('li', { hasText: 'my-digits/class-3/broken.png' })).toContainText('broken image');
  await expect(skipped.locator('li', { hasText: 'my-digits/notes.txt' })).toContainText('not a PNG or JPEG');
  await expect(summary).toContainText('1 system file or folder ignored');
  // The sample grid is drawn from the decoded pixels: MNIST digits are white strokes on black.
  const bright = await page.getByTestId('import-sample-grid').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 200) count += 1;
    return count;
  });
  expect(bright).toBeGreaterThan(1000);

  await page.getByTestId('import-use').click();
  const datasetSelect = page.getByTestId('field-datasetId').locator('select');
  await expect(datasetSelect).toHaveValue(/^user:my-digits-[0-9a-f]{10}$/);
  const datasetId = await datasetSelect.inputValue();
  expect(datasetId).toBe(await idImportedInNode(files));
  await expect(page.getByTestId('node-dataset').getByTestId('node-problem')).toHaveCount(0);

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 180_000 });
  const accuracy = Number.parseFloat((await page.getByTestId('result-student-accuracy').textContent()) ?? '');
  expect(accuracy).toBeGreaterThanOrEqual(0);
  expect(accuracy).toBeLessThanOrEqual(100);

  // Stored in IndexedDB: after a reload the autosaved graph still finds its dataset.
  await page.reload();
  await selectNode(page, 'dataset');
  await expect(page.getByTestId('field-datasetId').locator('select')).toHaveValue(datasetId);
  await expect(page.getByTestId('node-dataset').getByTestId('node-problem')).toHaveCount(0);

  // Deleting the stored images, after a confirmation that names them, leaves the graph as it was,
  // its Dataset node asking for the images again; a reload finds them gone.
  page.once('dialog', (dialog) => {
    expect(dialog.message()).toContain('“my-digits”');
    void dialog.accept();
  });
  await page.getByTestId('import-delete').click();
  const problem = page.getByTestId('node-dataset').getByTestId('node-problem');
  await expect(problem).toHaveAttribute('title', /not in this browser: import the images again/);
  await page.reload();
  await expect(page.getByTestId('node-dataset').getByTestId('node-problem')).toHaveAttribute('title', /import the images again/);
  // The browser's own storage: the index lists no dataset, and the pixels are gone.
  const stored = await page.evaluate((id) => new Promise<{ listed: number; record: boolean }>((resolve, reject) => {
    const open = indexedDB.open('distillation-studio-user-datasets', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const store = open.result.transaction('datasets', 'readonly').objectStore('datasets');
      const index = store.get('index');
      const record = store.get(id);
      record.onsuccess = () => resolve({ listed: (index.result as unknown[] | undefined)?.length ?? 0, record: record.result !== undefined });
    };
  }), datasetId);
  expect(stored).toEqual({ listed: 0, record: false });
});

test('an experiment naming imported images this browser does not have says to import them again', async ({ page, request }) => {
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  const elsewhere = {
    ...experiment,
    nodes: experiment.nodes.map((node) => (node.kind === 'dataset' ? { ...node, params: { ...node.params, datasetId: 'user:holiday-0123456789' } } : node)),
  };
  await openStudioWith(page, 'wasm', 'elsewhere.json', elsewhere);
  await expect(page.getByTestId('node-dataset').getByTestId('node-problem')).toHaveAttribute('title', /not in this browser: import the images again/);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-error')).toContainText('import the images again');
});

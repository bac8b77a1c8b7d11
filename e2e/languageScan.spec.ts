import { expect, test, type Page } from '@playwright/test';
import { presetFile, shrinkExperiment, uploadExperiment } from './helpers';

/**
 * English left in the Chinese interface, found the way a user would: in Chinese, run the default
 * experiment briefly, open the sweep dialog and the inspector of every node kind, and read every visible text for runs
 * of three or more English words. Names (datasets, methods, formats, layer ids), formulas (KaTeX)
 * and paper citations are allowed; anything else is a text someone forgot to translate.
 */

/** Names and terms that stay as they are in Chinese text. Longest first, so "Fashion-MNIST" goes before "MNIST". */
const ALLOWED_TERMS = [
  'WebAssembly (SIMD, CPU)', 'Fashion-MNIST', 'CIFAR-10', 'MNIST', 'ONNX Runtime', 'ONNX', 'FitNet', 'Hinton', 'React Flow',
  'hinton-teacher', 'hinton-student', 'soft targets', 'KD', 'CE', 'FLOPs', 'logits', 'Logits', 'softmax', 'WebAssembly', 'WebGPU', 'WebGL',
  'JSON', 'CSV', 'PNG', 'CPU', 'GPU', 'Atlas 200DK', 'ATC', 'Be Your Own Teacher',
];

/** Elements whose text is not interface text: formulas, paper citations, the experiment file's own description, what the user typed. */
const SKIPPED = '.katex, .citation, [data-testid="loss-citation"], [data-testid="dataset-citation"], [data-testid="experiment-description"], ' +
  'input, textarea, select option:not(:checked), .react-flow__attribution';

/** Three or more English words in a row. */
const ENGLISH_RUN = /[A-Za-z][A-Za-z'’-]*(?:[ ,:;()/]+[A-Za-z][A-Za-z'’-]*){2,}/g;

async function englishRuns(page: Page, where: string): Promise<string[]> {
  const texts = await page.evaluate((skipped) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (parent === null || text === '' || parent.closest(skipped) !== null) continue;
      if (!parent.checkVisibility({ checkVisibilityCSS: true })) continue;
      found.push(text);
    }
    // Tooltips and labels are read too (screen readers, hovering).
    for (const element of document.querySelectorAll<HTMLElement>('[title], [aria-label]')) {
      if (element.closest(skipped) !== null || !element.checkVisibility({ checkVisibilityCSS: true })) continue;
      for (const attribute of ['title', 'aria-label']) {
        const value = element.getAttribute(attribute);
        if (value) found.push(value);
      }
    }
    return found;
  }, SKIPPED);
  const runs = new Set<string>();
  for (const text of texts) {
    let rest = text;
    for (const term of ALLOWED_TERMS) rest = rest.split(term).join(' · ');
    for (const match of rest.matchAll(ENGLISH_RUN)) runs.add(`${where}: "${match[0]}" in "${text.slice(0, 80)}"`);
  }
  return [...runs];
}

test.use({ viewport: { width: 1280, height: 720 } });

test('the Chinese interface has no English left: a short run and the inspector of every node kind', async ({ page, request }) => {
  test.setTimeout(600_000);
  const found: string[] = [];
  await page.goto('/?backend=wasm&lang=zh');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const hinton = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await uploadExperiment(page, 'tiny-hinton.json', JSON.stringify(hinton));
  await expect(page.getByTestId('experiment-name')).toHaveValue(hinton.name);
  found.push(...await englishRuns(page, 'before the run'));

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  found.push(...await englishRuns(page, 'during the run'));
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', { timeout: 300_000 });
  found.push(...await englishRuns(page, 'after the run'));
  // The worker's log lines are worded from their data on the page (app/run/runLogText.ts).
  await page.getByTestId('run-log').locator('summary').click();
  await expect(page.getByTestId('run-log').locator('li').first()).toHaveText(/^数据：\d+ 张训练图像/);
  found.push(...await englishRuns(page, 'run log open'));
  // The sweep dialog names its parameters in Chinese (the user's node labels stay as typed).
  await page.getByTestId('sweep-button').click();
  await expect(page.getByTestId('sweep-param-1').locator('option:checked')).toContainText('：温度 T');
  found.push(...await englishRuns(page, 'sweep dialog'));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sweep-dialog')).toHaveCount(0);

  // Every node kind's inspector: the Hinton graph, then one with guide, guided and FitNet's adapter.
  await page.getByTestId('toggle-dashboard').click();
  const inspect = async (label: string) => {
    await page.locator('.react-flow__controls-fitview').click();
    for (const node of await page.locator('.react-flow__node').all()) {
      const id = await node.getAttribute('data-id');
      await node.click({ position: { x: 20, y: 8 }, force: true });
      await expect(page.getByTestId('inspector')).toHaveAttribute('data-node-id', id ?? '');
      found.push(...await englishRuns(page, `${label}, inspector of ${id}`));
    }
  };
  await inspect('Hinton');
  const fitnet = shrinkExperiment(await presetFile(request, 'fitnet-mnist.json'));
  await uploadExperiment(page, 'tiny-fitnet.json', JSON.stringify(fitnet));
  const replace = page.getByTestId('replace-open');
  if (await replace.isVisible()) await replace.click();
  await expect(page.getByTestId('experiment-name')).toHaveValue(fitnet.name);
  await inspect('FitNet');

  expect(found, found.join('\n')).toEqual([]);
});

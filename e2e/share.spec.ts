import { expect, test, type Page } from '@playwright/test';
import { openStudio } from './helpers';

/** Shared links: the graph travels in the URL fragment; opening one never replaces unsaved work without asking. */

async function shareLinkOf(page: Page): Promise<string> {
  await page.getByTestId('share-experiment').click();
  const link = await page.getByTestId('share-link').inputValue();
  await page.getByTestId('share-close').click();
  return link;
}

const nodeIds = (page: Page): Promise<(string | null)[]> =>
  page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id')).sort());

test('a shared link opens the same graph elsewhere, and asks before replacing unsaved edits', async ({ page, browser }) => {
  await openStudio(page, 'wasm');
  await page.getByTestId('experiment-name').fill('Hinton, shared');
  const link = await shareLinkOf(page);
  expect(link).toMatch(/#experiment=v1\.[A-Za-z0-9_-]+$/);
  const ids = await nodeIds(page);

  // Another browser profile (nothing saved there): the link opens as it is, without a question.
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other.getByTestId('experiment-name')).toHaveValue('Hinton, shared');
  await expect(other.getByTestId('replace-dialog')).toHaveCount(0);
  expect(await nodeIds(other)).toEqual(ids);
  // The code leaves the address bar, so a reload does not open it again over later edits.
  expect(new URL(other.url()).hash).toBe('');

  // A second link, made there from a preset.
  await other.getByTestId('preset-select').selectOption('cnn-mnist-at.json');
  await expect(other.getByTestId('experiment-name')).not.toHaveValue('Hinton, shared');
  const cnnName = await other.getByTestId('experiment-name').inputValue();
  const cnnLink = await shareLinkOf(other);

  // Back in the first page, whose rename was never saved to a file: opening the link asks first.
  const fragment = cnnLink.slice(cnnLink.indexOf('#'));
  await page.evaluate((hash) => { window.location.hash = hash; }, fragment);
  await expect(page.getByTestId('replace-dialog')).toContainText('never saved to a file');
  await page.getByTestId('replace-cancel').click();
  await expect(page.getByTestId('replace-dialog')).toHaveCount(0);
  await expect(page.getByTestId('experiment-name')).toHaveValue('Hinton, shared');

  // Asked again, "Save it, then open" downloads the edited experiment before opening the link's.
  await page.evaluate((hash) => { window.location.hash = hash; }, fragment);
  const download = page.waitForEvent('download');
  await page.getByTestId('replace-save-then-open').click();
  expect((await download).suggestedFilename()).toBe('hinton-shared.experiment.json');
  await expect(page.getByTestId('experiment-name')).toHaveValue(cnnName);
  // And Undo still brings the replaced graph back.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('experiment-name')).toHaveValue('Hinton, shared');
});

test('a damaged link is reported and the experiment on screen is kept', async ({ page }) => {
  await openStudio(page, 'wasm');
  const name = await page.getByTestId('experiment-name').inputValue();
  await page.evaluate(() => { window.location.hash = 'experiment=v1.eJzLSM3JyVcozy_KSQEAGgQEXQ'; });
  await expect(page.getByTestId('toast').filter({ hasText: 'The shared link could not be opened' })).toContainText('was kept');
  await expect(page.getByTestId('experiment-name')).toHaveValue(name);
  await expect(page.getByTestId('replace-dialog')).toHaveCount(0);
});

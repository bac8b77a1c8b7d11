import { expect, test } from '@playwright/test';
import { openStudioWith, presetFile, selectNode, shrinkExperiment } from './helpers';

/**
 * Best guidance path in the studio: the FitNet preset's hint block searches two pairings in its
 * worker on wasm, the ranked table appears with its notes, Apply rewires the guide and guided
 * layers and Undo restores them.
 */

test('best guidance path: search two pairings of the FitNet hint, apply one, undo it', async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);
  await openStudioWith(page, 'wasm', 'fitnet.json', shrinkExperiment(await presetFile(request, 'fitnet-mnist.json')));
  const guide = page.getByTestId('node-guide-relu4');
  const guided = page.getByTestId('node-guided-pool2');
  await expect(guide).toContainText('relu4');
  await expect(guided).toContainText('pool2');

  await selectNode(page, 'hint');
  const section = page.getByTestId('inspector').getByTestId('guidance-section');
  await expect(section).toBeVisible();
  await section.getByTestId('guidance-trainSubset').locator('input').fill('300');
  await section.getByTestId('guidance-epochs').locator('input').fill('1');
  await section.getByTestId('guidance-maxCandidates').locator('input').fill('2');
  await expect(section.getByTestId('guidance-preview')).toContainText('2 will be trained');
  await section.getByTestId('guidance-search').click();

  // Progress names the pairing being trained while the page stays responsive.
  await expect(section.getByTestId('guidance-current')).toHaveText(/^Pairing [12] of 2: teacher \S+ → student \S+$/, { timeout: 60_000 });
  await expect(section.getByTestId('guidance-stop')).toBeEnabled();

  const report = section.getByTestId('guidance-report');
  await expect(report).toBeVisible({ timeout: 240_000 });
  await expect(section.getByTestId('guidance-error')).toHaveCount(0);
  const rows = report.getByTestId('guidance-row');
  await expect(rows).toHaveCount(2);
  await expect(report.getByTestId('guidance-validation').first()).toHaveText(/^\d+\.\d\d%$/);
  await expect(report.locator('[data-testid="guidance-row"][data-as-drawn="true"]')).toHaveAttribute('data-teacher-layer', 'relu4');
  await expect(report.getByTestId('guidance-notes')).toContainText('differences within it mean nothing');
  await report.screenshot({ path: testInfo.outputPath('guidance-report.png') });

  const other = report.locator('[data-testid="guidance-row"][data-as-drawn="false"]').first();
  const teacherLayer = (await other.getAttribute('data-teacher-layer'))!;
  const studentLayer = (await other.getAttribute('data-student-layer'))!;
  await other.getByTestId('guidance-apply').click();
  await expect(guide).toContainText(teacherLayer);
  await expect(guide).not.toContainText('relu4');
  await expect(guided).toContainText(studentLayer);
  await expect(guided).not.toContainText('pool2');
  // The table follows the graph: the applied pairing is now the drawn one.
  await expect(report.locator('[data-testid="guidance-row"][data-as-drawn="true"]')).toHaveAttribute('data-teacher-layer', teacherLayer);

  await page.getByTestId('undo').click();
  await expect(guide).toContainText('relu4');
  await expect(guided).toContainText('pool2');
  await expect(report.locator('[data-testid="guidance-row"][data-as-drawn="true"]')).toHaveAttribute('data-student-layer', 'pool2');
});

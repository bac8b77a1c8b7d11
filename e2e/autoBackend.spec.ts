import { expect, test, type Page } from '@playwright/test';
import { presetFile, shrinkExperiment, uploadExperiment } from './helpers';

/**
 * Auto measures each backend with a few training steps and keeps the fastest (issue 16). On the
 * GPU-less test machine WebGPU and WebGL run on SwiftShader, so the badge must name the backend
 * whose measured samples/s are the highest in its own reason, and call the software adapter so.
 */

const PROBE_STORAGE_KEY = 'distillation-studio.backendProbes.v1';

async function openWithoutBackendParameter(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.locator('[data-testid^="node-"]').first()).toBeVisible();
}

/** The samples/s figures of a reason, in order ("Auto: 1,400 samples/s vs WebGPU (software adapter) 37 samples/s"). */
function samplesPerSecond(reason: string): number[] {
  return [...reason.matchAll(/([\d,]+(?:\.\d+)?) samples\/s/g)].map((match) => Number(match[1].replace(/,/g, '')));
}

async function runBaselineAndReadReason(page: Page): Promise<string> {
  await page.getByTestId('run-baseline').click();
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', /.+/, { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 120_000 });
  return (await page.getByTestId('backend-reason').textContent()) ?? '';
}

test('Auto measures the backends, picks the fastest and says what it measured; later runs reuse it until Re-measure', async ({ page, request }) => {
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await openWithoutBackendParameter(page);
  await expect(page.getByTestId('backend-select')).toHaveValue('auto');
  await uploadExperiment(page, 'auto.json', JSON.stringify(experiment));

  const measured = await runBaselineAndReadReason(page);
  test.info().annotations.push({ type: 'auto backend', description: measured });
  expect(measured).toMatch(/Auto: [\d,.]+ samples\/s/);
  const [chosen, ...others] = samplesPerSecond(measured);
  for (const other of others) expect(chosen).toBeGreaterThanOrEqual(other);
  // This machine's WebGPU is SwiftShader: named a software adapter, measured or not.
  expect(measured).toMatch(/WebGPU \(software adapter\)/);
  const backend = await page.getByTestId('backend-badge').getAttribute('data-backend');
  expect(backend).not.toBe('webgpu');
  const stored = await page.evaluate(
    (key) => JSON.parse(localStorage.getItem(key) ?? '[]') as { durationMs: number; outcomes: unknown[] }[], PROBE_STORAGE_KEY,
  );
  expect(stored).toHaveLength(1);
  expect(stored[0].outcomes.length).toBe(4);
  test.info().annotations.push({ type: 'probe duration (ms)', description: String(stored[0].durationMs) });

  // The next run decides from the stored measurement, on the same backend.
  const reused = await runBaselineAndReadReason(page);
  expect(reused).toContain('on this device; Re-measure to repeat');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', backend!);

  // In Chinese the badge words the same numbers in Chinese (the page composes it from the measurements).
  await page.getByTestId('language-select').selectOption('zh');
  const reason = page.getByTestId('backend-reason');
  await expect(reason).toContainText(/自动：[\d,.]+ 样本\/秒/);
  await expect(reason).toContainText('WebGPU（软件适配器）');
  await expect(reason).toContainText('在此设备上测得');
  await expect(reason).not.toContainText('samples/s');
  expect(samplesPerSecond((await reason.textContent() ?? '').replace(/ 样本\/秒/g, ' samples/s'))).toEqual(samplesPerSecond(reused));
  await page.getByTestId('language-select').selectOption('en');

  // Re-measure forgets it: the run after measures again.
  await page.getByTestId('backend-remeasure').click();
  await expect(page.getByTestId('backend-remeasure')).toHaveText('Measures on next run');
  const remeasured = await runBaselineAndReadReason(page);
  expect(remeasured).toMatch(/^— Auto: [\d,.]+ samples\/s/);
  expect(remeasured).not.toContain('Re-measure to repeat');
});

test('the backend chosen in the selector survives a reload; ?backend= still overrides it', async ({ page }) => {
  await openWithoutBackendParameter(page);
  await page.getByTestId('backend-select').selectOption('wasm');
  await page.reload();
  await expect(page.getByTestId('backend-select')).toHaveValue('wasm');

  await page.goto('/?backend=cpu');
  await expect(page.getByTestId('backend-select')).toHaveValue('cpu');
  // The URL pins one visit only: the remembered choice is unchanged.
  await page.goto('/');
  await expect(page.getByTestId('backend-select')).toHaveValue('wasm');
});

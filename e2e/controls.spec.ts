import { expect, test } from '@playwright/test';
import { cnnPresetWithAttentionAndFsp, nodeCount, openStudio, openStudioWith, presetFile, shrinkExperiment, TINY_RUN } from './helpers';

test('pause holds training, resume continues, stop ends the run and keeps the graph', async ({ page, request }) => {
  // Enough steps (32 per epoch) that the run is still going while we pause and resume.
  const experiment = shrinkExperiment(await cnnPresetWithAttentionAndFsp(request), { ...TINY_RUN, trainSubset: 2048 });
  await openStudioWith(page, 'webgl', 'pausable.json', experiment);
  const nodesBefore = await nodeCount(page);

  await page.getByTestId('run-teacher').click();
  const progress = page.getByTestId('progress');
  await expect(progress).toContainText(/step [1-9]\d*\//, { timeout: 120_000 });

  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await expect(page.getByTestId('pause-button')).toHaveText(/Resume/);
  // The step in flight may still report; after that the count must hold.
  await page.waitForTimeout(4_000);
  const heldAt = await progress.textContent();
  await page.waitForTimeout(4_000);
  expect(await progress.textContent()).toBe(heldAt);

  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(progress).not.toHaveText(heldAt ?? '', { timeout: 60_000 });

  // Every label the Stop button shows from here on (a short step may end before a poll would see one).
  await page.getByTestId('stop-button').evaluate((button) => {
    const labels: string[] = [];
    (window as unknown as { stopLabels: string[] }).stopLabels = labels;
    new MutationObserver(() => labels.push(button.textContent ?? '')).observe(button, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
  // Said at once, before the worker stopped after its step in flight.
  const labels = await page.evaluate(() => (window as unknown as { stopLabels: string[] }).stopLabels);
  expect(labels[0]).toBe('Stopping…');
  expect(labels.at(-1)).toBe('■ Stop');
  await expect(page.getByTestId('run-button')).toBeEnabled();
  expect(await nodeCount(page)).toBe(nodesBefore);
});

test('graph problems block Run and list their reasons', async ({ page }) => {
  await openStudio(page, 'cpu');
  await page.getByTestId('new-experiment').click();
  await page.getByTestId('run-button').click();
  const error = page.getByTestId('run-error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-kind', 'graph');
  expect(await error.locator('li').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('run-status')).toHaveText('error');
  // Nothing started: no backend was chosen.
  await expect(page.getByTestId('backend-badge')).not.toHaveAttribute('data-backend', /.+/);
});

test('the ?backend= parameter selects the backend', async ({ page }) => {
  await openStudio(page, 'cpu');
  await expect(page.getByTestId('backend-select')).toHaveValue('cpu');
});

/** A worker script on a cross-origin-isolated page must itself carry the isolation headers. */
const ISOLATED_SCRIPT = { 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

test('a crashed training worker is reported and the graph stays', async ({ page }) => {
  // Serve a worker script that dies at start-up, as a worker out of memory or a broken bundle would.
  await page.route('**/workers/train.worker.ts*', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', headers: ISOLATED_SCRIPT, body: 'throw new Error("simulated worker failure");' }),
  );
  await openStudio(page, 'cpu');
  const nodes = await nodeCount(page);
  await page.getByTestId('run-button').click();
  const error = page.getByTestId('run-error');
  await expect(error).toContainText('The training worker crashed');
  await expect(error).toContainText('simulated worker failure');
  await expect(error).toContainText('press Run to try again');
  await expect(error).toHaveAttribute('data-kind', 'crash');
  await expect(page.getByTestId('run-button')).toBeEnabled();
  expect(await nodeCount(page)).toBe(nodes);
});

test('a worker that crashes mid-run keeps the results of the models already trained', async ({ page, request }) => {
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  // The real worker, wrapped so that it dies with an uncaught error right after its first results
  // message (sent when the teacher is done), as a worker out of memory would die mid-run.
  let wrapped = false;
  await page.route('**/workers/train.worker.ts*', (route) => {
    if (wrapped) return route.continue();
    wrapped = true;
    const real = new URL(route.request().url());
    real.searchParams.set('unwrapped', '1');
    return route.fulfill({
      status: 200,
      contentType: 'text/javascript',
      headers: ISOLATED_SCRIPT,
      // A static import, so the real worker's message handler exists before the page's first message.
      body: `import ${JSON.stringify(real.pathname + real.search)};
        const post = self.postMessage.bind(self);
        self.postMessage = (message, transfer) => {
          post(message, transfer);
          if (message.type === 'result') setTimeout(() => { throw new Error('simulated crash after the teacher'); });
        };`,
    });
  });
  await openStudioWith(page, 'cpu', 'crashing.json', experiment);
  const nodes = await nodeCount(page);

  await page.getByTestId('run-button').click();
  const error = page.getByTestId('run-error');
  await expect(error).toHaveAttribute('data-kind', 'crash', { timeout: 120_000 });
  await expect(error).toContainText('simulated crash after the teacher');
  await expect(error).toContainText('the results so far are kept');
  const results = page.getByTestId('results-panel');
  await expect(results.getByTestId('result-teacher-accuracy')).toHaveText(/^\d+\.\d+%$/);
  await expect(results.getByTestId('result-baseline-accuracy')).toHaveText('not run');
  await expect(results.getByTestId('result-student-accuracy')).toHaveText('not run');
  await expect(page.getByTestId('run-button')).toBeEnabled();
  expect(await nodeCount(page)).toBe(nodes);
});

test('closing the page mid-run asks first; the next load says what happened and shows the finished models', async ({ page, request }) => {
  const tiny = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  // A one-epoch teacher, then a student stage long enough to be cut off by the reload.
  const experiment = {
    ...tiny,
    nodes: tiny.nodes.map((node) => (node.kind === 'trainer' ? { ...node, params: { ...node.params, epochs: 500 } } : node)),
  };
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  await openStudioWith(page, 'cpu', 'interrupted.json', experiment);
  await page.getByTestId('run-button').click();
  const results = page.getByTestId('results-panel');
  await expect(results.getByTestId('result-teacher-accuracy')).toHaveText(/^\d+\.\d+%$/, { timeout: 120_000 });
  await expect(results.getByTestId('result-baseline-accuracy')).toHaveText('pending');
  await expect(page.getByTestId('run-status')).toHaveText('running');

  await page.reload();
  expect(dialogs).toEqual(['beforeunload']);
  await expect(page.getByTestId('experiment-name')).toHaveValue(experiment.name);
  await expect(results.getByTestId('results-restored')).toContainText(`"${experiment.name}" was training`);
  await expect(results.getByTestId('results-restored')).toContainText('results of the models it had finished are shown');
  await expect(results.getByTestId('result-teacher-accuracy')).toHaveText(/^\d+\.\d+%$/);
  // After a reload the table lists the models the run had finished (the cut-off run's plan is gone).
  await expect(results.getByTestId('result-row-baseline')).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'was training' })).toBeVisible();

  // Reported once: the next load shows the same results without the notice, and leaving asks nothing.
  await page.reload();
  await expect(results.getByTestId('results-restored')).toHaveText('Results of the last run, from before the page was reloaded.');
  await expect(results.getByTestId('result-teacher-accuracy')).toHaveText(/^\d+\.\d+%$/);
  expect(dialogs).toEqual(['beforeunload']);
});

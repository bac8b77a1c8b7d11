import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { modelResultById, type ExperimentResults, type ModelResult } from '../src/results';
import { openStudioWith, presetFile, shrinkExperiment, TINY_RUN } from './helpers';

/**
 * A seed sweep on the tiny Hinton preset: Run over two seeds trains the teacher once, then the
 * baseline and the distilled student with seeds 1 and 2, and the results panel reads the gain over
 * both, with the numbers the downloaded results hold. A reload keeps the sweep; Stop ends one early.
 */

const pointsOf = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)} pp`;

test('Run over two seeds: teacher once, both seeds paired, the gain summarised and kept over a reload', async ({ page, request }) => {
  test.setTimeout(300_000);
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'));
  await openStudioWith(page, 'webgl', 'tiny-hinton.json', experiment);

  await page.getByTestId('seed-count').fill('2');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('seed-sweep')).toHaveAttribute('data-state', 'done', { timeout: 240_000 });
  await expect(page.getByTestId('run-status')).toHaveText('finished');
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  // The log runs on across the seeds' runs and marks where each began.
  await expect(page.getByTestId('run-log').locator('li', { hasText: /^Seed \d of 2:/ })).toHaveText([
    'Seed 1 of 2: baseline and student seed 1.',
    'Seed 2 of 2: baseline and student seed 2.',
  ]);

  const sweep = page.getByTestId('seed-sweep');
  await expect(sweep.getByTestId('seed-sweep-row')).toHaveCount(2);
  await expect(sweep.getByTestId('seed-sweep-row').locator('th')).toHaveText(['1', '2']);
  // The table below is the last run's: seed 2, with the teacher restored from the first run's cache.
  await expect(page.getByTestId('seed-sweep-run-title')).toContainText('Seed 2');
  await expect(page.getByTestId('result-student-seed')).toHaveText('2');
  await expect(page.getByTestId('result-row-teacher')).toContainText('(cached)');

  // The downloaded results are the two runs, and the panel's numbers are theirs.
  const downloadPromise = page.waitForEvent('download');
  await sweep.getByTestId('download-seed-results').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/seeds-results\.json$/);
  const runs = JSON.parse(await readFile(await download.path(), 'utf8')) as ExperimentResults[];
  expect(runs.map((run) => run.resultsVersion)).toEqual([2, 2]);
  // The headline distillation names the student, its teacher and its baseline by model id.
  const model = (run: ExperimentResults, pick: 'studentId' | 'teacherId' | 'baselineId'): ModelResult => {
    const found = modelResultById(run, run.distillations[0]?.[pick]);
    expect(found, `the results name the headline distillation's ${pick}`).not.toBeNull();
    return found!;
  };
  expect(runs.map((run) => [model(run, 'baselineId').seed, model(run, 'studentId').seed])).toEqual([[1, 1], [2, 2]]);
  expect(runs.map((run) => model(run, 'teacherId').fromCache ?? false)).toEqual([false, true]);
  expect(model(runs[1], 'teacherId').testAccuracy).toBe(model(runs[0], 'teacherId').testAccuracy);
  // Another seed is another initialisation and data order: the two baselines did not train alike.
  const fit = (run: ExperimentResults): number[] => {
    const baseline = model(run, 'baselineId');
    return [baseline.trainAccuracy, baseline.validationAccuracy, baseline.testAccuracy];
  };
  expect(fit(runs[1])).not.toEqual(fit(runs[0]));
  const gains = runs.map((run) => model(run, 'studentId').testAccuracy - model(run, 'baselineId').testAccuracy);
  await expect(sweep.getByTestId('seed-sweep-gain')).toHaveText(gains.map(pointsOf));
  const mean = (gains[0] + gains[1]) / 2;
  const sd = Math.abs(gains[0] - gains[1]) / Math.SQRT2;
  await expect(sweep.getByTestId('seed-sweep-gain-mean')).toHaveText(`Gain ${pointsOf(mean).replace(' pp', '')} ± ${(sd * 100).toFixed(2)} pp`);
  // t with one degree of freedom: mean ± 12.706 * sd / sqrt(2).
  const half = 12.706 * sd / Math.SQRT2;
  await expect(sweep.getByTestId('seed-sweep-ci')).toHaveText(`${pointsOf(mean - half)} to ${pointsOf(mean + half)}`);
  await expect(sweep.getByTestId('seed-sweep-verdict')).toBeVisible();
  // The strip draws one dot per seed and the interval.
  await expect(sweep.getByTestId('gain-strip-dot')).toHaveCount(2);
  await expect(sweep.getByTestId('gain-strip-interval')).toHaveCount(1);

  // The export is the last run's student, and says so.
  const exportPanel = page.getByTestId('export-panel');
  await expect(exportPanel.getByTestId('export-sweep-note')).toContainText('seed 2');
  await expect(exportPanel.getByTestId('export-model-card')).toContainText(/Seed\s*2/, { timeout: 120_000 });

  await page.reload();
  await expect(page.getByTestId('seed-sweep')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('seed-sweep').getByTestId('seed-sweep-gain')).toHaveText(gains.map(pointsOf));
});

test('Stop during a sweep ends it with the seeds that finished', async ({ page, request }) => {
  test.setTimeout(300_000);
  // 32 steps per epoch, so seed 2's run is still going when Stop is pressed.
  const experiment = shrinkExperiment(await presetFile(request, 'hinton-mnist.json'), { ...TINY_RUN, trainSubset: 2048 });
  await openStudioWith(page, 'webgl', 'tiny-hinton.json', experiment);

  await page.getByTestId('seed-count').fill('3');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('sweep-progress')).toContainText('Seed 2 of 3', { timeout: 180_000 });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
  const sweep = page.getByTestId('seed-sweep');
  await expect(sweep).toHaveAttribute('data-state', 'stopped');
  await expect(sweep).toContainText('1 finished, ended early');
  await expect(sweep.getByTestId('seed-sweep-row')).toHaveCount(1);
  await expect(sweep.getByTestId('seed-sweep-summary')).toContainText('one seed: no spread yet');
  await expect(page.getByTestId('sweep-progress')).toHaveCount(0);
  await expect(page.getByTestId('run-button')).toBeEnabled();
});

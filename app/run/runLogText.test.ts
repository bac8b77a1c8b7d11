import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import type { LogDetail, RunErrorDetail } from '../../src/protocol';
import { RunControl } from '../../src/train/control';
import { runExperiment } from '../../src/train/runner';
import { EventLog, MemoryCache, tinyPlan, trainerSettings } from '../../src/train/testSupport';
import { runLogTexts } from '../i18n/catalogs/runLog';
import { logLineText, runErrorText } from './runLogText';

const chinese = /[\u4e00-\u9fff]/;
const { en, zh } = runLogTexts;

/** One sample per code; typed as a full map, so a new code without a sample fails the typecheck. */
const logSamples: { [C in LogDetail['code']]: Extract<LogDetail, { code: C }> } = {
  dataCounts: { code: 'dataCounts', train: 9000, validation: 1000, test: 2000 },
  teacherShipped: { code: 'teacherShipped', phase: 'Teacher T1' },
  teacherCached: { code: 'teacherCached', phase: 'Teacher T1' },
  pretrainEpoch: { code: 'pretrainEpoch', term: 'FT', part: 'paraphraser', epoch: 2, epochs: 5, loss: 0.123456 },
  ensembleAccuracy: { code: 'ensembleAccuracy', ensemble: 'Gen 0 + 1', testAccuracy: 0.9812, members: ['Gen 0', 'Gen 1'] },
  teacherUnfit: { code: 'teacherUnfit', origin: 'cached', error: 'no weights for layer fc1' },
  teacherCacheUnreadable: { code: 'teacherCacheUnreadable', error: 'QuotaExceededError' },
  pretrainedUnreadable: { code: 'pretrainedUnreadable', error: 'HTTP 404' },
  teacherNotCached: { code: 'teacherNotCached', error: 'QuotaExceededError' },
  importedImagesUnreadable: { code: 'importedImagesUnreadable', error: 'database closed' },
  runAlreadyInProgress: { code: 'runAlreadyInProgress' },
  teacherImported: { code: 'teacherImported', phase: 'Teacher T1', file: 'resnet.onnx' },
};
const errorSamples: { [C in RunErrorDetail['code']]: Extract<RunErrorDetail, { code: C }> } = {
  diverged: { code: 'diverged', term: 'KD', value: Number.NaN, step: 17 },
  dataUnloadable: { code: 'dataUnloadable', error: 'HTTP 404 for mnist/train-images.bin' },
  importedTeacherMissing: { code: 'importedTeacherMissing', teacher: 'Teacher T1', file: 'resnet.onnx' },
};

/** The values a text must show: every string and number of the detail (accuracies as percentages). */
function shownValues(detail: LogDetail | RunErrorDetail): string[] {
  return Object.entries(detail).flatMap(([key, value]) => {
    if (key === 'code' || key === 'origin') return [];
    if (key === 'testAccuracy') return [((value as number) * 100).toFixed(2)];
    if (key === 'loss') return [(value as number).toPrecision(4)];
    return Array.isArray(value) ? value.map(String) : [String(value)];
  });
}

describe('worker log lines and errors in the interface language', () => {
  it('tells an imported teacher whose weights do not fit that it cannot be trained instead, in both languages', () => {
    const detail: LogDetail = { code: 'teacherUnfit', origin: 'imported', error: 'no weights for layer conv1' };
    expect(logLineText(detail, en)).toContain('cannot be trained instead');
    expect(logLineText(detail, zh)).toContain('无法改为训练');
  });

  it('word every code in Chinese with all of its values', () => {
    for (const detail of Object.values(logSamples)) {
      const text = logLineText(detail, zh);
      expect(text, detail.code).toMatch(chinese);
      for (const value of shownValues(detail)) expect(text, detail.code).toContain(value);
    }
    for (const detail of Object.values(errorSamples)) {
      const text = runErrorText(detail, zh);
      expect(text, detail.code).toMatch(chinese);
      for (const value of shownValues(detail)) expect(text, detail.code).toContain(value);
    }
  });

  describe('from a real run', () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });
    const env = (log: EventLog) => ({
      readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'cpu', now: () => performance.now(),
      probeEverySteps: 4, teacherCache: new MemoryCache(),
    });

    it('the English wording of each detail is the sentence the worker sent', async () => {
      const log = new EventLog();
      await runExperiment(tinyPlan({}), { teacher: true, baseline: false, student: false }, env(log));
      const lines = log.ofType('log').filter((event) => event.detail !== undefined);
      expect(lines.map((line) => line.detail?.code)).toContain('dataCounts');
      for (const line of lines) if (line.detail) expect(logLineText(line.detail, en)).toBe(line.message);
    });

    it('a diverged run names the term and the step in Chinese', async () => {
      const log = new EventLog();
      const plan = tinyPlan({ teacher: { settings: trainerSettings({ optimizer: 'sgd', learningRate: 1e12 }) } });
      await runExperiment(plan, { teacher: true, baseline: false, student: false }, env(log));
      const [error] = log.ofType('error');
      if (error.detail?.code !== 'diverged') throw new Error(`expected a divergence, got ${JSON.stringify(error)}`);
      expect(runErrorText(error.detail, en)).toBe(error.message);
      const text = runErrorText(error.detail, zh);
      expect(text).toContain(`第 ${error.detail.step} 步`);
      expect(text).toContain(`“${error.detail.term}”`);
    });
  });
});

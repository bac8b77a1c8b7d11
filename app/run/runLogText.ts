import type { LogDetail, RunErrorDetail } from '../../src/protocol';
import type { runLogTexts } from '../i18n/catalogs/runLog';

type RunLogWords = (typeof runLogTexts)['en'];

/** A worker log line in the catalog's language. */
export function logLineText(detail: LogDetail, words: RunLogWords): string {
  switch (detail.code) {
    case 'dataCounts': return words.dataCounts(detail.train, detail.validation, detail.test);
    case 'teacherShipped': return words.teacherShipped(detail.phase);
    case 'teacherCached': return words.teacherCached(detail.phase);
    case 'pretrainEpoch': return words.pretrainEpoch(detail.term, detail.part, detail.epoch, detail.epochs, detail.loss.toPrecision(4));
    case 'ensembleAccuracy': return words.ensembleAccuracy(detail.ensemble, (detail.testAccuracy * 100).toFixed(2), detail.members.join(', '));
    case 'teacherUnfit':
      if (detail.origin === 'imported') return words.teacherUnfitImported(detail.error);
      return detail.origin === 'cached' ? words.teacherUnfitCached(detail.error) : words.teacherUnfitPretrained(detail.error);
    case 'teacherCacheUnreadable': return words.teacherCacheUnreadable(detail.error);
    case 'pretrainedUnreadable': return words.pretrainedUnreadable(detail.error);
    case 'teacherNotCached': return words.teacherNotCached(detail.error);
    case 'importedImagesUnreadable': return words.importedImagesUnreadable(detail.error);
    case 'runAlreadyInProgress': return words.runAlreadyInProgress;
    case 'teacherImported': return words.teacherImported(detail.phase, detail.file);
  }
}

/** A worker error in the catalog's language. */
export function runErrorText(detail: RunErrorDetail, words: RunLogWords): string {
  switch (detail.code) {
    case 'diverged': return words.diverged(detail.step, detail.term, String(detail.value));
    case 'dataUnloadable': return words.dataUnloadable(detail.error);
    case 'importedTeacherMissing': return words.importedTeacherMissing(detail.teacher, detail.file);
  }
}

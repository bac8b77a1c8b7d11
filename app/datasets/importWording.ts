import type { SkipReason } from '../../src/data/userImages/layout';
import type { ImportProblem } from '../../src/data/userImages/limits';
import { importTexts } from '../i18n/catalogs/imports';

type ImportTexts = (typeof importTexts)['en'];

export function skipReasonText(tx: ImportTexts, reason: SkipReason): string {
  const texts: Record<SkipReason, string> = {
    unsupportedType: tx.skipUnsupportedType, notInClassFolder: tx.skipNotInClassFolder, tooDeep: tx.skipTooDeep,
    tooLarge: tx.skipTooLarge, tooManyPixels: tx.skipTooManyPixels, broken: tx.skipBroken,
  };
  return texts[reason];
}

/** A limit the import ran into, in the interface language. */
export function importProblemText(tx: ImportTexts, problem: ImportProblem): string {
  switch (problem.code) {
    case 'archiveTooLarge': return tx.problemArchiveTooLarge(problem.bytes, problem.limit);
    case 'notAZip': return tx.problemNotAZip(problem.detail);
    case 'noImages': return tx.problemNoImages();
    case 'tooManyImages': return tx.problemTooManyImages(problem.count, problem.limit);
    case 'tooFewClasses': return tx.problemTooFewClasses(problem.count, problem.limit);
    case 'tooManyClasses': return tx.problemTooManyClasses(problem.count, problem.limit);
    case 'classTooSmall': return tx.problemClassTooSmall(problem.className, problem.count, problem.limit);
    case 'badSplit': return tx.problemBadSplit();
    case 'noTestImages': return tx.problemNoTestImages();
  }
}

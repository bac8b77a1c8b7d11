/**
 * What an import of the user's own images may hold, sized for a browser tab: the archive and the
 * decoded dataset stay in memory and in IndexedDB, so the caps keep both to tens of megabytes.
 */
export const IMPORT_LIMITS = {
  /** The zip file, or the total of a chosen folder's files. */
  maxArchiveBytes: 200 * 1024 * 1024,
  /** One image file. */
  maxImageBytes: 20 * 1024 * 1024,
  /** Width x height of one image before resizing (a 6000 x 4000 photo is 24 Mpx). */
  maxImagePixels: 25_000_000,
  /** Images across all classes (20,000 at 32x32x3 are 61 MB of pixels). */
  maxImages: 20_000,
  minClasses: 2,
  maxClasses: 100,
  /** A class needs at least this many readable images to have one in training. */
  minImagesPerClass: 2,
} as const;

/** Why an import as a whole cannot go on; the interface words each one (app/datasets/). */
export type ImportProblem =
  | { code: 'archiveTooLarge'; bytes: number; limit: number }
  | { code: 'notAZip'; detail: string }
  | { code: 'noImages' }
  | { code: 'tooManyImages'; count: number; limit: number }
  | { code: 'tooFewClasses'; count: number; limit: number }
  | { code: 'tooManyClasses'; count: number; limit: number }
  | { code: 'classTooSmall'; className: string; count: number; limit: number }
  | { code: 'badSplit'; validationPercent: number; testPercent: number }
  | { code: 'noTestImages' };

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

/** The English text of a problem (the error message; the page shows its own language's text). */
export function importProblemMessage(problem: ImportProblem): string {
  switch (problem.code) {
    case 'archiveTooLarge':
      return `The images take ${megabytes(problem.bytes)}; at most ${megabytes(problem.limit)} can be imported in the browser.`;
    case 'notAZip':
      return `The file is not a readable zip archive (${problem.detail}).`;
    case 'noImages':
      return 'No PNG or JPEG images were found in class folders (expected <class>/<image>.png|jpg|jpeg).';
    case 'tooManyImages':
      return `${problem.count} images found; at most ${problem.limit} can be imported.`;
    case 'tooFewClasses':
      return `${problem.count} class folder(s) with images found; at least ${problem.limit} are needed.`;
    case 'tooManyClasses':
      return `${problem.count} class folders found; at most ${problem.limit} are supported.`;
    case 'classTooSmall':
      return `The class '${problem.className}' has ${problem.count} readable image(s); each class needs at least ${problem.limit}.`;
    case 'badSplit':
      return `Validation ${problem.validationPercent} % and test ${problem.testPercent} % must each be whole numbers from 0 to 50, the test share at least 1 %.`;
    case 'noTestImages':
      return 'The split leaves no test image: raise the test share.';
  }
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(readonly problem: ImportProblem) {
    super(importProblemMessage(problem));
  }
}

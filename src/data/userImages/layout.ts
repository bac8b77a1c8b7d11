/**
 * From the paths of a zip or a chosen folder to classes: `root/<class>/<image>.png|jpg|jpeg`, where
 * the root is the archive itself or its single top folder. Everything else is counted (system files)
 * or listed with a reason, never an error: the import decides from what is left.
 */
import { IMPORT_LIMITS } from './limits';

export interface SourceFile {
  /** '/'-separated path inside the zip, or the folder-relative path (webkitRelativePath). */
  path: string;
  bytes: number;
}

export type SkipReason = 'unsupportedType' | 'notInClassFolder' | 'tooDeep' | 'tooLarge' | 'tooManyPixels' | 'broken';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** What went wrong, in English (a decoder's message); absent when the reason says it all. */
  detail?: string;
}

export interface PlannedImage {
  path: string;
  bytes: number;
  /** Index into `classNames`. */
  label: number;
}

export interface ImportLayout {
  /** Sorted, so labels do not depend on the order the archive lists its files in. */
  classNames: string[];
  images: PlannedImage[];
  skipped: SkippedFile[];
  /** Folders and system files passed over without a word: __MACOSX, dotfiles, Thumbs.db. */
  ignored: number;
}

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

function isSystemPath(segments: string[]): boolean {
  return segments.some((segment) => segment.startsWith('.') || segment === '__MACOSX') ||
    SYSTEM_FILES.has(segments[segments.length - 1].toLowerCase());
}

const collator = new Intl.Collator('en', { numeric: true });

export function planLayout(files: readonly SourceFile[]): ImportLayout {
  let ignored = 0;
  const kept: { file: SourceFile; segments: string[] }[] = [];
  for (const file of files) {
    const segments = file.path.split('/').filter((segment) => segment.length > 0);
    // Zip entries for folders end in '/'; a folder pick lists files only.
    if (segments.length === 0 || file.path.endsWith('/') || isSystemPath(segments)) ignored += 1;
    else kept.push({ file, segments });
  }
  // One folder holding everything (a zipped folder, or the folder the user picked) is the root,
  // when something sits in folders below it.
  const top = kept[0]?.segments[0];
  if (kept.every(({ segments }) => segments.length >= 2 && segments[0] === top) && kept.some(({ segments }) => segments.length >= 3)) {
    for (const entry of kept) entry.segments = entry.segments.slice(1);
  }
  const skipped: SkippedFile[] = [];
  const byClass = new Map<string, SourceFile[]>();
  for (const { file, segments } of kept) {
    const lower = segments[segments.length - 1].toLowerCase();
    if (!IMAGE_EXTENSIONS.some((extension) => lower.endsWith(extension))) skipped.push({ path: file.path, reason: 'unsupportedType' });
    else if (segments.length === 1) skipped.push({ path: file.path, reason: 'notInClassFolder' });
    else if (segments.length > 2) skipped.push({ path: file.path, reason: 'tooDeep' });
    else if (file.bytes > IMPORT_LIMITS.maxImageBytes) skipped.push({ path: file.path, reason: 'tooLarge', detail: `${file.bytes} bytes` });
    else byClass.set(segments[0], [...(byClass.get(segments[0]) ?? []), file]);
  }
  const classNames = [...byClass.keys()].sort(collator.compare);
  const images = classNames.flatMap((name, label) =>
    (byClass.get(name) ?? []).map((file) => ({ path: file.path, bytes: file.bytes, label }))
      .sort((a, b) => collator.compare(a.path, b.path)));
  return { classNames, images, skipped, ignored };
}

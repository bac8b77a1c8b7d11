/**
 * The format and size of an image from its first bytes, without decoding it: the import checks
 * the pixel limit and the real type (a GIF renamed .png) before handing the file to a decoder.
 */
export type ImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

export class ImageHeaderError extends Error {
  override readonly name = 'ImageHeaderError';
  constructor(readonly kind: 'unsupported' | 'broken', message: string) {
    super(message);
  }
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

function readPngHeader(bytes: Uint8Array): ImageHeader {
  // Signature, then the IHDR chunk: length (4), 'IHDR' (4), width (4), height (4).
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    throw new ImageHeaderError('broken', 'the PNG header is truncated or damaged');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

/** Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpegHeader(bytes: Uint8Array): ImageHeader {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new ImageHeaderError('broken', `the JPEG has no marker at byte ${offset}`);
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    const length = (bytes[offset + 2] << 8) | bytes[offset + 3];
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) break;
      const height = (bytes[offset + 5] << 8) | bytes[offset + 6];
      const width = (bytes[offset + 7] << 8) | bytes[offset + 8];
      return { format: 'jpeg', width, height };
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) break; // image end or data before any frame
    offset += 2 + length;
  }
  throw new ImageHeaderError('broken', 'the JPEG ends before its frame header');
}

export function readImageHeader(bytes: Uint8Array): ImageHeader {
  let header: ImageHeader;
  if (bytes.length >= 8 && PNG_SIGNATURE.every((value, i) => bytes[i] === value)) header = readPngHeader(bytes);
  else if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) header = readJpegHeader(bytes);
  else throw new ImageHeaderError('unsupported', 'the content is neither PNG nor JPEG');
  if (header.width === 0 || header.height === 0) throw new ImageHeaderError('broken', `the header says ${header.width} x ${header.height} pixels`);
  return header;
}

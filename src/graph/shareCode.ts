import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import type { ExperimentFile } from './schema';
import { parseExperiment, serializeExperiment } from './serialize';

/**
 * An experiment as text that fits in a link: the experiment file (no weights, no results),
 * deflated and base64url-encoded, behind a version prefix so a later format can still read old
 * links. Decoding goes through the same parser as files, so a link loads completely or not at all.
 */

const PREFIX = 'v1.';

/**
 * The longest code a link carries. Browsers accept far longer URLs, but chat apps, mail clients
 * and QR codes cut or refuse them well before; a file is the way to share anything bigger.
 */
export const MAX_SHARE_CODE_CHARS = 16_000;

export class ShareCodeError extends Error {
  override name = 'ShareCodeError';
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareCodeError('the link is damaged (it holds characters a shared experiment never has); ask for the link again or for the file.');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The experiment's share code, or a ShareCodeError saying why it cannot be a link. */
export function encodeShareCode(file: ExperimentFile): string {
  const code = PREFIX + toBase64Url(deflateSync(strToU8(serializeExperiment(file)), { level: 9 }));
  if (code.length > MAX_SHARE_CODE_CHARS) {
    throw new ShareCodeError(
      `"${file.name}" is ${(code.length / 1000).toFixed(1)} k characters as a link, more than the ${MAX_SHARE_CODE_CHARS / 1000} k ` +
      'a link can carry reliably. Use Save and share the experiment file instead.');
  }
  return code;
}

/** The experiment a share code holds; a ShareCodeError or ExperimentFileError says what is wrong with it. */
export function decodeShareCode(code: string): ExperimentFile {
  if (!code.startsWith(PREFIX)) {
    throw new ShareCodeError('the link was made by another version of the studio or is cut short; ask for the experiment file instead.');
  }
  if (code.length > MAX_SHARE_CODE_CHARS) throw new ShareCodeError(`the link is longer than any the studio makes (${code.length} characters).`);
  let text: string;
  try {
    text = strFromU8(inflateSync(fromBase64Url(code.slice(PREFIX.length))));
  } catch (error) {
    if (error instanceof ShareCodeError) throw error;
    throw new ShareCodeError('the link is cut short or damaged (its experiment does not decompress); copy the whole link again.');
  }
  return parseExperiment(text);
}

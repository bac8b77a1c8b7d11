/**
 * Test support for the image import: a plain PNG encoder (filter 0, so real pixels become real
 * files), real MNIST digits and CIFAR-10 images from the prepared assets, and a Node decoder (the
 * repo's PNG decoder, a centre crop and an area resample) standing in for the browser's
 * createImageBitmap, which Node does not have. Used by the unit tests and the e2e spec's zip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng } from '../png';
import { pngFile } from '../pngWriter.testkit';
import type { DecodeImage } from './importImages';

/** An 8-bit PNG of grey (1 channel), RGB (3) or RGBA (4) pixels, row-major and interleaved. */
export function encodePng(width: number, height: number, channels: 1 | 3 | 4, pixels: Uint8Array): Uint8Array {
  const colourType = { 1: 0, 3: 2, 4: 6 }[channels];
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return pngFile(width, height, colourType, raw);
}

/** The first `perClass` images of each wanted class in a prepared dataset's first training shard. */
export function preparedImages(datasetId: 'mnist' | 'cifar10', classes: readonly number[], perClass: number,
  dataRoot = join(process.cwd(), 'public', 'data')): { label: number; pixels: Uint8Array }[] {
  const images = readFileSync(join(dataRoot, datasetId, 'train-images-00.u8'));
  const labels = readFileSync(join(dataRoot, datasetId, 'train-labels.u8'));
  const imageBytes = datasetId === 'mnist' ? 28 * 28 : 32 * 32 * 3;
  const found: { label: number; pixels: Uint8Array }[] = [];
  for (const label of classes) {
    for (let i = 0, taken = 0; taken < perClass && i < labels.length; i++) {
      if (labels[i] !== label) continue;
      found.push({ label, pixels: new Uint8Array(images.subarray(i * imageBytes, (i + 1) * imageBytes)) });
      taken += 1;
    }
  }
  return found;
}

/** Decodes a PNG, crops its centre square and area-averages it to the shape (grey = ITU-R 601 luma). */
export const nodePngDecoder: DecodeImage = async (bytes, _header, [height, width, channels]) => {
  const png = decodePng(bytes);
  const side = Math.min(png.width, png.height);
  const left = Math.floor((png.width - side) / 2);
  const top = Math.floor((png.height - side) / 2);
  const out = new Uint8Array(height * width * channels);
  const rgbAt = (x: number, y: number): [number, number, number] => {
    const at = (y * png.width + x) * png.channels;
    return png.channels <= 2 ? [png.pixels[at], png.pixels[at], png.pixels[at]] : [png.pixels[at], png.pixels[at + 1], png.pixels[at + 2]];
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sum = [0, 0, 0];
      const [y0, y1] = [top + Math.floor((y * side) / height), top + Math.floor(((y + 1) * side) / height)];
      const [x0, x1] = [left + Math.floor((x * side) / width), left + Math.floor(((x + 1) * side) / width)];
      for (let sy = y0; sy < Math.max(y1, y0 + 1); sy++) {
        for (let sx = x0; sx < Math.max(x1, x0 + 1); sx++) rgbAt(sx, sy).forEach((v, c) => { sum[c] += v; });
      }
      const n = Math.max(y1 - y0, 1) * Math.max(x1 - x0, 1);
      const [r, g, b] = sum.map((s) => s / n);
      if (channels === 1) out[y * width + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else out.set([r, g, b].map(Math.round), (y * width + x) * 3);
    }
  }
  return out;
};

/**
 * The seeded, stratified train/validation/test split of imported images and the normalisation
 * measured on its training part.
 */
import { createRng } from '../rng';

export interface SplitShares {
  /** Whole percentages, 0..50 each; test at least 1. */
  validationPercent: number;
  testPercent: number;
  seed: number;
}

export const DEFAULT_SPLIT: SplitShares = { validationPercent: 10, testPercent: 10, seed: 1 };

export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Each class is shuffled with the seed and cut by the shares (rounded per class, at least one image
 * left for training), so every split holds the classes in proportion. Train is then shuffled as a
 * whole, so a training subset (a prefix, see loader.ts) mixes the classes too.
 */
export function stratifiedSplit(labels: ArrayLike<number>, classes: number, shares: SplitShares): SplitIndices {
  const rng = createRng(shares.seed);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const result: SplitIndices = { train: [], validation: [], test: [] };
  for (const members of byClass) {
    rng.shuffle(members);
    const n = members.length;
    let test = Math.round((n * shares.testPercent) / 100);
    let validation = Math.round((n * shares.validationPercent) / 100);
    while (n > 0 && n - test - validation < 1) {
      if (validation > 0) validation -= 1;
      else test -= 1;
    }
    result.test.push(...members.slice(0, test));
    result.validation.push(...members.slice(test, test + validation));
    result.train.push(...members.slice(test + validation));
  }
  rng.shuffle(result.train);
  rng.shuffle(result.validation);
  rng.shuffle(result.test);
  return result;
}

/**
 * Per-channel mean and standard deviation in [0, 1] units over the given images (H*W*C uint8 each,
 * channels interleaved). A channel without variation gets std 1/255, so normalising never divides by 0.
 */
export function channelStatistics(images: readonly Uint8Array[], channels: number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sumSquares = new Float64Array(channels);
  let pixels = 0;
  for (const image of images) {
    for (let i = 0; i < image.length; i += channels) {
      for (let c = 0; c < channels; c++) {
        const value = image[i + c] / 255;
        sum[c] += value;
        sumSquares[c] += value * value;
      }
    }
    pixels += image.length / channels;
  }
  if (pixels === 0) throw new RangeError('channelStatistics needs at least one image');
  const mean = Array.from(sum, (s) => s / pixels);
  const std = mean.map((m, c) => Math.max(Math.sqrt(Math.max(sumSquares[c] / pixels - m * m, 0)), 1 / 255));
  // Four decimals, as the built-in entries in registry.ts are written.
  const round = (value: number) => Math.round(value * 1e4) / 1e4;
  return { mean: mean.map(round), std: std.map(round) };
}

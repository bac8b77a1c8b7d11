/**
 * A small seeded generator (mulberry32) so shuffling, augmentation and the trainer's sampling
 * repeat exactly for a given seed, in the browser and in Node alike. Not for cryptography.
 */

export interface MutableIndexable<T> {
  length: number;
  [index: number]: T;
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<A extends MutableIndexable<unknown>>(array: A): A;
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`rng seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const nextInt = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`nextInt needs a positive whole number, got ${n}`);
    return Math.floor(next() * n);
  };

  const shuffle = <A extends MutableIndexable<unknown>>(array: A): A => {
    for (let i = array.length - 1; i > 0; i--) {
      const j = nextInt(i + 1);
      const held = array[i];
      array[i] = array[j];
      array[j] = held;
    }
    return array;
  };

  return { next, nextInt, shuffle };
}

import { describe, expect, it } from 'vitest';
import { createRng } from './rng';

describe('createRng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws integers in [0, n) roughly uniformly', () => {
    const rng = createRng(7);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.nextInt(6)]++;
    // Expected 10000 each; a 3% band is over 7 standard deviations wide.
    for (const count of counts) expect(Math.abs(count - 10000)).toBeLessThan(300);
    expect(() => rng.nextInt(0)).toThrow('nextInt needs a positive whole number, got 0');
  });

  it('shuffles in place into a permutation, deterministically', () => {
    const shuffled = createRng(1).shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(shuffled)).toEqual(Array.from(createRng(1).shuffle(Int32Array.from({ length: 100 }, (_, i) => i))));
    expect(Array.from(shuffled).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(shuffled)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const words = createRng(5).shuffle(['a', 'b', 'c', 'd']);
    expect([...words].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects a seed that is not a number', () => {
    expect(() => createRng(Number.NaN)).toThrow('rng seed must be a finite number');
  });
});

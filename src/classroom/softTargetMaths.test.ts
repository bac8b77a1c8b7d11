import { describe, expect, it } from 'vitest';
import { entropyBits, kdGradientScale, maxEntropyBits, softmaxWithTemperature, TEMPERATURE_STOPS, wrongClassMass } from './softTargetMaths';

describe('softmaxWithTemperature', () => {
  it('matches hand-computed values at T = 1 and T = 2', () => {
    // z = [ln 3, 0]: exp gives [3, 1], so [3/4, 1/4]; at T = 2, [sqrt 3, 1] / (sqrt 3 + 1).
    const z = [Math.log(3), 0];
    const [a, b] = softmaxWithTemperature(z, 1);
    expect(a).toBeCloseTo(0.75, 12);
    expect(b).toBeCloseTo(0.25, 12);
    expect(softmaxWithTemperature(z, 2)[0]).toBeCloseTo(Math.sqrt(3) / (Math.sqrt(3) + 1), 12);
  });

  it('stays finite for large logits and rejects a temperature that is not positive', () => {
    const p = softmaxWithTemperature([1000, 1000 - Math.log(4)], 1);
    expect(p[0]).toBeCloseTo(0.8, 12);
    expect(() => softmaxWithTemperature([1, 2], 0)).toThrow(/positive/);
  });
});

describe('entropy, dark knowledge and the T^2 scale', () => {
  it('entropy in bits: 1 for a fair coin, 0 for a certain outcome, log2 10 for ten equal classes', () => {
    expect(entropyBits([0.5, 0.5])).toBeCloseTo(1, 12);
    expect(entropyBits([1, 0, 0])).toBe(0);
    expect(entropyBits(new Array(10).fill(0.1))).toBeCloseTo(Math.log2(10), 12);
    // [1/2, 1/4, 1/4]: 1/2 * 1 + 2 * 1/4 * 2 = 1.5 bits.
    expect(entropyBits([0.5, 0.25, 0.25])).toBeCloseTo(1.5, 12);
    expect(maxEntropyBits(10)).toBeCloseTo(3.321928, 6);
  });

  it('wrong-class mass is everything off the true class', () => {
    expect(wrongClassMass([0.7, 0.2, 0.1], 0)).toBeCloseTo(0.3, 12);
    expect(wrongClassMass([0.7, 0.2, 0.1], 2)).toBeCloseTo(0.9, 12);
  });

  it('raising T spreads the same logits: entropy and wrong-class mass grow', () => {
    const logits = [9, 1, 3, 0, -2, 0, 1, 2, -1, 0];
    const at1 = softmaxWithTemperature(logits, 1);
    const at20 = softmaxWithTemperature(logits, 20);
    expect(entropyBits(at20)).toBeGreaterThan(entropyBits(at1));
    expect(wrongClassMass(at20, 0)).toBeGreaterThan(wrongClassMass(at1, 0));
  });

  it('T^2 is 1, 16 and 400 at T = 1, 4 and 20; the slider reaches 1, 4, 20 and 30, ascending', () => {
    expect([1, 4, 20].map(kdGradientScale)).toEqual([1, 16, 400]);
    for (const t of [1, 4, 20, 30]) expect(TEMPERATURE_STOPS).toContain(t);
    expect([...TEMPERATURE_STOPS].sort((a, b) => a - b)).toEqual(TEMPERATURE_STOPS);
  });
});

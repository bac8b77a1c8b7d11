import { describe, expect, it } from 'vitest';
import { colorAt, formatCompact, matrixRange } from './colormap';

describe('colorAt', () => {
  it('maps the ends of the ramp to its first and last colour and clamps outside [0, 1]', () => {
    expect(colorAt(0)).toEqual([68, 1, 84]);
    expect(colorAt(1)).toEqual([253, 231, 37]);
    expect(colorAt(-3)).toEqual([68, 1, 84]);
    // Halfway is the middle stop exactly (5 stops: index 2).
    expect(colorAt(0.5)).toEqual([33, 145, 140]);
  });
});

describe('matrixRange', () => {
  it('spans several matrices and skips non-finite cells', () => {
    expect(matrixRange([[1, 5]], [[-2, Number.NaN], [Infinity, 3]])).toEqual({ min: -2, max: 5 });
    expect(matrixRange([])).toEqual({ min: 0, max: 0 });
  });
});

describe('formatCompact', () => {
  it('uses 3 significant digits, exponents for tiny or huge values, a dash for NaN', () => {
    expect(formatCompact(0)).toBe('0');
    expect(formatCompact(2.5)).toBe('2.5');
    expect(formatCompact(0.12345)).toBe('0.123');
    expect(formatCompact(0.00123)).toBe('1.2e-3');
    expect(formatCompact(123456)).toBe('1.2e+5');
    expect(formatCompact(100)).toBe('100');
    expect(formatCompact(Number.NaN)).toBe('—');
  });
});

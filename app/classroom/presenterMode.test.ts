import { describe, expect, it } from 'vitest';
import { initialPresenterMode } from './presenterMode';

describe('initialPresenterMode', () => {
  it('follows ?present= first, then the stored choice, and is off by default', () => {
    expect(initialPresenterMode('?present=1', '0')).toBe(true);
    expect(initialPresenterMode('?backend=wasm&present=0', '1')).toBe(false);
    expect(initialPresenterMode('?backend=wasm', '1')).toBe(true);
    expect(initialPresenterMode('', '0')).toBe(false);
    expect(initialPresenterMode('', null)).toBe(false);
  });
});

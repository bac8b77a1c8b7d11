import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../store/memoryStorage';
import { initialBackendPreference, PREFERENCE_STORAGE_KEY, storeBackendPreference } from './backendPreference';

describe('initialBackendPreference', () => {
  it('is Auto until the user chooses, then the remembered choice', () => {
    const storage = new MemoryStorage();
    expect(initialBackendPreference('', storage)).toBe('auto');
    storeBackendPreference(storage, 'wasm');
    expect(initialBackendPreference('', storage)).toBe('wasm');
  });

  it('lets ?backend= override the remembered choice without changing it', () => {
    const storage = new MemoryStorage();
    storeBackendPreference(storage, 'wasm');
    expect(initialBackendPreference('?backend=webgl', storage)).toBe('webgl');
    expect(storage.getItem(PREFERENCE_STORAGE_KEY)).toBe('wasm');
  });

  it('ignores unknown values in the URL and in storage', () => {
    const storage = new MemoryStorage();
    storage.setItem(PREFERENCE_STORAGE_KEY, 'tpu');
    expect(initialBackendPreference('?backend=quantum', storage)).toBe('auto');
    expect(initialBackendPreference(null, null)).toBe('auto');
  });
});

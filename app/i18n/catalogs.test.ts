import { describe, expect, it } from 'vitest';
import type { Catalog, TextRecord } from './texts';

/**
 * Every catalog in `catalogs/`, found by file, so a new one is checked without being listed here.
 * The typecheck already makes the Chinese keys match the English ones; this checks the values:
 * a Chinese text that is empty or still English is a translation that was never made.
 */
const modules = import.meta.glob<Record<string, Catalog<TextRecord>>>('./catalogs/*.ts', { eager: true });

/** Texts that are the same in both languages by nature: symbols, units, names of methods and formats. */
const SAME_IN_BOTH = /^[\s\d.,:：;%×x+\-–—=()[\]/<>{}·…↶↷▾▴✕×#'"“”`*_|→←↑↓≤≥±²³ΤταβγλTpkKNBCHWe]*$|ONNX|Atlas|WebGPU|WebGL|WebAssembly|CSV|PNG|JSON|KaTeX|MNIST|ATC/;
const CJK = /[\u4e00-\u9fff]/;

function sampleText(entry: TextRecord[string]): string {
  // Functions are called with placeholder arguments; their fixed words are what is checked.
  return typeof entry === 'string' ? entry : entry(...Array.from({ length: entry.length }, () => '1'));
}

const catalogs = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports).map(([name, catalog]) => ({ where: `${file} ${name}`, catalog })));

describe('interface catalogs', () => {
  it('are found', () => {
    expect(catalogs.length).toBeGreaterThan(0);
  });

  it.each(catalogs)('$where: English and Chinese have the same keys and the same argument counts', ({ catalog }) => {
    expect(Object.keys(catalog.zh).sort()).toEqual(Object.keys(catalog.en).sort());
    for (const [key, en] of Object.entries(catalog.en)) {
      const zh = catalog.zh[key];
      expect(typeof zh, key).toBe(typeof en);
      if (typeof en === 'function' && typeof zh === 'function') expect(zh.length, key).toBe(en.length);
    }
  });

  it.each(catalogs)('$where: every Chinese text is written in Chinese', ({ catalog }) => {
    const untranslated = Object.entries(catalog.zh)
      .map(([key, entry]) => ({ key, text: sampleText(entry) }))
      .filter(({ text }) => text.trim() === '' || (!CJK.test(text) && !SAME_IN_BOTH.test(text)))
      .map(({ key, text }) => `${key}: ${text}`);
    expect(untranslated).toEqual([]);
  });
});

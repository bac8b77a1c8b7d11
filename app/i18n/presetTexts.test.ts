import { describe, expect, it } from 'vitest';
import { presetIndex } from '../../src/graph/presetExperiments';
import { localizedPreset, presetTextsZh } from './presetTexts';

const chinese = /[\u4e00-\u9fff]/;

describe('preset names in Chinese', () => {
  it('every preset of the index has a Chinese name and description, and no stale entries', () => {
    for (const entry of presetIndex) {
      const zh = presetTextsZh[entry.file];
      expect(zh?.name, entry.file).toMatch(chinese);
      expect(zh?.description, entry.file).toMatch(chinese);
    }
    expect(Object.keys(presetTextsZh).sort()).toEqual(presetIndex.map((entry) => entry.file).sort());
  });

  it('the list shows Chinese in zh and the index itself in en', () => {
    const entry = presetIndex[0];
    expect(localizedPreset(entry, 'en')).toEqual(entry);
    expect(localizedPreset(entry, 'zh')).toEqual({ file: entry.file, ...presetTextsZh[entry.file] });
  });
});

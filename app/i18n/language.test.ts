import { describe, expect, it } from 'vitest';
import { initialLanguage } from './language';

describe('initialLanguage', () => {
  it('takes ?lang= first, then the stored choice, then the browser, then English', () => {
    expect(initialLanguage('?lang=zh', 'en', ['en-US'])).toBe('zh');
    expect(initialLanguage('?lang=en', 'zh', ['zh-CN'])).toBe('en');
    expect(initialLanguage('', 'zh', ['en-US'])).toBe('zh');
    expect(initialLanguage('', null, ['zh-TW', 'en'])).toBe('zh');
    expect(initialLanguage('', null, ['de-DE'])).toBe('en');
    expect(initialLanguage('', null, [])).toBe('en');
  });

  it('ignores values it does not know', () => {
    expect(initialLanguage('?lang=fr', 'klingon', ['en-GB'])).toBe('en');
    expect(initialLanguage('?lang=', null, ['zh-Hans-CN'])).toBe('zh');
  });
});

import { describe, expect, it } from 'vitest';
import { parseProgress, withStep } from './progress';

const counts = { 'soft-targets': 4, pipeline: 4 };

describe('lesson progress', () => {
  it('reads back what was stored', () => {
    const record = withStep(withStep({}, 'soft-targets', 2), 'pipeline', 3, true);
    expect(parseProgress(JSON.stringify(record), counts)).toEqual({ 'soft-targets': { step: 2, done: false }, pipeline: { step: 3, done: true } });
  });

  it('stays done when the lesson is followed again', () => {
    expect(withStep({ pipeline: { step: 3, done: true } }, 'pipeline', 0)).toEqual({ pipeline: { step: 0, done: true } });
  });

  it('drops what it cannot read, entry by entry', () => {
    expect(parseProgress(null, counts)).toEqual({});
    expect(parseProgress('{not json', counts)).toEqual({});
    expect(parseProgress('[1,2]', counts)).toEqual({});
    const text = JSON.stringify({ 'soft-targets': { step: 'two', done: false }, gone: { step: 1, done: false }, pipeline: { step: 9, done: false } });
    expect(parseProgress(text, counts)).toEqual({ pipeline: { step: 3, done: false } });
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_TOASTS, withToast, type Toast } from './toasts';

function push(toasts: Toast[], kind: Toast['kind'], message: string, id: number): Toast[] {
  return withToast(toasts, kind, message, id).toasts;
}

describe('withToast', () => {
  it('merges a repeated message into one toast with a count and a new revision', () => {
    let toasts = push([], 'error', 'Connection refused: x', 1);
    toasts = push(toasts, 'info', 'Saved.', 2);
    const repeat = withToast(toasts, 'error', 'Connection refused: x', 3);
    expect(repeat.id).toBe(1);
    toasts = push(repeat.toasts, 'error', 'Connection refused: x', 4);
    expect(toasts.map((t) => [t.id, t.message, t.count, t.revision])).toEqual([
      [1, 'Connection refused: x', 3, 2],
      [2, 'Saved.', 1, 0],
    ]);
  });

  it('keeps the same text of another kind apart', () => {
    const toasts = push(push([], 'error', 'Done', 1), 'success', 'Done', 2);
    expect(toasts.map((t) => t.count)).toEqual([1, 1]);
  });

  it('drops the oldest timed toast before any error when full', () => {
    let toasts: Toast[] = [];
    toasts = push(toasts, 'error', 'first error', 1);
    toasts = push(toasts, 'info', 'first info', 2);
    for (let i = 3; i <= MAX_TOASTS + 1; i += 1) toasts = push(toasts, 'error', `error ${i}`, i);
    expect(toasts).toHaveLength(MAX_TOASTS);
    expect(toasts.map((t) => t.message)).not.toContain('first info');
    expect(toasts[0].message).toBe('first error');
  });
});

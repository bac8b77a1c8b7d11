/** Messages for the user, pure so the merging rules are tested apart from the store. */

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /** How many times this very message was pushed while it was on screen. */
  count: number;
  /** Bumped by each repeat, so a timed toast restarts its timer. */
  revision: number;
}

export const MAX_TOASTS = 5;

/**
 * Adds a message: a repeat of one on screen (same kind and text) merges into it with a count;
 * past MAX_TOASTS the oldest info or success goes first, since errors stay until closed.
 */
export function withToast(toasts: readonly Toast[], kind: ToastKind, message: string, newId: number): { toasts: Toast[]; id: number } {
  const repeat = toasts.find((toast) => toast.kind === kind && toast.message === message);
  if (repeat !== undefined) {
    const merged = { ...repeat, count: repeat.count + 1, revision: repeat.revision + 1 };
    return { toasts: toasts.map((toast) => (toast.id === repeat.id ? merged : toast)), id: repeat.id };
  }
  const next = [...toasts, { id: newId, kind, message, count: 1, revision: 0 }];
  while (next.length > MAX_TOASTS) {
    const oldestTimed = next.findIndex((toast) => toast.kind !== 'error');
    next.splice(oldestTimed === -1 ? 0 : oldestTimed, 1);
  }
  return { toasts: next, id: newId };
}

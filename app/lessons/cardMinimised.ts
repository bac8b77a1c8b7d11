import { useSyncExternalStore } from 'react';

/**
 * Whether the lesson card is minimised to its title bar (so it leaves the graph free, e.g. on a
 * 1280x720 projector), remembered in localStorage across steps, lessons and reloads.
 */

export const LESSON_CARD_MINIMISED_KEY = 'distillation-studio:lesson-card-minimised';

const listeners = new Set<() => void>();
let minimised: boolean | null = null;

function current(): boolean {
  if (minimised === null) {
    try {
      minimised = window.localStorage.getItem(LESSON_CARD_MINIMISED_KEY) === '1';
    } catch {
      minimised = false; // storage blocked: the card starts open
    }
  }
  return minimised;
}

export function setLessonCardMinimised(on: boolean): void {
  minimised = on;
  try {
    window.localStorage.setItem(LESSON_CARD_MINIMISED_KEY, on ? '1' : '0');
  } catch {
    // not remembered, but applied
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLessonCardMinimised(): boolean {
  return useSyncExternalStore(subscribe, current);
}

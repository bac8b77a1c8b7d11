import { useSyncExternalStore } from 'react';
import { lessons } from '../../src/lessons/lessons';
import { parseProgress, withStep, type ProgressRecord } from '../../src/lessons/progress';

/**
 * Which lesson is being followed and at which step, and every lesson's progress, remembered in
 * localStorage so a student can close the page and come back to the same step.
 */

export const LESSON_PROGRESS_KEY = 'distillation-studio:lessons';

export interface LessonState {
  /** The lesson on screen, or null when the card is closed. */
  active: { lessonId: string; step: number } | null;
  progress: ProgressRecord;
}

const stepCounts = Object.fromEntries(lessons.map((lesson) => [lesson.id, lesson.steps.length]));
const listeners = new Set<() => void>();
let state: LessonState | null = null;

function readStored(): string | null {
  try {
    return window.localStorage.getItem(LESSON_PROGRESS_KEY);
  } catch {
    return null; // storage blocked: progress lasts for this visit only
  }
}

function current(): LessonState {
  state ??= { active: null, progress: parseProgress(readStored(), stepCounts) };
  return state;
}

function update(next: LessonState): void {
  state = next;
  try {
    window.localStorage.setItem(LESSON_PROGRESS_KEY, JSON.stringify(next.progress));
  } catch {
    // not remembered, but the lesson goes on
  }
  listeners.forEach((listener) => listener());
}

/** Shows the lesson at `step` and remembers it as the step reached. */
export function showLessonStep(lessonId: string, step: number): void {
  update({ active: { lessonId, step }, progress: withStep(current().progress, lessonId, step) });
}

/** The last step was completed: the lesson is marked done and the card closes. */
export function finishLesson(lessonId: string): void {
  const steps = stepCounts[lessonId] ?? 1;
  update({ active: null, progress: withStep(current().progress, lessonId, steps - 1, true) });
}

export function closeLesson(): void {
  update({ ...current(), active: null });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLessonState(): LessonState {
  return useSyncExternalStore(subscribe, current);
}

/**
 * Where each lesson was left: the step shown and whether it was followed to its end. Stored as
 * JSON by app/lessons; anything unreadable in storage is dropped entry by entry, never thrown.
 */

export interface LessonProgress {
  step: number;
  done: boolean;
}

export type ProgressRecord = Record<string, LessonProgress>;

export function parseProgress(text: string | null, stepCounts: Readonly<Record<string, number>>): ProgressRecord {
  if (text === null) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const record: ProgressRecord = {};
  for (const [lessonId, entry] of Object.entries(raw as Record<string, unknown>)) {
    const steps = stepCounts[lessonId];
    if (steps === undefined || typeof entry !== 'object' || entry === null) continue;
    const { step, done } = entry as Record<string, unknown>;
    if (typeof step !== 'number' || !Number.isInteger(step) || typeof done !== 'boolean') continue;
    // A lesson that lost steps since it was stored resumes at its last one.
    record[lessonId] = { step: Math.min(Math.max(step, 0), steps - 1), done };
  }
  return record;
}

/** The step reached; `done` once the last step was completed, and it stays done when the lesson is reopened. */
export function withStep(record: ProgressRecord, lessonId: string, step: number, finished = false): ProgressRecord {
  const done = finished || (record[lessonId]?.done ?? false);
  return { ...record, [lessonId]: { step, done } };
}

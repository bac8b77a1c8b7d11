import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Goal } from '../../src/lessons/types';
import type { LessonObservation } from '../../src/lessons/observation';
import { useStudio } from '../store';

/** How often an element a goal waits for (e.g. the temperature explorer) is looked for on the page. */
const SHOWN_POLL_MS = 400;

function isShown(testId: string): boolean {
  const element = document.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
  return element !== null && element.getClientRects().length > 0;
}

/** Whether the element a 'shown' goal asks for is on screen; other goals need no looking. */
function useShownTestIds(goal: Goal | null): ReadonlySet<string> {
  const testId = goal?.kind === 'shown' ? goal.testId : null;
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (testId === null) return;
    const look = () => setShown((previous) => {
      const now = isShown(testId);
      return now === previous.has(testId) ? previous : new Set(now ? [testId] : []);
    });
    look();
    const timer = window.setInterval(look, SHOWN_POLL_MS);
    return () => window.clearInterval(timer);
  }, [testId]);
  return shown;
}

/** The plain values the lesson's goals and effects are computed from. */
export function useLessonObservation(goal: Goal | null, teacherLogits: LessonObservation['teacherLogits']): LessonObservation {
  const { experiment, selectedNodeIds, runStatus, results } = useStudio(useShallow((s) => ({
    experiment: s.experiment,
    selectedNodeIds: s.selectedNodeIds,
    runStatus: s.run.status,
    results: s.run.results,
  })));
  const shownTestIds = useShownTestIds(goal);
  return { experiment, selectedNodeIds, runStatus, results, shownTestIds, teacherLogits };
}

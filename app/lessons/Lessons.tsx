import { useCallback, useState } from 'react';
import type { Lesson } from '../../src/lessons/types';
import { lessonById, lessons } from '../../src/lessons/lessons';
import { isLessonExperimentOpen } from '../../src/lessons/observation';
import { errorMessage } from '../../src/errorMessage';
import { useTexts } from '../i18n/texts';
import { lessonTexts } from '../i18n/catalogs/lessons';
import { useStudio } from '../store';
import { showLessonStep, useLessonState } from './lessonState';
import { openLessonExperiment } from './openLesson';
import { LessonCard, type OpenState } from './LessonCard';
import { LessonList } from './LessonList';

/** The run bar's Lessons button, the list it opens and the card of the lesson being followed. */
export function Lessons() {
  const tx = useTexts(lessonTexts);
  const { active } = useLessonState();
  const [listOpen, setListOpen] = useState(false);
  const [openState, setOpenState] = useState<OpenState>({ status: 'idle' });
  const activeLesson = active === null ? undefined : lessonById(active.lessonId);

  const openExperimentOf = useCallback((lesson: Lesson) => {
    setOpenState({ status: 'opening' });
    openLessonExperiment(lesson)
      .then(() => setOpenState({ status: 'idle' }))
      .catch((error: unknown) => setOpenState({ status: 'failed', message: errorMessage(error) }));
  }, []);

  /** From the start, the lesson's experiment opens fresh; resuming keeps it if it is still on screen (with the changes made). */
  const start = useCallback((lesson: Lesson, step: number) => {
    setListOpen(false);
    showLessonStep(lesson.id, step);
    const onScreen = isLessonExperimentOpen(useStudio.getState().experiment, lesson.setup.name);
    if (step === 0 || !onScreen) openExperimentOf(lesson);
  }, [openExperimentOf]);

  return (
    <>
      <button type="button" data-testid="open-lessons" aria-expanded={listOpen} onClick={() => setListOpen(true)}>{tx.lessons}</button>
      {listOpen && <LessonList lessons={lessons} onStart={start} onClose={() => setListOpen(false)} />}
      {activeLesson !== undefined && active !== null && (
        <LessonCard key={activeLesson.id} lesson={activeLesson} stepIndex={active.step} openState={openState}
          onReopen={() => openExperimentOf(activeLesson)} />
      )}
    </>
  );
}

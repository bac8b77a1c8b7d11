import { useEffect } from 'react';
import type { Lesson } from '../../src/lessons/types';
import { useLanguage } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { lessonTexts } from '../i18n/catalogs/lessons';
import { useLessonState } from './lessonState';

interface LessonListProps {
  lessons: readonly Lesson[];
  onStart: (lesson: Lesson, step: number) => void;
  onClose: () => void;
}

/** Every lesson with where it was left: start, resume at the step reached, or follow again once done. */
export function LessonList({ lessons, onStart, onClose }: LessonListProps) {
  const language = useLanguage();
  const tx = useTexts(lessonTexts);
  const { progress } = useLessonState();
  useEffect(() => {
    const closeOnEscape = (event: KeyboardEvent) => { if (event.key === 'Escape') onClose(); };
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [onClose]);

  return (
    <div className="lesson-list-backdrop" onClick={onClose}>
      <div className="lesson-list" role="dialog" aria-modal="true" aria-labelledby="lesson-list-title" data-testid="lesson-list"
        onClick={(event) => event.stopPropagation()}>
        <header className="lesson-list__header">
          <h2 id="lesson-list-title">{tx.lessonsTitle}</h2>
          <button type="button" data-testid="lesson-list-close" onClick={onClose}>{tx.close}</button>
        </header>
        <p className="muted">{tx.lessonsIntro}</p>
        <ol className="lesson-list__items">
          {lessons.map((lesson, index) => {
            const reached = progress[lesson.id];
            const resumable = reached !== undefined && !reached.done && reached.step > 0;
            return (
              <li key={lesson.id} className="lesson-list__item" data-testid={`lesson-item-${lesson.id}`} data-done={reached?.done ?? false}>
                <div>
                  <span className="muted">{tx.lessonOf(index + 1, lessons.length)}</span>
                  <h3>{lesson.title[language]} {reached?.done && <span className="lesson-list__done">✓ {tx.completed}</span>}</h3>
                  <p>{lesson.summary[language]}</p>
                </div>
                <div className="lesson-list__actions">
                  {resumable && (
                    <button type="button" data-testid={`lesson-resume-${lesson.id}`} onClick={() => onStart(lesson, reached.step)}>
                      {tx.resume(reached.step + 1)}
                    </button>
                  )}
                  <button type="button" className={resumable ? '' : 'primary'} data-testid={`lesson-start-${lesson.id}`} onClick={() => onStart(lesson, 0)}>
                    {reached?.done ? tx.again : tx.start}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}

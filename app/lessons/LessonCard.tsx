import { useCallback, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import type { Lesson } from '../../src/lessons/types';
import { goalMet } from '../../src/lessons/goals';
import { describeEffect } from '../../src/lessons/measures';
import { isLessonExperimentOpen } from '../../src/lessons/observation';
import { useLanguage } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { lessonTexts } from '../i18n/catalogs/lessons';
import { usePresenterMode } from '../classroom/presenterMode';
import { useStudio } from '../store';
import { closeLesson, finishLesson, showLessonStep } from './lessonState';
import { useLessonObservation } from './useLessonObservation';
import { HighlightRing, useAnchorBox } from './HighlightRing';
import { LessonControl } from './LessonControl';
import { useNodeInView } from './useNodeInView';
import { useAnchorInView } from './useAnchorInView';
import { TeacherLogitsLoader } from './TeacherLogitsLoader';
import { setLessonCardMinimised, useLessonCardMinimised } from './cardMinimised';
import './lessons.css';

export type OpenState = { status: 'idle' } | { status: 'opening' } | { status: 'failed'; message: string };

function Formula({ source }: { source: string }) {
  const html = useMemo(() => katex.renderToString(source, { displayMode: true, throwOnError: false }), [source]);
  return <div className="lesson-card__formula" data-testid="lesson-formula" dangerouslySetInnerHTML={{ __html: html }} />;
}

interface LessonCardProps {
  lesson: Lesson;
  stepIndex: number;
  openState: OpenState;
  onReopen: () => void;
}

/** The lesson on screen: one step's explanation, formula, ask and effect, docked away from what it points at. */
export function LessonCard({ lesson, stepIndex, openState, onReopen }: LessonCardProps) {
  const language = useLanguage();
  const tx = useTexts(lessonTexts);
  const presenting = usePresenterMode();
  const minimised = useLessonCardMinimised();
  const step = lesson.steps[stepIndex];
  const pendingReplace = useStudio((s) => s.pendingReplace !== null);
  const [teacherLogits, setTeacherLogits] = useState<number[][] | null>(null);
  const observation = useLessonObservation(step.goal, teacherLogits);
  const open = isLessonExperimentOpen(observation.experiment, lesson.setup.name);
  const { box, testId } = useAnchorBox(step.anchors, open && !pendingReplace);
  useNodeInView(step.anchors, open && !pendingReplace);
  useAnchorInView(step.anchors, open && !pendingReplace);
  const onLogits = useCallback((logits: number[][]) => setTeacherLogits(logits), []);

  // The replace dialog comes first: it decides whether the lesson's experiment opens at all.
  if (pendingReplace) return null;

  const achieved = step.goal === null || (open && goalMet(step.goal, observation));
  const effect = step.effect === null || !open ? null : describeEffect(step.effect, observation, language);
  const needsLogits = step.effect?.measure === 'teacherEntropy' && teacherLogits === null;
  const last = stepIndex === lesson.steps.length - 1;
  // Dock on the side away from the ringed element, so the card never hides what it talks about.
  const dockLeft = box !== null && box.left + box.width / 2 > window.innerWidth / 2;

  return (
    <>
      <HighlightRing box={box} testId={testId} />
      {createPortal(
        <section className={`lesson-card${dockLeft ? ' lesson-card--left' : ''}${presenting ? ' lesson-card--presenter' : ''}${minimised ? ' lesson-card--minimised' : ''}`}
          data-testid="lesson-card" data-lesson-id={lesson.id} data-step={stepIndex} data-minimised={minimised} aria-label={lesson.title[language]}>
          <header className="lesson-card__header">
            <span className="lesson-card__lesson">{lesson.title[language]}</span>
            {minimised && <span className="lesson-card__progress" data-testid="lesson-step-count">{tx.stepOf(stepIndex + 1, lesson.steps.length)}</span>}
            <span className="lesson-card__header-buttons">
              <button type="button" className="lesson-card__close" data-testid="lesson-minimise" aria-expanded={!minimised}
                title={minimised ? tx.restore : tx.minimise} aria-label={minimised ? tx.restore : tx.minimise}
                onClick={() => setLessonCardMinimised(!minimised)}>{minimised ? '▴' : '▾'}</button>
              <button type="button" className="lesson-card__close" data-testid="lesson-close" title={tx.closeLesson} aria-label={tx.closeLesson}
                onClick={closeLesson}>✕</button>
            </span>
          </header>
          {!minimised && <>
            <p className="lesson-card__progress" data-testid="lesson-step-count">{tx.stepOf(stepIndex + 1, lesson.steps.length)}</p>
            <h3 className="lesson-card__title" data-testid="lesson-step-title">{step.title[language]}</h3>
            {!open && (
              <div className="lesson-card__notice" role="status" data-testid="lesson-not-open">
                {openState.status === 'opening' && tx.opening}
                {openState.status === 'failed' && tx.openFailed(openState.message)}
                {openState.status !== 'opening' && (
                  <> {openState.status === 'idle' && tx.notOpen}{' '}
                    <button type="button" data-testid="lesson-open-experiment" onClick={onReopen}>
                      {openState.status === 'failed' ? tx.tryAgain : tx.openAgain}
                    </button>
                  </>
                )}
              </div>
            )}
            <p className="lesson-card__text" data-testid="lesson-text">{step.text[language]}</p>
            <Formula source={step.formula} />
            {step.ask !== null && (
              <div className={`lesson-card__ask${achieved ? ' lesson-card__ask--done' : ''}`} data-testid="lesson-ask" data-done={achieved}>
                <b>{tx.yourTurn}</b> {step.ask[language]}
                {step.control !== undefined && open && <LessonControl control={step.control} />}
                <span className="lesson-card__ask-status" data-testid="lesson-ask-status">{achieved ? tx.askDone : tx.askWaiting}</span>
              </div>
            )}
            {step.effect !== null && (
              <div className="lesson-card__effect" data-testid="lesson-effect">
                <b>{tx.effect}</b>{' '}
                {needsLogits && open ? <TeacherLogitsLoader onReady={onLogits} /> : effect === null ? <span className="muted">{tx.effectPending}</span> : <span data-testid="lesson-effect-text">{effect}</span>}
              </div>
            )}
            <footer className="lesson-card__buttons">
              <button type="button" data-testid="lesson-back" disabled={stepIndex === 0} onClick={() => showLessonStep(lesson.id, stepIndex - 1)}>{tx.back}</button>
              <button type="button" className="primary" data-testid="lesson-next" disabled={!achieved || !open}
                onClick={() => (last ? finishLesson(lesson.id) : showLessonStep(lesson.id, stepIndex + 1))}>
                {last ? tx.finish : tx.next}
              </button>
            </footer>
          </>}
        </section>,
        document.body,
      )}
    </>
  );
}

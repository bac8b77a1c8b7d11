import type { Lesson } from '../../src/lessons/types';
import { lessonExperiment } from '../../src/lessons/experiments';
import { fetchPreset } from '../editor/experimentFiles';
import { currentLanguage } from '../i18n/language';
import { textsNow } from '../i18n/texts';
import { lessonTexts } from '../i18n/catalogs/lessons';
import { useStudio } from '../store';

/**
 * Opens the lesson's experiment through the store's replace guard: at once over a saved or empty
 * graph, otherwise only after the user answers the replace dialog (the graph stays one Undo away).
 */
export async function openLessonExperiment(lesson: Lesson): Promise<void> {
  const language = currentLanguage();
  const preset = await fetchPreset(lesson.setup.preset);
  const experiment = lessonExperiment(preset, lesson.setup, language, lesson.summary[language]);
  useStudio.getState().openExperiment(experiment, textsNow(lessonTexts).fromLesson(lesson.title[language]));
}

import type { Lesson } from './types';
import { temperatureLesson } from './content/temperature';
import { pipelineLesson } from './content/pipeline';
import { attentionLesson, fitnetLesson, fspLesson } from './content/features';
import { mutualLesson, relationsLesson } from './content/relations';
import { compressionLesson } from './content/compression';

/** The guided lessons in teaching order: from soft targets to compression. */
export const lessons: readonly Lesson[] = [
  temperatureLesson,
  pipelineLesson,
  fitnetLesson,
  attentionLesson,
  fspLesson,
  relationsLesson,
  mutualLesson,
  compressionLesson,
];

export function lessonById(id: string): Lesson | undefined {
  return lessons.find((lesson) => lesson.id === id);
}

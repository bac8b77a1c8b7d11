/**
 * A guided lesson as data: the experiment it opens, then steps that each point at a part of the
 * screen, explain it with a formula, ask for one change and describe its effect from real numbers.
 * Everything here is plain values, so lessons are checked in Node (lessons.test.ts) and the UI in
 * app/lessons only renders them.
 */

/** Every text a student reads exists in English and Simplified Chinese. */
export interface Bilingual {
  en: string;
  zh: string;
}

/** Effect texts are written around measured numbers, in both languages. */
export interface BilingualSay<V> {
  en: (values: V) => string;
  zh: (values: V) => string;
}

/** What a step asks the student to achieve, checked against a LessonObservation (goals.ts). */
export type Goal =
  /** This node is selected on the canvas (its settings are in the inspector). */
  | { kind: 'nodeSelected'; nodeId: string }
  /** A loss block's parameter (e.g. KD's T) is within bounds. */
  | { kind: 'lossParam'; nodeId: string; key: string; atLeast?: number; atMost?: number }
  /** Teacher parameters / student parameters, from the architectures on screen, reach `ratio`. */
  | { kind: 'compressionAtLeast'; teacherId: string; studentId: string; ratio: number }
  /** A run of this lesson's experiment finished with a distillation report for `studentId`. */
  | { kind: 'runFinished'; studentId: string }
  /** An element with this data-testid is on screen (e.g. the temperature explorer is open). */
  | { kind: 'shown'; testId: string };

/** The numbers an effect is described with; each measure is computed by measures.ts. */
export interface MeasureValues {
  /** The shipped teacher's mean soft-target entropy over real test images, at T = 1 and at the KD block's T. */
  teacherEntropy: { images: number; temperature: number; entropyAtOne: number; entropyNow: number; maxEntropy: number };
  /** The KD block's T and the factor T² its loss is multiplied by. */
  temperatureScale: { temperature: number; scale: number };
  /** Parameters of two models on screen and their ratio. */
  compression: { teacherParams: number; studentParams: number; ratio: number };
  /** A finished run's report for one student, accuracies in percent and differences in points. */
  distillation: {
    compression: number; teacherAccuracy: number; studentAccuracy: number; baselineAccuracy: number; drop: number; gain: number;
  };
}

export type MeasureKind = keyof MeasureValues;

export interface MeasureArgs {
  teacherEntropy: { lossNodeId: string };
  temperatureScale: { lossNodeId: string };
  compression: { teacherId: string; studentId: string };
  distillation: { studentId: string };
}

export type Effect = { [K in MeasureKind]: { measure: K; args: MeasureArgs[K]; say: BilingualSay<MeasureValues[K]> } }[MeasureKind];

/** A field on the lesson card that edits the graph directly (the inspector is hidden in presenter view). */
export type StepControl =
  | { kind: 'lossParam'; nodeId: string; key: string; label: Bilingual; min: number; max: number }
  /** Sets every hidden dense layer of a model to one width (the output layer keeps its classes). */
  | { kind: 'hiddenUnits'; modelId: string; label: Bilingual; min: number; max: number };

export interface LessonStep {
  title: Bilingual;
  text: Bilingual;
  /** KaTeX source, rendered with throwOnError in the tests. */
  formula: string;
  /** data-testids of the part of the screen to ring, the first one visible wins (the inspector is hidden in presenter view). */
  anchors: string[];
  /** The one change asked for; null on a step that only explains. */
  ask: Bilingual | null;
  /** When the ask is done; null: Next is always enabled. */
  goal: Goal | null;
  effect: Effect | null;
  control?: StepControl;
}

/** Small, quick settings applied to a preset so a lesson's run takes a minute or two. */
export type ExperimentPatch =
  | { kind: 'lossParam'; nodeId: string; key: string; value: number }
  | { kind: 'trainSubset'; images: number }
  | { kind: 'epochs'; trainerId: string; epochs: number };

export interface LessonSetup {
  /** A file of public/presets/. */
  preset: string;
  /** The experiment's name while it serves the lesson: how the card knows the lesson's experiment is open. */
  name: Bilingual;
  patches: ExperimentPatch[];
}

export interface Lesson {
  id: string;
  title: Bilingual;
  summary: Bilingual;
  setup: LessonSetup;
  steps: LessonStep[];
}

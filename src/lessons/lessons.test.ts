import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../graph/serialize';
import { validateGraph } from '../graph/validate';
import { teacherCacheKeyOf } from '../graph/compile';
import { modelsWithRole, nodeById } from '../graph/queries';
import type { ExperimentFile } from '../graph/schema';
import { lessons } from './lessons';
import { lessonExperiment } from './experiments';
import type { Bilingual, Effect, Goal, LessonStep, StepControl } from './types';
import { describeEffect } from './measures';
import type { LessonObservation } from './observation';
import type { ExperimentResults } from '../results';

const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));
const readPreset = (file: string): ExperimentFile => parseExperiment(readFileSync(`${publicDir}presets/${file}`, 'utf8'));
const shippedTeacherKeys = (JSON.parse(readFileSync(`${publicDir}teachers/index.json`, 'utf8')) as { teachers: { key: string }[] })
  .teachers.map((teacher) => teacher.key);

const CJK = /[\u4e00-\u9fff]/;

function expectBilingual(text: Bilingual, where: string): void {
  expect(text.en.trim(), `${where} (en)`).not.toBe('');
  expect(text.zh.trim(), `${where} (zh)`).not.toBe('');
  expect(CJK.test(text.zh), `${where} (zh) is written in Chinese: ${text.zh}`).toBe(true);
  expect(CJK.test(text.en), `${where} (en) has no Chinese: ${text.en}`).toBe(false);
}

/** The node ids a step refers to: in its goal, its control, its effect and its canvas anchors. */
function nodeIdsOf(step: LessonStep): string[] {
  const ofGoal = (goal: Goal | null): string[] => {
    if (goal === null) return [];
    if (goal.kind === 'nodeSelected' || goal.kind === 'lossParam') return [goal.nodeId];
    if (goal.kind === 'compressionAtLeast') return [goal.teacherId, goal.studentId];
    if (goal.kind === 'runFinished') return [goal.studentId];
    return [];
  };
  const ofControl = (control: StepControl | undefined): string[] =>
    control === undefined ? [] : [control.kind === 'lossParam' ? control.nodeId : control.modelId];
  const ofEffect = (effect: Effect | null): string[] => (effect === null ? [] : Object.values(effect.args));
  const anchoredNodes = step.anchors.filter((anchor) => anchor.startsWith('node-')).map((anchor) => anchor.slice('node-'.length));
  return [...ofGoal(step.goal), ...ofControl(step.control), ...ofEffect(step.effect), ...anchoredNodes];
}

const observationOf = (experiment: ExperimentFile, results: ExperimentResults | null): LessonObservation => ({
  experiment, selectedNodeIds: [], runStatus: 'finished', results, shownTestIds: new Set(), teacherLogits: [[4, 1, 0, -2, 0, 0, 0, 0, 0, 1]],
});

/** A results object of the shape the runner writes, for every learner of the experiment (to exercise each effect text). */
function resultsFor(experiment: ExperimentFile): ExperimentResults {
  const model = (modelId: string, testAccuracy: number) => ({
    modelId, label: modelId, role: 'student' as const, testAccuracy, validationAccuracy: testAccuracy, trainAccuracy: testAccuracy,
    params: 1000, bytes: 4000, flops: 2000, epochs: 1, trainingSeconds: 1, inferenceMsPerSample: 0.1, seed: 1,
  });
  const learners = experiment.nodes.filter((node) => node.kind === 'model' && node.params.role !== 'teacher').map((node) => node.id);
  const teacherId = modelsWithRole(experiment, 'teacher')[0]?.id ?? 'peer2';
  return {
    resultsVersion: 2, experimentName: experiment.name, backend: 'wasm', datasetId: 'mnist', trainCount: 2000, testCount: 10000,
    models: [model(teacherId, 0.99), ...learners.flatMap((id) => [model(id, 0.95), model(`${id}/baseline`, 0.94)])],
    distillations: learners.map((studentId) => ({
      studentId, teacherId, baselineId: `${studentId}/baseline`, compressionRatio: 2, accuracyDrop: 0.04, distillationGain: 0.01,
    })),
    finishedAt: '2026-01-01T00:00:00Z',
  };
}

describe('guided lessons', () => {
  it('are at least eight, with distinct ids', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    expect(new Set(lessons.map((lesson) => lesson.id)).size).toBe(lessons.length);
  });

  for (const lesson of lessons) {
    describe(lesson.id, () => {
      const experiment = lessonExperiment(readPreset(lesson.setup.preset), lesson.setup, 'en', lesson.summary.en);

      it('has its title, summary and experiment name in English and Chinese', () => {
        expectBilingual(lesson.title, 'title');
        expectBilingual(lesson.summary, 'summary');
        expectBilingual(lesson.setup.name, 'experiment name');
      });

      it.each(lesson.steps.map((step, index) => ({ step, index })))('step $index: texts in both languages and a formula KaTeX renders', ({ step, index }) => {
        expectBilingual(step.title, `step ${index} title`);
        expectBilingual(step.text, `step ${index} text`);
        if (step.ask !== null) expectBilingual(step.ask, `step ${index} ask`);
        if (step.control !== undefined) expectBilingual(step.control.label, `step ${index} control`);
        expect(step.anchors.length).toBeGreaterThan(0);
        expect(() => katex.renderToString(step.formula, { throwOnError: true, displayMode: true })).not.toThrow();
      });

      it('refers only to nodes of its experiment, which opens without errors', () => {
        const missing = lesson.steps.flatMap(nodeIdsOf).filter((id) => nodeById(experiment, id) === undefined);
        expect(missing).toEqual([]);
        expect(validateGraph(experiment).filter((problem) => problem.severity === 'error')).toEqual([]);
      });

      it('says every effect in both languages once its numbers are there', () => {
        const observation = observationOf(experiment, resultsFor(experiment));
        for (const step of lesson.steps.filter((candidate) => candidate.effect !== null)) {
          const en = describeEffect(step.effect!, observation, 'en');
          const zh = describeEffect(step.effect!, observation, 'zh');
          expect(en).not.toBeNull();
          expectBilingual({ en: en!, zh: zh! }, 'effect');
        }
      });

      it('trains its students on few images and keeps the shipped teacher', () => {
        const dataset = experiment.nodes.find((node) => node.kind === 'dataset');
        expect(dataset?.kind === 'dataset' && dataset.params.trainSubset).toBeLessThanOrEqual(10_000);
        const maxEpochs = Math.max(...experiment.nodes.map((node) => (node.kind === 'trainer' ? node.params.epochs : 0)));
        expect(maxEpochs).toBe(1);
        for (const teacher of modelsWithRole(experiment, 'teacher')) {
          const key = teacherCacheKeyOf(experiment, teacher);
          expect(key).toBe(teacherCacheKeyOf(readPreset(lesson.setup.preset), teacher));
          expect(shippedTeacherKeys).toContain(key);
        }
      });
    });
  }
});

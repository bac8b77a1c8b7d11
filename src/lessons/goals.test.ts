import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../graph/serialize';
import type { ExperimentFile } from '../graph/schema';
import type { ExperimentResults } from '../results';
import { goalMet } from './goals';
import { describeEffect, meanEntropyBits } from './measures';
import { lessonExperiment, withHiddenUnits } from './experiments';
import { hiddenUnitsOf, isLessonExperimentOpen, modelNode, type LessonObservation } from './observation';
import { temperatureLesson } from './content/temperature';
import { compressionLesson } from './content/compression';

const presetDir = fileURLToPath(new URL('../../public/presets/', import.meta.url));
const readPreset = (file: string): ExperimentFile => parseExperiment(readFileSync(`${presetDir}${file}`, 'utf8'));

const lesson1 = lessonExperiment(readPreset('hinton-mnist.json'), temperatureLesson.setup, 'zh', '');
const observe = (experiment: ExperimentFile, extra: Partial<LessonObservation> = {}): LessonObservation => ({
  experiment, selectedNodeIds: [], runStatus: 'idle', results: null, shownTestIds: new Set(), teacherLogits: null, ...extra,
});
const withT = (experiment: ExperimentFile, T: number): ExperimentFile => ({
  ...experiment,
  nodes: experiment.nodes.map((node) => (node.kind === 'loss' && node.id === 'kd' ? { ...node, params: { ...node.params, params: { T } } } : node)),
});

describe('lesson experiments', () => {
  it('carry the lesson name in the chosen language and are recognised in either', () => {
    expect(lesson1.name).toBe('课程：软目标与温度');
    expect(isLessonExperimentOpen(lesson1, temperatureLesson.setup.name)).toBe(true);
    expect(isLessonExperimentOpen(readPreset('hinton-mnist.json'), temperatureLesson.setup.name)).toBe(false);
  });

  it('refuse a patch that finds no node', () => {
    const setup = { ...temperatureLesson.setup, patches: [{ kind: 'epochs' as const, trainerId: 'nowhere', epochs: 1 }] };
    expect(() => lessonExperiment(readPreset('hinton-mnist.json'), setup, 'en', '')).toThrow(/no trainer node 'nowhere'/);
  });

  it('set hidden widths and leave the output layer alone', () => {
    const student = modelNode(readPreset('article-mnist.json'), 'student')!;
    const layers = withHiddenUnits(student.params.architecture.layers, 20);
    expect(layers.flatMap((layer) => (layer.kind === 'dense' ? [layer.units] : []))).toEqual([20, 20, 10]);
    expect(() => withHiddenUnits(layers, 0)).toThrow(/at least 1/);
  });
});

describe('goals', () => {
  it('KD temperature at least 8', () => {
    const goal = { kind: 'lossParam' as const, nodeId: 'kd', key: 'T', atLeast: 8 };
    expect(goalMet(goal, observe(lesson1))).toBe(false);
    expect(goalMet(goal, observe(withT(lesson1, 8)))).toBe(true);
    expect(goalMet({ ...goal, nodeId: 'missing' }, observe(withT(lesson1, 8)))).toBe(false);
  });

  it('a node selected, an element shown', () => {
    expect(goalMet({ kind: 'nodeSelected', nodeId: 'kd' }, observe(lesson1, { selectedNodeIds: ['teacher'] }))).toBe(false);
    expect(goalMet({ kind: 'nodeSelected', nodeId: 'kd' }, observe(lesson1, { selectedNodeIds: ['teacher', 'kd'] }))).toBe(true);
    expect(goalMet({ kind: 'shown', testId: 'temperature-explorer' }, observe(lesson1, { shownTestIds: new Set(['temperature-explorer']) }))).toBe(true);
  });

  it('compression from the architectures on screen', () => {
    const article = lessonExperiment(readPreset('article-mnist.json'), compressionLesson.setup, 'en', '');
    const goal = { kind: 'compressionAtLeast' as const, teacherId: 'teacher', studentId: 'student', ratio: 300 };
    expect(goalMet(goal, observe(article))).toBe(false);
    const student = modelNode(article, 'student')!;
    const smaller: ExperimentFile = {
      ...article,
      nodes: article.nodes.map((node) => (node === student
        ? { ...student, params: { ...student.params, architecture: { ...student.params.architecture, layers: withHiddenUnits(student.params.architecture.layers, 20) } } }
        : node)),
    };
    expect(hiddenUnitsOf(smaller, 'student')).toEqual([20, 20]);
    expect(goalMet(goal, observe(smaller))).toBe(true);
    // 784·20+20 + 20·20+20 + 20·10+10 = 15,700 + 420 + 210 = 16,330 student parameters.
    const said = describeEffect(compressionLesson.steps[1].effect!, observe(smaller), 'en');
    expect(said).toContain('16,330');
  });

  it('a finished run counts only with its own experiment\'s results', () => {
    const results = {
      experimentName: lesson1.name,
      distillations: [{ studentId: 'student', teacherId: 'teacher', baselineId: 'student/baseline', compressionRatio: 1.9, accuracyDrop: 0.01, distillationGain: 0.002 }],
    } as unknown as ExperimentResults;
    const goal = { kind: 'runFinished' as const, studentId: 'student' };
    expect(goalMet(goal, observe(lesson1, { runStatus: 'finished', results }))).toBe(true);
    expect(goalMet(goal, observe(lesson1, { runStatus: 'running', results }))).toBe(false);
    expect(goalMet(goal, observe(lesson1, { runStatus: 'finished', results: { ...results, experimentName: 'Hinton KD on MNIST' } }))).toBe(false);
  });
});

describe('measures', () => {
  it('entropy of softened logits grows with T towards log2 of the class count', () => {
    const logits = [[9, 1, 0, 0, 0, 0, 0, 0, 0, 2]];
    const at1 = meanEntropyBits(logits, 1);
    const at8 = meanEntropyBits(logits, 8);
    expect(at1).toBeLessThan(0.05);
    expect(at8).toBeGreaterThan(at1);
    expect(meanEntropyBits(logits, 1e6)).toBeCloseTo(Math.log2(10), 5);
  });

  it('the temperature step says both entropies from the teacher logits', () => {
    const effect = temperatureLesson.steps[1].effect!;
    expect(describeEffect(effect, observe(withT(lesson1, 8)), 'en')).toBeNull();
    const said = describeEffect(effect, observe(withT(lesson1, 8), { teacherLogits: [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]] }), 'en');
    expect(said).toContain('3.32 bits at T = 1'); // uniform logits: log2 10 at every temperature
  });
});

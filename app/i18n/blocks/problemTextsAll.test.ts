import { describe, expect, it } from 'vitest';
import { problemCodes, type ProblemCode, type ProblemDetail } from '../../../src/graph/problemDetail';
import { validateGraph, type GraphProblem } from '../../../src/graph/validate';
import { createNode } from '../../../src/graph/factory';
import { baseGraph, mutualLearningGraph } from '../../../src/graph/testFixtures';
import type { ExperimentFile } from '../../../src/graph/schema';
import { problemText } from './problemTexts';
import { problemZh } from './problemTextsZh';
import { datasetLabel, datasetLabelsZh } from '../datasetTexts';
import { datasetRegistry } from '../../../src/data/registry';

const chinese = /[\u4e00-\u9fff]/;
/** Three or more English words in a row: a sentence left untranslated. */
const englishRun = /[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}/;

// Typed as a full map, so a new code without a sample fails to compile; the runtime list is checked against it.
const samples: { [C in ProblemCode]: Extract<ProblemDetail, { code: C }> } = {
  neverTrained: { code: 'neverTrained' }, teachesButNeverTrained: { code: 'teachesButNeverTrained' },
  assistantTeachesNobody: { code: 'assistantTeachesNobody' }, teacherIdle: { code: 'teacherIdle' },
  lonePeer: { code: 'lonePeer', trainer: 't', instead: 'assistant' },
  identicalStart: { code: 'identicalStart', twin: 'g1', seed: 7, teacher: false },
  noDataset: { code: 'noDataset' }, extraDataset: { code: 'extraDataset' }, userDatasetMissing: { code: 'userDatasetMissing', datasetId: 'user:flowers-1a2b3c4d' },
  noLearner: { code: 'noLearner' }, noTrainer: { code: 'noTrainer' },
  unknownDataset: { code: 'unknownDataset', datasetId: 'svhn', known: ['mnist', 'fashion-mnist', 'cifar10'] },
  trainSubsetTooBig: { code: 'trainSubsetTooBig', dataset: 'mnist', trainCount: 60000, trainSubset: null, validation: 70000 },
  testSubsetTooBig: { code: 'testSubsetTooBig', dataset: 'mnist', testCount: 10000 },
  samplerOneClass: { code: 'samplerOneClass', batchSize: 8, perClass: 8 },
  samplerTooFewClasses: { code: 'samplerTooFewClasses', batchSize: 64, perClass: 4, dataset: 'mnist', classes: 10, spread: '6-7' },
  imagesUnconnected: { code: 'imagesUnconnected' }, outputUnits: { code: 'outputUnits', units: 5, classes: 10, dataset: 'mnist' },
  teacherDefaults: { code: 'teacherDefaults' }, architectureInvalid: { code: 'architectureInvalid', layer: 'tail' },
  teacherSubsetTooBig: { code: 'teacherSubsetTooBig', dataset: 'mnist', trainCount: 60000, subset: 59000, validation: 5000 },
  tapUnconnected: { code: 'tapUnconnected', side: 'teacher' }, tapNoLayer: { code: 'tapNoLayer', model: 'm' },
  tapNoSuchLayer: { code: 'tapNoSuchLayer', model: 'm', layer: 'conv9', layers: ['conv1', 'relu1'] },
  tapFeedsNoLoss: { code: 'tapFeedsNoLoss' },
  adapterConflict: { code: 'adapterConflict', first: '[7, 7, 8]', second: '[14, 14, 8]' },
  adapterNoneButShapesDiffer: { code: 'adapterNoneButShapesDiffer', student: '[14, 14, 4]', teacher: '[14, 14, 8]' },
  adapterImpossible: { code: 'adapterImpossible', student: '[28, 28, 2]', teacher: '[14, 14, 8]' },
  adapterDenseNeedsVectors: { code: 'adapterDenseNeedsVectors', student: '[14, 14, 4]', teacher: '[14, 14, 8]' },
  adapterConvNeedsMaps: { code: 'adapterConvNeedsMaps', kind: 'conv1x1', student: '[12]', teacher: '[16]' },
  headUnconnected: { code: 'headUnconnected' }, headInputShape: { code: 'headInputShape', model: 'm', layer: 'x', shape: '[4, 4]' },
  headFeedsNoLoss: { code: 'headFeedsNoLoss' },
  ensembleTooFew: { code: 'ensembleTooFew', minimum: 2, members: ['g1'] },
  ensembleClasses: { code: 'ensembleClasses', members: [{ model: 'a', classes: '[10]' }, { model: 'b', classes: '[7]' }] },
  unknownLoss: { code: 'unknownLoss', lossId: 'xyz' },
  lossPortUnconnected: { code: 'lossPortUnconnected', port: 'Labels', from: 'data' },
  lossShapes: { code: 'lossShapes', shapes: [{ port: 'guide', shape: '[28, 28, 2]' }, { port: 'guided', shape: '[14, 14, 4]' }] },
  needsFeatureMaps: { code: 'needsFeatureMaps', models: ['a', 'b'], teacherPreset: 'cnn-teacher', learnerPreset: 'cnn-student' },
  teacherSideTrains: { code: 'teacherSideTrains', model: 's' }, lossInNoTrainer: { code: 'lossInNoTrainer' },
  trainerNoLosses: { code: 'trainerNoLosses' }, allWeightsZero: { code: 'allWeightsZero' },
  allCutBySchedule: { code: 'allCutBySchedule', fromEpoch: 3, lastCutoff: 2 },
  batchTooSmall: { code: 'batchTooSmall', loss: 'rkd', needed: 2, images: 65, batchSize: 64, smallest: 1 },
  scheduleNotOfStage: { code: 'scheduleNotOfStage', loss: 'ghost' },
  scheduleAfterEnd: { code: 'scheduleAfterEnd', loss: 'kd', atEpoch: 10, epochs: 3 },
  warmupTooLong: { code: 'warmupTooLong', loss: 'kd', warmup: 5, epochs: 3 },
  stagesLoop: { code: 'stagesLoop' },
  trainUpToUnknown: { code: 'trainUpToUnknown', layer: 'relu3', models: ['s'] },
  trainUpToPartial: { code: 'trainUpToPartial', layer: 'conv1', having: ['a'], whole: ['b', 'c'] },
  trainUpToNoWeights: { code: 'trainUpToNoWeights', layer: 'pool0', models: ['s'] },
  pruningNoLayers: { code: 'pruningNoLayers', method: 'channel', models: ['s'] },
  chainTrainsNothing: { code: 'chainTrainsNothing' },
  trainedTwice: { code: 'trainedTwice', model: 's', other: 't1', otherLast: 't2' },
  teachingLoop: { code: 'teachingLoop', trainers: ['t1', 't2'] },
  exportUnconnected: { code: 'exportUnconnected' },
  edgeRefused: { code: 'edgeRefused', refusal: { code: 'cycle', text: 'This connection would make a cycle in the graph.' } },
  validationFailed: { code: 'validationFailed', error: 'boom' },
};

/** The Chinese text of a problem with every parameter value (names, shapes, ids) taken out, to look for English left in it. */
function zhWithoutParameters(detail: ProblemDetail): string {
  const text = problemZh(detail, { name: '“N”', nameOf: (id) => `“${id}”`, port: (port) => `〈${port}〉`, dataset: (id) => `〈${id}〉`, refusal: () => '此连接会在图中形成环。' });
  return text.replace(/“[^”]*”|〈[^〉]*〉/g, '').replace(/\[[^\]]*\]/g, '');
}

describe('every graph problem has a text in both languages', () => {
  it('each code the validators can emit has a Chinese text without English left in it', () => {
    expect(Object.keys(samples).sort()).toEqual([...problemCodes].sort());
    for (const code of problemCodes) {
      const text = zhWithoutParameters(samples[code]);
      expect(text, code).toMatch(chinese);
      expect(text, code).not.toMatch(/undefined|\[object/);
      expect(text, code).not.toMatch(englishRun);
    }
  });

  /** Broken graphs, each giving problems the role and port tests do not: every one carries its code and reads in Chinese. */
  function brokenGraphs(): ExperimentFile[] {
    const schedules = baseGraph();
    const trainer = schedules.node('trainer', 'trainer');
    trainer.params.trainUpTo = 'relu3';
    trainer.params.weightSchedules = { ghost: { kind: 'constant' }, ce: { kind: 'stepToZero', atEpoch: 10 } };

    const zeroWeights = baseGraph();
    zeroWeights.node('ce', 'loss').params.weight = 0;

    const shapes = baseGraph();
    shapes.loss('at', 'at');
    shapes.connect('at', 'loss', 'trainer', 'losses');
    shapes.tap('guide', 'g-relu1', 'relu1');
    shapes.tap('guided', 's-conv3', 'conv3');
    shapes.connect('g-relu1', 'feature', 'at', 'guide');
    shapes.force('s-conv3', 'feature', 'at', 'guided');
    shapes.add(createNode('guided', { id: 'wrong-side' }));
    shapes.force('teacher', 'layers', 'wrong-side', 'layers');

    const nodes = baseGraph();
    nodes.node('teacher', 'model').params.architecture.layers.push({ kind: 'relu', id: 'tail' });
    nodes.add(createNode('export', { id: 'export', label: 'Export' }));
    nodes.add(createNode('head', { id: 'head', label: 'Head' }));
    nodes.add(createNode('ensemble', { id: 'ens', label: 'Ens' }));
    nodes.tap('guided', 'ghost-layer', 'conv9');
    const dataset = nodes.node('dataset', 'dataset');
    dataset.params.testSubset = 99_999;
    dataset.params.validationSize = 70_000;

    const loops = baseGraph();
    loops.add(createNode('trainer', { id: 'a', label: 'A' }));
    loops.add(createNode('trainer', { id: 'b', label: 'B' }));
    loops.force('a', 'next', 'b', 'after');
    loops.force('b', 'next', 'a', 'after');

    const unknown = baseGraph();
    unknown.node('dataset', 'dataset').params.datasetId = 'svhn';
    unknown.loss('mystery', 'kd').params.lossId = 'no-such-loss';

    return [schedules.file, zeroWeights.file, shapes.file, nodes.file, loops.file, unknown.file, mutualLearningGraph().file];
  }

  it('problems of real broken graphs read in Chinese', () => {
    const seen = new Set<ProblemCode>();
    for (const graph of brokenGraphs()) {
      for (const problem of validateGraph(graph)) {
        seen.add(problem.detail.code);
        const zh = problemText(problem, graph, 'zh');
        expect(zh, problem.message).toMatch(chinese);
        expect(zh.replace(/“[^”]*”|\[[^\]]*\]/g, ''), problem.message).not.toMatch(englishRun);
        expect(problemText(problem, graph, 'en')).toBe(problem.message);
      }
    }
    const expected: ProblemCode[] = ['trainUpToUnknown', 'scheduleNotOfStage', 'scheduleAfterEnd', 'allWeightsZero', 'lossShapes',
      'edgeRefused', 'architectureInvalid', 'exportUnconnected', 'headUnconnected', 'headFeedsNoLoss', 'ensembleTooFew',
      'tapNoSuchLayer', 'testSubsetTooBig', 'trainSubsetTooBig', 'stagesLoop', 'unknownDataset', 'unknownLoss'];
    for (const code of expected) expect(seen, code).toContain(code);
  });

  it('a validator failure is shown as a coded problem too', () => {
    const problem: GraphProblem = { nodeId: null, severity: 'error', message: 'Validation failed: boom', detail: samples.validationFailed };
    expect(problemText(problem, baseGraph().file, 'zh')).toBe('校验失败：boom');
  });
});

describe('dataset names', () => {
  it('every dataset of the registry has a Chinese name', () => {
    for (const info of datasetRegistry) {
      expect(datasetLabelsZh[info.id], info.id).toMatch(chinese);
      expect(datasetLabel(info.id, 'en')).toBe(info.label);
    }
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allArchitecturePresets } from '../models/presets';
import { parseExperiment, serializeExperiment } from './serialize';
import { validateGraph } from './validate';
import { compileExperiment } from './compile';
import { pairView } from '../train/testSupport';
import { buildPresetExperiment, fullDataRecipes, presetIndex } from './presetExperiments';
import { nodesOfKind } from './queries';
import type { TrainingPlan } from '../train/plan';

const presetDir = fileURLToPath(new URL('../../public/presets/', import.meta.url));
const readPreset = (file: string): string => readFileSync(`${presetDir}${file}`, 'utf8');

// UPDATE_PRESETS=1 npx vitest run src/graph/presets.test.ts rewrites the files from presetExperiments.ts.
if (process.env.UPDATE_PRESETS === '1') {
  for (const { file } of presetIndex) writeFileSync(`${presetDir}${file}`, serializeExperiment(buildPresetExperiment(file)));
  writeFileSync(`${presetDir}index.json`, `${JSON.stringify(presetIndex, null, 2)}\n`);
}

/** Presets of more than a teacher and a student (checked phase by phase in compile.test.ts and below). */
const schemePresets = ['dml-mnist.json', 'ta-mnist.json', 'ban-mnist.json', 'ban-ensemble-mnist.json', 'tfkd-mnist.json', 'self-distillation-mnist.json', 'tsd-mnist.json', 'dml-mnist-full.json', 'ta-mnist-full.json', 'ban-mnist-full.json'];

describe('preset experiment files', () => {
  it('index.json lists every preset with a name and description', () => {
    expect(JSON.parse(readPreset('index.json'))).toEqual(presetIndex);
    expect(presetIndex.map((entry) => entry.file)).toEqual([
      'hinton-mnist.json', 'article-mnist.json', 'cnn-mnist-at.json', 'fitnet-mnist.json', 'cnn-mnist-kd.json', 'cnn-mlp-mnist.json',
      'dml-mnist.json', 'ta-mnist.json', 'ban-mnist.json', 'ban-ensemble-mnist.json', 'relations-mnist.json', 'tfkd-mnist.json', 'self-distillation-mnist.json', 'adversarial-mnist.json', 'crd-mnist.json', 'ft-mnist.json', 'cc-mnist.json', 'irg-mnist.json', 'tsd-mnist.json', 'nst-eskd-mnist.json', 'cnn-fashion-kd.json', 'cnn-mlp-fashion.json', 'prune-kd-mnist.json',
      'cifar10-kd.json', 'cifar10-at.json', 'cifar10-fitnet.json', 'cifar10-wrn-kd.json',
      'hinton-mnist-full.json', 'article-mnist-full.json', 'cnn-mnist-at-full.json', 'fitnet-mnist-full.json', 'cnn-mnist-kd-full.json', 'cnn-mlp-mnist-full.json',
      'dml-mnist-full.json', 'ta-mnist-full.json', 'ban-mnist-full.json',
    ]);
  });

  for (const { file } of presetIndex) {
    describe(file, () => {
      const text = readPreset(file);
      const experiment = parseExperiment(text);

      it('is up to date with presetExperiments.ts and the architecture presets', () => {
        expect(text).toBe(serializeExperiment(buildPresetExperiment(file)));
        for (const model of nodesOfKind(experiment, 'model')) {
          expect(model.params.architecture).toEqual(allArchitecturePresets[model.params.architecture.name]);
        }
      });

      it('validates without errors or warnings and compiles', () => {
        expect(validateGraph(experiment)).toEqual([]);
        const compiled = compileExperiment(experiment);
        const recipe = fullDataRecipes[file];
        // CC draws class-uniform batches, as its paper does; every other preset shuffles.
        const sampler = file === 'cc-mnist.json' ? { sampler: { kind: 'classUniform', samplesPerClass: 8 } } : {};
        if (file.startsWith('cifar10')) {
          // CIFAR augmentation: shifts of up to 4 px and flips; the paper-scale preset trains on every image.
          expect(compiled.dataset).toEqual({
            datasetId: 'cifar10', trainSubset: file === 'cifar10-wrn-kd.json' ? null : 10_000, validationSize: 5_000, testSubset: null, augmentShift: 4, augmentFlip: true,
          });
        } else {
          expect(compiled.dataset).toEqual({
            datasetId: file.includes('fashion') ? 'fashion-mnist' : 'mnist', trainSubset: recipe ? null : 10_000, validationSize: 5_000, testSubset: null, augmentShift: 0, ...sampler,
          });
        }
        expect(compiled.probes.count).toBe(8);
        if (recipe !== undefined && recipe.ownTeacherEpochs === undefined) {
          // The teacher is the quick preset's (shared, shipped pretrained): one cache key for both.
          const teacherKeys = (of: TrainingPlan): string[] => of.phases.flatMap((phase) => (phase.kind === 'teacher' ? [phase.cacheKey ?? ''] : []));
          expect(teacherKeys(compiled)).toEqual(teacherKeys(compileExperiment(parseExperiment(readPreset(recipe.base)))));
        }
        if (schemePresets.includes(file)) {
          // Quick demos finish in minutes; full-data runs train every learner for the recipe's epochs.
          const epochs = compiled.phases.filter((phase) => phase.kind !== 'teacher').flatMap((phase) => phase.stages).map((stage) => stage.settings.epochs);
          if (recipe) expect(new Set(epochs)).toEqual(new Set([recipe.studentEpochs]));
          else expect(epochs.every((count) => count <= 3)).toBe(true);
          return;
        }
        const plan = pairView(compiled);
        if (recipe) {
          // The whole-student stages scale up; initialisation stages (trainUpTo) keep their length.
          const wholeStudent = plan.stages.filter((stage) => stage.trainUpTo === null);
          expect(wholeStudent.length).toBeGreaterThan(0);
          expect(wholeStudent.map((stage) => [stage.settings.epochs, stage.settings.lrSchedule.kind]))
            .toEqual(wholeStudent.map(() => [recipe.studentEpochs, 'cosine']));
        } else if (file === 'cifar10-wrn-kd.json') {
          // Paper scale (RepDistiller): 240 epochs, meant for a GPU.
          expect(plan.stages.map((stage) => stage.settings.epochs)).toEqual([240]);
        } else {
          // Quick demos: a classroom run finishes in minutes.
          expect(plan.stages.every((stage) => stage.settings.epochs <= 3)).toBe(true);
        }
      });

      it('round-trips: serialize -> parse gives the same experiment', () => {
        expect(parseExperiment(serializeExperiment(experiment))).toEqual(experiment);
        expect(serializeExperiment(parseExperiment(serializeExperiment(experiment)))).toBe(text);
      });

      it('lays nodes out left to right: dataset, models, taps and ensembles, losses, trainers', () => {
        const xs = (kind: string): number[] => experiment.nodes.filter((node) => node.kind === kind).map((node) => node.position.x);
        const maxOf = (values: number[]): number => Math.max(...values);
        const minOf = (values: number[]): number => Math.min(...values);
        expect(maxOf(xs('dataset'))).toBeLessThan(minOf(xs('model')));
        expect(maxOf(xs('model'))).toBeLessThan(minOf(xs('loss')));
        expect(maxOf(xs('loss'))).toBeLessThanOrEqual(minOf(xs('trainer')));
        const between = [...xs('guide'), ...xs('guided'), ...xs('ensemble')];
        if (between.length > 0) expect(maxOf(between)).toBeLessThan(minOf(xs('loss')));
        if (between.length > 0) expect(minOf(between)).toBeGreaterThan(maxOf(xs('model')));
      });
    });
  }

  it('hinton-mnist: Hinton MLPs, CE 0.1 + KD 0.9 at T = 20', () => {
    const plan = pairView(compileExperiment(parseExperiment(readPreset('hinton-mnist.json'))));
    expect(plan.teacher.architecture.name).toBe('hinton-teacher');
    expect(plan.student.architecture.name).toBe('hinton-student');
    const terms = plan.stages[0].terms.map(({ term }) => [term.lossId, term.weight, term.params]);
    expect(terms).toEqual([['ce', 0.1, {}], ['kd', 0.9, { T: 20 }]]);
    expect(plan.probes.temperature).toBe(20);
  });

  it('article-mnist: 2 x 50 student at T = 6', () => {
    const plan = pairView(compileExperiment(parseExperiment(readPreset('article-mnist.json'))));
    expect(plan.student.architecture.name).toBe('article-student');
    expect(plan.probes.temperature).toBe(6);
  });

  it('cnn-mnist-at: stage 1 FSP on two pairs and one attention pair up to relu3, stage 2 CE + KD', () => {
    const plan = pairView(compileExperiment(parseExperiment(readPreset('cnn-mnist-at.json'))));
    expect(plan.stages.map((stage) => [stage.name, stage.trainUpTo, stage.terms.map(({ term }) => term.lossId)])).toEqual([
      ['Stage 1: FSP + AT', 'relu3', ['at', 'fsp']],
      ['Stage 2: KD', null, ['ce', 'kd']],
    ]);
    expect(plan.baseline.epochs).toBe(3);
    const full = pairView(compileExperiment(parseExperiment(readPreset('cnn-mnist-at-full.json'))));
    expect(full.stages.map((stage) => [stage.settings.epochs, stage.settings.lrSchedule.kind])).toEqual([[1, 'constant'], [12, 'cosine']]);
    expect(full.baseline).toMatchObject({ epochs: 13, lrSchedule: { kind: 'cosine' } });
    expect(plan.probes.attention).toEqual([{ id: 'at', label: 'Attention transfer (relu1)', teacher: { model: 'teacher', layerId: 'relu1' }, student: { model: 'student', layerId: 'relu1' }, p: 2 }]);
    expect(plan.probes.fsp).toEqual([{
      id: 'fsp', label: 'FSP (relu2 -> relu3)', teacher: { model: 'teacher', layerIds: ['relu2', 'relu3'] }, student: { model: 'student', layerIds: ['relu2', 'relu3'] },
    }]);
    expect(plan.teacherTaps).toEqual(['relu1', 'relu2', 'relu3']);
    expect(plan.studentTaps).toEqual(['relu1', 'relu2', 'relu3']);
    expect(plan.adapters).toEqual([]);
  });

  it('fitnet-mnist: stage 1 hint up to the guided layer with an adapter, stage 2 CE + KD', () => {
    const plan = pairView(compileExperiment(parseExperiment(readPreset('fitnet-mnist.json'))));
    expect(plan.stages.map((stage) => [stage.name, stage.trainUpTo, stage.terms.map(({ term }) => term.lossId)])).toEqual([
      ['Stage 1: hints', 'pool2', ['fitnet']],
      ['Stage 2: KD', null, ['ce', 'kd']],
    ]);
    expect(plan.adapters).toHaveLength(1);
    expect(plan.adapters[0]).toMatchObject({ id: 'adapter-guided-pool2', kind: 'conv1x1', modelId: 'student', layerId: 'pool2' });
    expect(plan.stages[0].terms[0].term.inputs.guided).toEqual({ kind: 'feature', model: 'student', layerId: 'pool2', adapterId: 'adapter-guided-pool2', detach: false });
    expect(plan.baseline.epochs).toBe(plan.stages[0].settings.epochs + plan.stages[1].settings.epochs);
  });

  it('cifar10 KD, AT and FitNet: one CNN pair and one shared teacher trained on every image', () => {
    const plans = ['cifar10-kd.json', 'cifar10-at.json', 'cifar10-fitnet.json'].map((file) => compileExperiment(parseExperiment(readPreset(file))));
    const teacherKeys = plans.map((compiled) => compiled.phases.find((phase) => phase.kind === 'teacher')?.cacheKey);
    expect(new Set(teacherKeys).size).toBe(1);
    const [kd, at, fitnet] = plans.map(pairView);
    expect([kd.teacher.architecture.name, kd.student.architecture.name]).toEqual(['cifar-cnn-teacher', 'cifar-cnn-student']);
    expect(kd.stages[0].terms.map(({ term }) => [term.lossId, term.weight, term.params])).toEqual([['ce', 0.1, {}], ['kd', 0.9, { T: 4 }]]);
    expect(at.stages[0].terms.map(({ term }) => [term.lossId, term.weight])).toEqual([['ce', 1], ['at', 1000], ['at', 1000], ['at', 1000]]);
    expect(at.probes.attention.map((probe) => [probe.teacher.layerId, probe.student.layerId])).toEqual([['relu2', 'relu1'], ['relu4', 'relu2'], ['relu5', 'relu3']]);
    expect(fitnet.stages.map((stage) => [stage.trainUpTo, stage.terms.map(({ term }) => term.lossId)])).toEqual([['relu2', ['fitnet']], [null, ['ce', 'kd']]]);
    expect(fitnet.adapters[0]).toMatchObject({ kind: 'conv1x1', modelId: 'student', layerId: 'relu2' });
  });

  it('cifar10-wrn-kd: RepDistiller\'s recipe for WRN-40-2 -> WRN-16-2', () => {
    const plan = pairView(compileExperiment(parseExperiment(readPreset('cifar10-wrn-kd.json'))));
    expect([plan.teacher.architecture.name, plan.student.architecture.name]).toEqual(['wrn-40-2', 'wrn-16-2']);
    const recipe = { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, epochs: 240, batchSize: 64 };
    expect(plan.stages[0].settings).toMatchObject(recipe);
    expect(plan.stages[0].terms.map(({ term }) => [term.lossId, term.weight, term.params])).toEqual([['ce', 0.1, {}], ['kd', 0.9, { T: 4 }]]);
  });
});

describe('scheme presets', () => {
  it('mutual learning trains both peers in one phase, each with a baseline and no teacher', () => {
    const plan = compileExperiment(parseExperiment(readPreset('dml-mnist.json')));
    expect(plan.phases.map((phase) => [phase.kind, phase.trains])).toEqual([
      ['baseline', ['peer1/baseline']], ['baseline', ['peer2/baseline']], ['student', ['peer1', 'peer2']],
    ]);
    const terms = plan.phases[2].stages[0].terms.map(({ term }) => [term.lossId, term.weight, term.params.T ?? null]);
    expect(terms).toEqual([['ce', 1, null], ['kd', 1, 1], ['ce', 1, null], ['kd', 1, 1]]);
  });

  it('the teacher-assistant chain distils teacher -> assistant, then assistant -> student', () => {
    const plan = compileExperiment(parseExperiment(readPreset('ta-mnist.json')));
    expect(plan.phases.map((phase) => [phase.id, phase.frozen])).toEqual([
      ['teacher:teacher', []], ['distill:trainer-assistant', ['teacher']], ['baseline:student', []], ['distill:trainer-student', ['assistant']],
    ]);
    expect(plan.models.map((model) => [model.id, model.architecture.name])).toEqual([
      ['teacher', 'article-teacher'], ['assistant', 'hinton-student'], ['student/baseline', 'article-student'], ['student', 'article-student'],
    ]);
  });

  it('born-again generations: each taught only by the one before, all of one architecture', () => {
    const plan = compileExperiment(parseExperiment(readPreset('ban-mnist.json')));
    expect(plan.phases.map((phase) => [phase.id, phase.trains, phase.frozen])).toEqual([
      ['teacher:gen0', ['gen0'], []], ['distill:trainer-gen1', ['gen1'], ['gen0']],
      ['baseline:gen2', ['gen2/baseline'], []], ['distill:trainer-gen2', ['gen2'], ['gen1']],
    ]);
    expect(new Set(plan.models.map((model) => model.architecture.name))).toEqual(new Set(['article-student']));
    expect(plan.phases[3].stages[0].terms.map(({ term }) => [term.lossId, term.weight, term.params.T])).toEqual([['kd', 1, 1]]);
  });

  it('born-again ensembles: generation 2 learns from the ensemble of 0 and 1, frozen after both trained; all three are reported', () => {
    const plan = compileExperiment(parseExperiment(readPreset('ban-ensemble-mnist.json')));
    expect(plan.phases.map((phase) => [phase.id, phase.trains, phase.frozen])).toEqual([
      ['teacher:gen0', ['gen0'], []], ['distill:trainer-gen1', ['gen1'], ['gen0']],
      ['baseline:gen2', ['gen2/baseline'], []], ['distill:trainer-gen2', ['gen2'], ['gen0', 'gen1']],
    ]);
    expect(plan.phases[3].teachers).toEqual({ gen2: ['gen0', 'gen1'] });
    expect(plan.phases[3].stages[0].terms.map(({ term }) => [term.lossId, term.params.T, term.inputs.teacherLogits])).toEqual([
      ['kd', 1, { kind: 'ensemble', members: ['gen0', 'gen1'], detach: false }],
    ]);
    expect(plan.ensembles).toEqual([
      { id: 'ensemble-gen01', label: 'Generations 0 + 1', members: ['gen0', 'gen1'] },
      { id: 'ensemble-all', label: 'BAN ensemble (generations 0-2)', members: ['gen0', 'gen1', 'gen2'] },
    ]);
    // The born-again preset's generations, seeds and KD, only the teacher of generation 2 differs.
    const ban = compileExperiment(parseExperiment(readPreset('ban-mnist.json')));
    expect(plan.models).toEqual(ban.models);
    expect(ban.ensembles).toEqual([]);
  });

  it('teacher-free KD has no teacher: the student and its baseline only', () => {
    const plan = compileExperiment(parseExperiment(readPreset('tfkd-mnist.json')));
    expect(plan.phases.map((phase) => [phase.kind, phase.trains, phase.frozen])).toEqual([['baseline', ['student/baseline'], []], ['student', ['student'], []]]);
  });

  it('the relational preset shows SP, RKD and PKT matrices; the NST preset stops KD after epoch 2', () => {
    const relations = compileExperiment(parseExperiment(readPreset('relations-mnist.json')));
    expect(relations.probes.relations.map((probe) => [probe.kind, probe.teacher.layerId, probe.student.layerId])).toEqual([
      ['sp', 'relu2', 'relu2'], ['rkd', 'relu2', 'relu2'], ['pkt', 'relu2', 'relu2'],
    ]);
    const nst = pairView(compileExperiment(parseExperiment(readPreset('nst-eskd-mnist.json'))));
    expect(nst.stages[0].terms.map(({ term, schedule }) => [term.lossId, schedule.kind])).toEqual([
      ['ce', 'constant'], ['kd', 'stepToZero'], ['nst', 'constant'],
    ]);
  });
});


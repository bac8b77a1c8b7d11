import { describe, expect, it } from 'vitest';
import { compileExperiment, GraphCompileError, teacherCacheKey } from './compile';
import { LEARNER_SEED_STRIDE } from './phases';
import { canonicalJson, fnv1a64 } from './contentHash';
import { createNode, defaultTrainerSettings, freshId, trainerSettings } from './factory';
import { portsOf } from './nodeKinds';
import { edgeShape, resolveAdapter } from './shapes';
import { buildPresetExperiment } from './presetExperiments';
import { baseGraph, mutualLearningExperiment, teacherAssistantStudentExperiment, tinyTeacher } from './testFixtures';
import type { NodeOf } from './schema';
import { baselineIdFor, type PhasePlan, type TrainingPlan } from '../train/plan';

const phaseOf = (plan: TrainingPlan, kind: PhasePlan['kind']): PhasePlan => plan.phases.find((phase) => phase.kind === kind)!;
const teacherPhase = (plan: TrainingPlan) => phaseOf(plan, 'teacher');
const stagesOf = (plan: TrainingPlan) => phaseOf(plan, 'student').stages;
const tapsOf = (plan: TrainingPlan, id: string) => plan.models.find((model) => model.id === id)!.taps;

function distillGraph() {
  const graph = baseGraph();
  graph.loss('kd', 'kd');
  graph.connect('teacher', 'logits', 'kd', 'teacherLogits');
  graph.connect('student', 'logits', 'kd', 'studentLogits');
  graph.connect('kd', 'loss', 'trainer', 'losses');
  return graph;
}

describe('resolveAdapter', () => {
  it('auto: none for equal shapes, conv1x1 for maps of equal H, W, dense for vectors', () => {
    expect(resolveAdapter('auto', [14, 14, 8], [14, 14, 8])).toEqual({ ok: true, kind: null, outputShape: [14, 14, 8] });
    expect(resolveAdapter('auto', [14, 14, 4], [14, 14, 8])).toEqual({ ok: true, kind: 'conv1x1', outputShape: [14, 14, 8] });
    expect(resolveAdapter('auto', [12], [16])).toEqual({ ok: true, kind: 'dense', outputShape: [16] });
    expect(resolveAdapter('auto', [28, 28, 2], [14, 14, 8]).ok).toBe(false);
    expect(resolveAdapter('auto', [784], [14, 14, 8]).ok).toBe(false);
  });

  it('explicit kinds check what they can map', () => {
    expect(resolveAdapter('conv3x3', [14, 14, 8], [14, 14, 8])).toEqual({ ok: true, kind: 'conv3x3', outputShape: [14, 14, 8] });
    expect(resolveAdapter('dense', [14, 14, 4], [14, 14, 8])).toEqual({
      ok: false, reason: 'A dense adapter maps vectors, but student [14, 14, 4], teacher [14, 14, 8]: use a conv1x1 adapter for maps or layers after flatten.',
      detail: { code: 'adapterDenseNeedsVectors', student: '[14, 14, 4]', teacher: '[14, 14, 8]' },
    });
    expect(resolveAdapter('conv1x1', [12], [16]).ok).toBe(false);
    expect(resolveAdapter('none', [12], [12])).toEqual({ ok: true, kind: null, outputShape: [12] });
  });
});

describe('factory and ports', () => {
  it('creates loss nodes from the registry defaults, with fresh ids', () => {
    const kd = createNode('loss', { lossId: 'kd', existingIds: ['kd-1', 'kd-2'] });
    expect(kd).toEqual({ id: 'kd-3', kind: 'loss', label: 'KD (soft targets)', position: { x: 0, y: 0 }, params: { lossId: 'kd', weight: 0.9, params: { T: 4 } } });
    expect(freshId('trainer', ['trainer-2'])).toBe('trainer-1');
    expect(() => createNode('loss')).toThrowError('createNode("loss") needs options.lossId, e.g. "kd".');
  });

  it('gives a teacher its training settings and a fresh copy of the defaults each time', () => {
    const teacher = createNode('model', { role: 'teacher' });
    const student = createNode('model', { role: 'student' });
    expect(teacher.params.teacherTraining).toEqual(defaultTrainerSettings);
    expect(student.params).not.toHaveProperty('teacherTraining');
    const a = trainerSettings();
    a.lrSchedule = { kind: 'cosine' };
    expect(defaultTrainerSettings.lrSchedule).toEqual({ kind: 'constant' });
  });

  it('derives loss input ports from the registry and model ports from the role', () => {
    const fsp = createNode('loss', { lossId: 'fsp' });
    expect(portsOf(fsp).map((port) => [port.name, port.type, port.direction, port.side])).toEqual([
      ['guide1', 'feature', 'input', 'teacher'], ['guide2', 'feature', 'input', 'teacher'],
      ['guided1', 'feature', 'input', 'student'], ['guided2', 'feature', 'input', 'student'],
      ['loss', 'loss', 'output', undefined],
    ]);
    const ce = createNode('loss', { lossId: 'ce' });
    expect(portsOf(ce).find((port) => port.name === 'labels')).toEqual({ name: 'labels', label: 'Labels', type: 'labels', direction: 'input', required: true });
    const student = createNode('model', { role: 'student' });
    expect(portsOf(student).filter((port) => port.direction === 'output').map((port) => port.side)).toEqual(['student', 'student']);
  });
});

describe('compileExperiment', () => {
  it('refuses a graph with errors, listing them', () => {
    const graph = baseGraph();
    graph.loss('kd', 'kd');
    graph.connect('kd', 'loss', 'trainer', 'losses');
    let thrown: unknown;
    try {
      compileExperiment(graph.file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphCompileError);
    expect((thrown as GraphCompileError).problems.map((problem) => problem.nodeId)).toEqual(['kd', 'kd']);
    expect((thrown as Error).message).toMatch(/^The experiment cannot run yet:\n- Connect 'Teacher logits'/);
  });

  it('resolves loss inputs to tensor references, taps and adapters', () => {
    const graph = distillGraph();
    graph.loss('hint', 'fitnet');
    graph.loss('at', 'at');
    graph.loss('sp', 'sp');
    for (const id of ['hint', 'at', 'sp']) graph.connect(id, 'loss', 'trainer', 'losses');
    graph.tap('guide', 'g-relu3', 'relu3'); // [14, 14, 8]
    graph.tap('guide', 'g-fc', 'fc'); // [16]
    graph.tap('guided', 's-conv3', 'conv3'); // [14, 14, 4]
    graph.tap('guided', 's-fc', 'fc'); // [12]
    graph.connect('g-relu3', 'feature', 'hint', 'guide');
    graph.connect('s-conv3', 'feature', 'hint', 'guided');
    graph.connect('g-relu3', 'feature', 'at', 'guide');
    graph.connect('s-conv3', 'feature', 'at', 'guided');
    graph.connect('g-fc', 'feature', 'sp', 'guide');
    graph.connect('s-fc', 'feature', 'sp', 'guided');

    const plan = compileExperiment(graph.file);
    const inputs = Object.fromEntries(stagesOf(plan)[0].terms.map(({ term }) => [term.nodeId, term.inputs]));
    expect(inputs.ce).toEqual({ logits: { kind: 'logits', model: 'student', detach: false }, labels: { kind: 'labels' } });
    expect(inputs.kd).toEqual({ teacherLogits: { kind: 'logits', model: 'teacher', detach: false }, studentLogits: { kind: 'logits', model: 'student', detach: false } });
    // FitNet compares element-wise, so its student input goes through the adapter; AT does not.
    expect(inputs.hint.guided).toEqual({ kind: 'feature', model: 'student', layerId: 'conv3', adapterId: 'adapter-s-conv3', detach: false });
    expect(inputs.at.guided).toEqual({ kind: 'feature', model: 'student', layerId: 'conv3', adapterId: null, detach: false });
    expect(inputs.sp).toEqual({
      guide: { kind: 'feature', model: 'teacher', layerId: 'fc', adapterId: null, detach: false },
      guided: { kind: 'feature', model: 'student', layerId: 'fc', adapterId: null, detach: false },
    });
    expect(plan.adapters).toEqual([{ id: 'adapter-s-conv3', kind: 'conv1x1', modelId: 'student', layerId: 'conv3', inputShape: [14, 14, 4], outputShape: [14, 14, 8] }]);
    expect(tapsOf(plan, 'teacher')).toEqual(['relu3', 'fc']);
    expect(tapsOf(plan, 'student')).toEqual(['conv3', 'fc']);
    expect(tapsOf(plan, baselineIdFor('student'))).toEqual(['conv3', 'fc']);
    expect(plan.probes).toEqual({
      count: 8, temperature: 4, fsp: [],
      attention: [{ id: 'at', label: 'Attention transfer', teacher: { model: 'teacher', layerId: 'relu3' }, student: { model: 'student', layerId: 'conv3' }, p: 2 }],
      relations: [{ id: 'sp', label: 'Similarity preserving', kind: 'sp', teacher: { model: 'teacher', layerId: 'fc' }, student: { model: 'student', layerId: 'fc' }, excludeSelf: false }],
    });
    // The editor shows the adapted shape on the edge into FitNet and the raw shape into AT.
    const edgeInto = (target: string) => graph.file.edges.find((edge) => edge.source === 's-conv3' && edge.target === target);
    expect(edgeShape(graph.file, edgeInto('hint')!)).toEqual([14, 14, 8]);
    expect(edgeShape(graph.file, edgeInto('at')!)).toEqual([14, 14, 4]);
  });

  it('a dense adapter for vectors of different sizes', () => {
    const graph = baseGraph();
    graph.pairLoss('hint', 'fitnet', 'fc', 'fc');
    expect(compileExperiment(graph.file).adapters).toEqual([{ id: 'adapter-s-fc', kind: 'dense', modelId: 'student', layerId: 'fc', inputShape: [12], outputShape: [16] }]);
  });

  it('orders stages along next -> after, with schedules, and gives the baseline the total epochs', () => {
    const graph = distillGraph();
    const first = graph.add(createNode('trainer', { id: 'first' }));
    first.params = { ...first.params, stageName: 'Warm-up', epochs: 2, trainUpTo: 'conv3' };
    graph.loss('ce0', 'ce');
    graph.connect('student', 'logits', 'ce0', 'logits');
    graph.connect('dataset', 'labels', 'ce0', 'labels');
    graph.connect('ce0', 'loss', 'first', 'losses');
    graph.connect('first', 'next', 'trainer', 'after');
    const last = graph.file.nodes.find((node): node is NodeOf<'trainer'> => node.id === 'trainer')!;
    last.params = { ...last.params, stageName: 'Distil', epochs: 5, optimizer: 'sgd', learningRate: 0.05, seed: 7, weightSchedules: { kd: { kind: 'stepToZero', atEpoch: 3 } } };

    const plan = compileExperiment(graph.file);
    expect(stagesOf(plan).map((stage) => [stage.nodeId, stage.name, stage.trainUpTo, stage.settings.epochs])).toEqual([
      ['first', 'Warm-up', 'conv3', 2], ['trainer', 'Distil', null, 5],
    ]);
    expect(stagesOf(plan)[1].terms.map(({ term, schedule }) => [term.nodeId, schedule])).toEqual([
      ['ce', { kind: 'constant' }], ['kd', { kind: 'stepToZero', atEpoch: 3 }],
    ]);
    // The final stage's optimiser and budget, the first stage's seed (the student's initialisation).
    expect(stagesOf(plan).map((stage) => stage.settings.seed)).toEqual([1, 7]);
    const [baselineStage] = phaseOf(plan, 'baseline').stages;
    expect(baselineStage.settings).toEqual({ ...stagesOf(plan)[1].settings, epochs: 7, seed: 1 });
    expect(baselineStage.settings).toMatchObject({ optimizer: 'sgd', learningRate: 0.05 });
    expect(baselineStage.terms.map(({ term }) => term.nodeId)).toEqual(['ce:student/baseline']);
    // Baseline and distilled student start from the same weights.
    expect(plan.models.filter((model) => model.architecture.name === 'tiny-student').map((model) => [model.id, model.seed]))
      .toEqual([['student/baseline', 1], ['student', 1]]);
  });

  it('takes the probe temperature from the KD block, else 1', () => {
    const graph = distillGraph();
    const kd = graph.file.nodes.find((node): node is NodeOf<'loss'> => node.id === 'kd')!;
    kd.params.params.T = 12;
    expect(compileExperiment(graph.file).probes.temperature).toBe(12);
    expect(compileExperiment(baseGraph().file).probes.temperature).toBe(1);
  });
});

describe('compileExperiment: N networks', () => {
  it('plans the teacher, the baseline and the distillation of a teacher -> student pair, in that order', () => {
    const plan = compileExperiment(buildPresetExperiment('hinton-mnist.json'));
    expect(plan.phases.map((phase) => [phase.id, phase.kind, phase.trains, phase.frozen])).toEqual([
      ['teacher:teacher', 'teacher', ['teacher'], []],
      ['baseline:student', 'baseline', ['student/baseline'], []],
      ['distill:trainer', 'student', ['student'], ['teacher']],
    ]);
    expect(plan.phases[2].teachers).toEqual({ student: ['teacher'] });
    expect(plan.models.map((model) => [model.id, model.role, model.baselineOf ?? null])).toEqual([
      ['teacher', 'teacher', null], ['student/baseline', 'baseline', 'student'], ['student', 'student', null],
    ]);
    expect(plan.phases[1].label).toBe('Baseline');
  });

  it('a teacher-assistant chain: the assistant learns first and teaches the student frozen', () => {
    const plan = compileExperiment(teacherAssistantStudentExperiment());
    expect(plan.phases.map((phase) => [phase.id, phase.trains, phase.frozen])).toEqual([
      ['teacher:teacher', ['teacher'], []],
      ['distill:trainer-assistant', ['assistant'], ['teacher']],
      ['baseline:student', ['student/baseline'], []],
      ['distill:trainer-student', ['student'], ['assistant']],
    ]);
    const kd = plan.phases[3].stages[0].terms.find(({ term }) => term.lossId === 'kd')!.term;
    expect(kd.inputs.teacherLogits).toEqual({ kind: 'logits', model: 'assistant', detach: false });
    // The assistant has no baseline of its own (its gain is not the experiment's question).
    expect(plan.models.filter((model) => model.role === 'baseline').map((model) => model.id)).toEqual(['student/baseline']);
  });

  it('mutual learning: one phase trains both peers; each reads the other as a detached target; seeds differ', () => {
    const plan = compileExperiment(mutualLearningExperiment());
    const dml = plan.phases.find((phase) => phase.kind === 'student')!;
    expect([dml.trains, dml.frozen, dml.teachers]).toEqual([['peer1', 'peer2'], [], { peer1: ['peer2'], peer2: ['peer1'] }]);
    const kd = dml.stages[0].terms.find(({ term }) => term.nodeId === 'kd-peer1')!.term;
    expect(kd.inputs).toEqual({
      teacherLogits: { kind: 'logits', model: 'peer2', detach: true },
      studentLogits: { kind: 'logits', model: 'peer1', detach: false },
    });
    const seeds = Object.fromEntries(plan.models.map((model) => [model.id, model.seed]));
    expect(seeds['peer2']).toBe(seeds['peer1'] + LEARNER_SEED_STRIDE);
    expect(seeds['peer1/baseline']).toBe(seeds['peer1']);
    expect(plan.phases.filter((phase) => phase.kind === 'baseline').map((phase) => [phase.label, phase.trains])).toEqual([
      ['Peer 1 baseline', ['peer1/baseline']], ['Peer 2 baseline', ['peer2/baseline']],
    ]);
    expect(plan.phases.some((phase) => phase.kind === 'teacher')).toBe(false);
  });
});

describe('teacher cache key', () => {
  const plan = compileExperiment(buildPresetExperiment('hinton-mnist.json'));
  const { architecture } = plan.models[0];
  const { settings } = teacherPhase(plan).stages[0];
  const keyOf = (compiled: TrainingPlan): string => teacherPhase(compiled).cacheKey!;

  it('is FNV-1a 64 of canonical JSON (checked against the published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(keyOf(plan)).toMatch(/^teacher-[0-9a-f]{16}$/);
  });

  it('is stable: same content in another key order or a rebuilt preset gives the same key', () => {
    expect(keyOf(compileExperiment(buildPresetExperiment('hinton-mnist.json')))).toBe(keyOf(plan));
    const reordered = Object.fromEntries(Object.entries(settings).reverse()) as typeof settings;
    // The quick preset's teacher is the shared one: all the images, not the students' subset, shifted up to 2 px.
    const teacherData = { ...plan.dataset, trainSubset: null, augmentShift: 2 };
    expect(teacherCacheKey(architecture, reordered, teacherData)).toBe(keyOf(plan));
    expect(teacherCacheKey({ ...architecture, name: 'renamed' }, settings, teacherData)).toBe(keyOf(plan));
  });

  it('changes with the teacher architecture, its training and the data, not with the student', () => {
    const keys = new Set([
      keyOf(plan),
      teacherCacheKey(tinyTeacher, settings, plan.dataset),
      teacherCacheKey({ ...architecture, layers: architecture.layers.slice(0, -1).concat({ kind: 'dense', id: 'logits', units: 11 }) }, settings, plan.dataset),
      teacherCacheKey(architecture, { ...settings, seed: settings.seed + 1 }, plan.dataset),
      teacherCacheKey(architecture, { ...settings, epochs: settings.epochs + 1 }, plan.dataset),
      teacherCacheKey(architecture, settings, { ...plan.dataset, trainSubset: 20_000 }),
      teacherCacheKey(architecture, settings, { ...plan.dataset, augmentShift: 2 }),
    ]);
    expect(keys.size).toBe(7);
    const otherStudent = buildPresetExperiment('hinton-mnist.json');
    const student = otherStudent.nodes.find((node): node is NodeOf<'model'> => node.id === 'student')!;
    student.params.architecture = buildPresetExperiment('article-mnist.json').nodes
      .find((node): node is NodeOf<'model'> => node.id === 'student')!.params.architecture;
    expect(keyOf(compileExperiment(otherStudent))).toBe(keyOf(plan));
  });

  it("follows the shift the teacher trains with: the dataset's unless the teacher sets its own", () => {
    const variant = (datasetShift: number, teacherShift?: number) => {
      const experiment = buildPresetExperiment('hinton-mnist.json');
      for (const node of experiment.nodes) {
        if (node.kind === 'dataset') node.params.augmentShift = datasetShift;
        if (node.kind === 'model' && node.params.teacherTraining) {
          // The preset's teacher sets its own shift (2 px): replaced by the variant's, or removed.
          const { augmentShift: _preset, ...training } = node.params.teacherTraining;
          node.params.teacherTraining = teacherShift === undefined ? training : { ...training, augmentShift: teacherShift };
        }
      }
      return compileExperiment(experiment);
    };
    expect(teacherPhase(variant(0)).augmentShift).toBe(0);
    expect(teacherPhase(variant(1)).augmentShift).toBe(1);
    expect(teacherPhase(variant(1, 2)).augmentShift).toBe(2);
    expect(teacherPhase(variant(1, 0)).augmentShift).toBe(0);
    // Only the dataset's shift reaches the students; the teacher's settings keep no extra field.
    expect(variant(0, 2).dataset.augmentShift).toBe(0);
    expect(teacherPhase(variant(0, 2)).stages[0].settings).toEqual(teacherPhase(variant(0)).stages[0].settings);
    // Same teacher training = same key, wherever the shift is set; another shift = another key.
    expect(keyOf(variant(0, 2))).toBe(keyOf(variant(2)));
    expect(keyOf(variant(3, 0))).toBe(keyOf(variant(0)));
    expect(keyOf(variant(0, 2))).not.toBe(keyOf(variant(0)));
    // Without the field the key is the one of the dataset's shift (files from before the field keep their cached teachers).
    expect(keyOf(variant(0))).toBe(teacherCacheKey(architecture, settings, { ...plan.dataset, trainSubset: null, augmentShift: 0 }));
    expect(keyOf(variant(0, 2))).toBe(keyOf(plan));
  });

  it("follows the images the teacher trains on: the dataset's subset unless the teacher sets its own", () => {
    const variant = (datasetSubset: number | null, teacherSubset?: number | null) => {
      const experiment = buildPresetExperiment('hinton-mnist.json');
      for (const node of experiment.nodes) {
        if (node.kind === 'dataset') node.params.trainSubset = datasetSubset;
        if (node.kind === 'model' && node.params.teacherTraining) {
          const { trainSubset: _quick, ...settings } = node.params.teacherTraining;
          node.params.teacherTraining = teacherSubset === undefined ? settings : { ...settings, trainSubset: teacherSubset };
        }
      }
      return compileExperiment(experiment);
    };
    // The quick preset: students on 10,000 images, the teacher on all of them (its phase says so).
    expect(plan.dataset.trainSubset).toBe(10_000);
    expect(teacherPhase(plan).trainSubset).toBeNull();
    expect(keyOf(plan)).toBe(keyOf(variant(10_000, null)));
    // The teacher's subset decides its key, wherever it is set; the phase carries it only when it differs.
    expect(keyOf(variant(10_000, null))).toBe(keyOf(variant(null)));
    expect(teacherPhase(variant(null)).trainSubset).toBeUndefined();
    expect(teacherPhase(variant(null, null)).trainSubset).toBeUndefined();
    expect(keyOf(variant(5_000, 20_000))).toBe(keyOf(variant(20_000)));
    expect(teacherPhase(variant(5_000, 20_000)).trainSubset).toBe(20_000);
    expect(keyOf(variant(10_000))).not.toBe(keyOf(plan));
    // Students and baselines keep the dataset's subset: no other phase carries one.
    expect(variant(5_000, 20_000).phases.filter((phase) => phase.trainSubset !== undefined).map((phase) => phase.kind)).toEqual(['teacher']);
    // The teacher's settings keep no extra field.
    expect(teacherPhase(plan).stages[0].settings).toEqual(teacherPhase(variant(null)).stages[0].settings);
  });

  it("lets a teacher keep shuffled batches on a class-uniform dataset: the same key as the shuffled teacher's", () => {
    const cc = compileExperiment(buildPresetExperiment('cc-mnist.json'));
    expect(cc.dataset.sampler).toEqual({ kind: 'classUniform', samplesPerClass: 8 });
    expect(teacherPhase(cc).sampler).toEqual({ kind: 'shuffled' });
    expect(keyOf(cc)).toBe(keyOf(plan));
    expect(cc.phases.filter((phase) => phase.sampler !== undefined).map((phase) => phase.kind)).toEqual(['teacher']);
  });

  it('follows the batch sampler: class-uniform trains another teacher; shuffled, set or not, keeps the key', () => {
    const withSampler = (sampler: NodeOf<'dataset'>['params']['sampler']) => {
      const experiment = buildPresetExperiment('hinton-mnist.json');
      for (const node of experiment.nodes) if (node.kind === 'dataset') node.params.sampler = sampler;
      return compileExperiment(experiment);
    };
    expect(keyOf(withSampler({ kind: 'shuffled' }))).toBe(keyOf(plan));
    expect(keyOf(withSampler({ kind: 'classUniform', samplesPerClass: 8 }))).not.toBe(keyOf(plan));
    expect(keyOf(withSampler({ kind: 'classUniform', samplesPerClass: 8 }))).not.toBe(keyOf(withSampler({ kind: 'classUniform', samplesPerClass: 4 })));
  });

  it('follows the horizontal flip: on trains another teacher; off, set or not, keeps the key and the plan', () => {
    const withFlip = (augmentFlip: boolean | undefined) => {
      const experiment = buildPresetExperiment('hinton-mnist.json');
      for (const node of experiment.nodes) if (node.kind === 'dataset') node.params.augmentFlip = augmentFlip;
      return compileExperiment(experiment);
    };
    expect(withFlip(false)).toEqual(plan);
    expect(withFlip(true).dataset.augmentFlip).toBe(true);
    expect(keyOf(withFlip(true))).not.toBe(keyOf(plan));
  });
});

describe('compileExperiment: the batch sampler', () => {
  const compiledWith = (sampler?: NodeOf<'dataset'>['params']['sampler']) => {
    const experiment = buildPresetExperiment('hinton-mnist.json');
    for (const node of experiment.nodes) if (node.kind === 'dataset' && sampler) node.params.sampler = sampler;
    return compileExperiment(experiment);
  };

  it("carries class-uniform sampling in the plan's dataset, for every phase to read", () => {
    expect(compiledWith({ kind: 'classUniform', samplesPerClass: 8 }).dataset.sampler).toEqual({ kind: 'classUniform', samplesPerClass: 8 });
  });

  it('leaves shuffled out, so the plan is the one compiled before the option existed', () => {
    const before = compiledWith();
    expect('sampler' in before.dataset).toBe(false);
    expect(compiledWith({ kind: 'shuffled' })).toEqual(before);
  });
});

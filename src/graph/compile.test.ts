import { describe, expect, it } from 'vitest';
import { compileExperiment, GraphCompileError, teacherCacheKey } from './compile';
import { canonicalJson, fnv1a64 } from './contentHash';
import { createNode, defaultTrainerSettings, freshId, trainerSettings } from './factory';
import { portsOf } from './nodeKinds';
import { edgeShape, resolveAdapter } from './shapes';
import { buildPresetExperiment } from './presetExperiments';
import { baseGraph, tinyTeacher } from './testFixtures';
import type { NodeOf } from './schema';

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
    const inputs = Object.fromEntries(plan.stages[0].terms.map(({ term }) => [term.nodeId, term.inputs]));
    expect(inputs.ce).toEqual({ logits: { kind: 'logits', side: 'student' }, labels: { kind: 'labels' } });
    expect(inputs.kd).toEqual({ teacherLogits: { kind: 'logits', side: 'teacher' }, studentLogits: { kind: 'logits', side: 'student' } });
    // FitNet compares element-wise, so its student input goes through the adapter; AT does not.
    expect(inputs.hint.guided).toEqual({ kind: 'feature', side: 'student', layerId: 'conv3', adapterId: 'adapter-s-conv3' });
    expect(inputs.at.guided).toEqual({ kind: 'feature', side: 'student', layerId: 'conv3', adapterId: null });
    expect(inputs.sp).toEqual({
      guide: { kind: 'feature', side: 'teacher', layerId: 'fc', adapterId: null },
      guided: { kind: 'feature', side: 'student', layerId: 'fc', adapterId: null },
    });
    expect(plan.adapters).toEqual([{ id: 'adapter-s-conv3', kind: 'conv1x1', studentLayerId: 'conv3', inputShape: [14, 14, 4], outputShape: [14, 14, 8] }]);
    expect(plan.teacherTaps).toEqual(['relu3', 'fc']);
    expect(plan.studentTaps).toEqual(['conv3', 'fc']);
    expect(plan.probes).toEqual({
      count: 8, temperature: 4, fsp: [],
      attention: [{ id: 'at', label: 'Attention transfer', teacherLayerId: 'relu3', studentLayerId: 'conv3', p: 2 }],
    });
    // The editor shows the adapted shape on the edge into FitNet and the raw shape into AT.
    const edgeInto = (target: string) => graph.file.edges.find((edge) => edge.source === 's-conv3' && edge.target === target);
    expect(edgeShape(graph.file, edgeInto('hint')!)).toEqual([14, 14, 8]);
    expect(edgeShape(graph.file, edgeInto('at')!)).toEqual([14, 14, 4]);
  });

  it('a dense adapter for vectors of different sizes', () => {
    const graph = baseGraph();
    graph.pairLoss('hint', 'fitnet', 'fc', 'fc');
    expect(compileExperiment(graph.file).adapters).toEqual([{ id: 'adapter-s-fc', kind: 'dense', studentLayerId: 'fc', inputShape: [12], outputShape: [16] }]);
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
    expect(plan.stages.map((stage) => [stage.nodeId, stage.name, stage.trainUpTo, stage.settings.epochs])).toEqual([
      ['first', 'Warm-up', 'conv3', 2], ['trainer', 'Distil', null, 5],
    ]);
    expect(plan.stages[1].terms.map(({ term, schedule }) => [term.nodeId, schedule])).toEqual([
      ['ce', { kind: 'constant' }], ['kd', { kind: 'stepToZero', atEpoch: 3 }],
    ]);
    // The final stage's optimiser and budget, the first stage's seed (the student's initialisation).
    expect(plan.stages.map((stage) => stage.settings.seed)).toEqual([1, 7]);
    expect(plan.baseline).toEqual({ ...plan.stages[1].settings, epochs: 7, seed: 1 });
    expect(plan.baseline).toMatchObject({ optimizer: 'sgd', learningRate: 0.05 });
  });

  it('takes the probe temperature from the KD block, else 1', () => {
    const graph = distillGraph();
    const kd = graph.file.nodes.find((node): node is NodeOf<'loss'> => node.id === 'kd')!;
    kd.params.params.T = 12;
    expect(compileExperiment(graph.file).probes.temperature).toBe(12);
    expect(compileExperiment(baseGraph().file).probes.temperature).toBe(1);
  });
});

describe('teacher cache key', () => {
  const plan = compileExperiment(buildPresetExperiment('hinton-mnist.json'));
  const { architecture, settings } = plan.teacher;

  it('is FNV-1a 64 of canonical JSON (checked against the published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(plan.teacher.cacheKey).toMatch(/^teacher-[0-9a-f]{16}$/);
  });

  it('is stable: same content in another key order or a rebuilt preset gives the same key', () => {
    expect(compileExperiment(buildPresetExperiment('hinton-mnist.json')).teacher.cacheKey).toBe(plan.teacher.cacheKey);
    const reordered = Object.fromEntries(Object.entries(settings).reverse()) as typeof settings;
    expect(teacherCacheKey(architecture, reordered, plan.dataset)).toBe(plan.teacher.cacheKey);
    expect(teacherCacheKey({ ...architecture, name: 'renamed' }, settings, plan.dataset)).toBe(plan.teacher.cacheKey);
  });

  it('changes with the teacher architecture, its training and the data, not with the student', () => {
    const keys = new Set([
      plan.teacher.cacheKey,
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
    expect(compileExperiment(otherStudent).teacher.cacheKey).toBe(plan.teacher.cacheKey);
  });

  it("follows the shift the teacher trains with: the dataset's unless the teacher sets its own", () => {
    const variant = (datasetShift: number, teacherShift?: number) => {
      const experiment = buildPresetExperiment('hinton-mnist.json');
      for (const node of experiment.nodes) {
        if (node.kind === 'dataset') node.params.augmentShift = datasetShift;
        if (node.kind === 'model' && node.params.teacherTraining && teacherShift !== undefined) {
          node.params.teacherTraining.augmentShift = teacherShift;
        }
      }
      return compileExperiment(experiment);
    };
    expect(variant(0).teacher.augmentShift).toBe(0);
    expect(variant(1).teacher.augmentShift).toBe(1);
    expect(variant(1, 2).teacher.augmentShift).toBe(2);
    expect(variant(1, 0).teacher.augmentShift).toBe(0);
    // Only the dataset's shift reaches the students; the teacher's settings keep no extra field.
    expect(variant(0, 2).dataset.augmentShift).toBe(0);
    expect(variant(0, 2).teacher.settings).toEqual(variant(0).teacher.settings);
    // Same teacher training = same key, wherever the shift is set; another shift = another key.
    expect(variant(0, 2).teacher.cacheKey).toBe(variant(2).teacher.cacheKey);
    expect(variant(3, 0).teacher.cacheKey).toBe(variant(0).teacher.cacheKey);
    expect(variant(0, 2).teacher.cacheKey).not.toBe(variant(0).teacher.cacheKey);
    // Unchanged for files without the field (existing cached teachers stay valid).
    expect(variant(0).teacher.cacheKey).toBe(plan.teacher.cacheKey);
  });
});

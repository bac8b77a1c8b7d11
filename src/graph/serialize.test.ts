import { describe, expect, it } from 'vitest';
import { ExperimentFileError, migrateToCurrent, migrations, parseExperiment, serializeExperiment, type Migration } from './serialize';
import { buildPresetExperiment } from './presetExperiments';
import { SCHEMA_VERSION } from './schema';

/** A preset as plain JSON that tests can break in one place. */
function rawPreset(): Record<string, unknown> & { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] } {
  return JSON.parse(serializeExperiment(buildPresetExperiment('hinton-mnist.json')));
}

function messageOf(input: unknown): string {
  try {
    parseExperiment(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentFileError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be rejected');
}

const nodeIndex = (raw: ReturnType<typeof rawPreset>, id: string): number => raw.nodes.findIndex((node) => node.id === id);

describe('parseExperiment rejects malformed files with the path of the problem', () => {
  it('text that is not JSON', () => {
    expect(messageOf('{"schemaVersion": 1,')).toMatch(/^The file is not valid JSON \(.+\); open an experiment \.json file/);
  });

  it('a value that is not an object', () => {
    expect(messageOf('[1, 2]')).toBe('The experiment file must be an object (got an array).');
  });

  it('a missing or newer schema version', () => {
    const raw = rawPreset();
    delete raw.schemaVersion;
    expect(messageOf(raw)).toBe('schemaVersion is missing: this is not a studio experiment file.');
    expect(messageOf({ ...rawPreset(), schemaVersion: 99 })).toBe(
      `schemaVersion is 99, newer than this studio understands (${SCHEMA_VERSION}): update the studio to open this file.`);
    expect(messageOf({ ...rawPreset(), schemaVersion: '1' })).toBe('schemaVersion must be a number (got "1").');
  });

  it('missing fields', () => {
    const { edges: _edges, ...withoutEdges } = rawPreset();
    expect(messageOf(withoutEdges)).toBe('edges is missing.');
    const noLabel = rawPreset();
    delete noLabel.nodes[2].label;
    expect(messageOf(noLabel)).toBe('nodes[2].label is missing.');
  });

  it('a fraction in a whole-number loss parameter (a count or an order, e.g. TSD\'s K)', () => {
    const raw = rawPreset();
    const kd = nodeIndex(raw, 'kd');
    const params = raw.nodes[kd].params as { lossId: string; params: Record<string, number> };
    params.lossId = 'tsd';
    params.params = { K: 2.5 };
    expect(messageOf(raw)).toBe(`nodes[${kd}].params.params.K must be a whole number (got 2.5).`);
  });

  it('wrong types, with the full path', () => {
    const raw = rawPreset();
    const kd = nodeIndex(raw, 'kd');
    (raw.nodes[kd].params as Record<string, unknown>).weight = 'heavy';
    expect(messageOf(raw)).toBe(`nodes[${kd}].params.weight must be a number (got "heavy").`);

    const flip = rawPreset();
    const dataset = nodeIndex(flip, 'dataset');
    (flip.nodes[dataset].params as Record<string, unknown>).augmentFlip = 'yes';
    expect(messageOf(flip)).toMatch(new RegExp(`^nodes\\[${dataset}\\]\\.params\\.augmentFlip must be (true or false|a boolean)`));
    (flip.nodes[dataset].params as Record<string, unknown>).augmentFlip = true;
    expect(parseExperiment(JSON.stringify(flip)).nodes[dataset].params).toMatchObject({ augmentFlip: true });

    const position = rawPreset();
    (position.nodes[0].position as Record<string, unknown>).x = null;
    expect(messageOf(position)).toBe('nodes[0].position.x must be a number (got null).');

    const layer = rawPreset();
    const teacher = nodeIndex(layer, 'teacher');
    const architecture = (layer.nodes[teacher].params as { architecture: { layers: Record<string, unknown>[] } }).architecture;
    architecture.layers[2].units = 12.5;
    expect(messageOf(layer)).toBe(`nodes[${teacher}].params.architecture.layers[2].units must be a whole number (got 12.5).`);
    architecture.layers[3].units = 12;
    expect(messageOf(layer)).toBe(`nodes[${teacher}].params.architecture.layers[2].units must be a whole number (got 12.5).`);
    architecture.layers[2].units = 12;
    expect(messageOf(layer)).toBe(`nodes[${teacher}].params.architecture.layers[3].units is not a known field (expected: kind, id, from).`);
  });

  it('out-of-range and unknown parameters', () => {
    const raw = rawPreset();
    const kd = nodeIndex(raw, 'kd');
    (raw.nodes[kd].params as { params: Record<string, unknown> }).params.T = 500;
    expect(messageOf(raw)).toBe(`nodes[${kd}].params.params.T must be at most 50 (got 500).`);

    const typo = rawPreset();
    const trainer = nodeIndex(typo, 'trainer');
    (typo.nodes[trainer].params as Record<string, unknown>).learningrate = 0.1;
    expect(messageOf(typo)).toMatch(new RegExp(`^nodes\\[${trainer}\\]\\.params\\.learningrate is not a known field \\(expected: stageName, optimizer, learningRate`));
  });

  it("the teacher's own augmentation shift: optional, a whole number of pixels from 0 to 8", () => {
    const withShift = (value: unknown) => {
      const raw = rawPreset();
      const teacher = nodeIndex(raw, 'teacher');
      (raw.nodes[teacher].params as { teacherTraining: Record<string, unknown> }).teacherTraining.augmentShift = value;
      return { raw, path: `nodes[${teacher}].params.teacherTraining.augmentShift` };
    };
    const valid = withShift(2);
    const teacher = parseExperiment(valid.raw).nodes.find((node) => node.id === 'teacher');
    expect(teacher?.kind === 'model' && teacher.params.teacherTraining?.augmentShift).toBe(2);
    const unshifted = rawPreset();
    delete (unshifted.nodes[nodeIndex(unshifted, 'teacher')].params as { teacherTraining: Record<string, unknown> }).teacherTraining.augmentShift;
    const withoutShift = parseExperiment(unshifted).nodes.find((node) => node.id === 'teacher');
    expect(withoutShift?.kind === 'model' && 'augmentShift' in withoutShift.params.teacherTraining!).toBe(false);
    for (const [value, reason] of [[9, 'must be at most 8 (got 9).'], [-1, 'must be at least 0 (got -1).'],
      [1.5, 'must be a whole number (got 1.5).'], ['2', 'must be a number (got "2").']] as const) {
      const broken = withShift(value);
      expect(messageOf(broken.raw)).toBe(`${broken.path} ${reason}`);
    }
  });

  it("the teacher's own training images and sampler: optional; all (null) or a whole number; a known sampler", () => {
    const withTeacherData = (key: 'trainSubset' | 'sampler', value: unknown) => {
      const raw = rawPreset();
      const teacher = nodeIndex(raw, 'teacher');
      (raw.nodes[teacher].params as { teacherTraining: Record<string, unknown> }).teacherTraining[key] = value;
      return { raw, path: `nodes[${teacher}].params.teacherTraining.${key}` };
    };
    const teacherOf = (raw: unknown) => {
      const node = parseExperiment(raw).nodes.find((candidate) => candidate.id === 'teacher');
      return node?.kind === 'model' ? node.params.teacherTraining : undefined;
    };
    expect(teacherOf(withTeacherData('trainSubset', null).raw)?.trainSubset).toBeNull();
    expect(teacherOf(withTeacherData('trainSubset', 20_000).raw)?.trainSubset).toBe(20_000);
    expect(teacherOf(withTeacherData('sampler', { kind: 'shuffled' }).raw)?.sampler).toEqual({ kind: 'shuffled' });
    const raw = rawPreset();
    delete (raw.nodes[nodeIndex(raw, 'teacher')].params as { teacherTraining: Record<string, unknown> }).teacherTraining.trainSubset;
    expect('trainSubset' in teacherOf(raw)!).toBe(false);
    for (const [key, value, reason] of [
      ['trainSubset', 0, 'must be at least 1 (got 0).'], ['trainSubset', 2.5, 'must be a whole number (got 2.5).'],
      ['trainSubset', 'all', 'must be a number (got "all").'],
    ] as const) {
      const broken = withTeacherData(key, value);
      expect(messageOf(broken.raw)).toBe(`${broken.path} ${reason}`);
    }
    const badSampler = withTeacherData('sampler', { kind: 'random' });
    expect(messageOf(badSampler.raw)).toMatch(new RegExp(`^${badSampler.path.replace(/[[\].]/g, '\\$&')}\\.kind `));
  });

  it('unknown node kinds and loss ids', () => {
    const kind = rawPreset();
    kind.nodes[0].kind = 'database';
    expect(messageOf(kind)).toBe(
      'nodes[0].kind must be one of \'dataset\', \'model\', \'guide\', \'guided\', \'head\', \'ensemble\', \'loss\', \'trainer\', \'export\' (got "database").');

    const loss = rawPreset();
    const kd = nodeIndex(loss, 'kd');
    (loss.nodes[kd].params as Record<string, unknown>).lossId = 'magic';
    expect(messageOf(loss)).toMatch(new RegExp(`^nodes\\[${kd}\\]\\.params\\.lossId must be one of 'ce', 'kd', .+ \\(got "magic"\\)\\.$`));
  });

  it('dangling edges and ports that do not exist', () => {
    const raw = rawPreset();
    raw.edges[1].target = 'ghost';
    expect(messageOf(raw)).toBe('edges[1].target refers to node \'ghost\', which is not in the file.');

    const port = rawPreset();
    port.edges[0].targetPort = 'pixels';
    expect(messageOf(port)).toBe('edges[0].targetPort \'pixels\' is not an input port of model node \'teacher\'.');

    const direction = rawPreset();
    direction.edges[0].sourcePort = 'logits';
    direction.edges[0].source = 'student';
    direction.edges[0].target = 'dataset';
    direction.edges[0].targetPort = 'images';
    expect(messageOf(direction)).toBe('edges[0].targetPort \'images\' is not an input port of dataset node \'dataset\'.');
  });

  it('duplicate node ids', () => {
    const raw = rawPreset();
    raw.nodes[1].id = raw.nodes[0].id;
    expect(messageOf(raw)).toBe('nodes[1].id \'dataset\' is used by two nodes; node ids must be unique.');
  });

  it('never half-loads: the error carries the path and nothing is returned', () => {
    const raw = rawPreset();
    raw.nodes[raw.nodes.length - 1].position = { x: 1 };
    expect(() => parseExperiment(raw)).toThrowError(ExperimentFileError);
    try {
      parseExperiment(raw);
    } catch (error) {
      expect((error as ExperimentFileError).path).toBe(`nodes[${raw.nodes.length - 1}].position.y`);
    }
  });
});

describe('the dataset batch sampler', () => {
  const withSampler = (sampler: unknown) => {
    const raw = rawPreset();
    const dataset = nodeIndex(raw, 'dataset');
    (raw.nodes[dataset].params as Record<string, unknown>).sampler = sampler;
    return { raw, path: `nodes[${dataset}].params.sampler` };
  };
  const datasetOf = (input: unknown) => parseExperiment(input).nodes.find((node) => node.kind === 'dataset')!;

  it('is optional: a file without it loads and saves byte for byte as before', () => {
    const text = serializeExperiment(buildPresetExperiment('hinton-mnist.json'));
    expect(text).not.toContain('sampler');
    expect('sampler' in datasetOf(text).params).toBe(false);
    expect(serializeExperiment(parseExperiment(text))).toBe(text);
  });

  it('round-trips class-uniform and an explicit shuffled', () => {
    for (const sampler of [{ kind: 'classUniform', samplesPerClass: 4 }, { kind: 'shuffled' }]) {
      const parsed = parseExperiment(withSampler(sampler).raw);
      expect(datasetOf(parsed).params).toMatchObject({ sampler });
      expect(parseExperiment(serializeExperiment(parsed))).toEqual(parsed);
    }
  });

  it('refuses unknown kinds, a bad k and a k without class-uniform, with the path', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'balanced' }, `.kind must be one of 'shuffled', 'classUniform' (got "balanced").`],
      [{ kind: 'classUniform' }, '.samplesPerClass is missing.'],
      [{ kind: 'classUniform', samplesPerClass: 0 }, '.samplesPerClass must be at least 1 (got 0).'],
      [{ kind: 'classUniform', samplesPerClass: 2.5 }, '.samplesPerClass must be a whole number (got 2.5).'],
      [{ kind: 'shuffled', samplesPerClass: 4 }, '.samplesPerClass is not a known field (expected: kind).'],
      ['classUniform', ' must be an object (got "classUniform").'],
    ];
    for (const [sampler, reason] of cases) {
      const { raw, path } = withSampler(sampler);
      expect(messageOf(raw)).toBe(`${path}${reason}`);
    }
  });
});

describe('weight schedules', () => {
  const withSchedule = (schedule: unknown) => {
    const raw = rawPreset();
    const trainer = raw.nodes.find((node) => node.kind === 'trainer') as { params: Record<string, unknown> };
    trainer.params.weightSchedules = { kd: schedule };
    return raw;
  };

  it('a linear warm-up round-trips, and a warm-up of 0 epochs is refused with its path', () => {
    const parsed = parseExperiment(JSON.stringify(withSchedule({ kind: 'linearWarmup', epochs: 20 })));
    const trainer = parsed.nodes.find((node) => node.kind === 'trainer');
    expect(trainer?.kind === 'trainer' && trainer.params.weightSchedules.kd).toEqual({ kind: 'linearWarmup', epochs: 20 });
    expect(parseExperiment(serializeExperiment(parsed))).toEqual(parsed);
    expect(messageOf(withSchedule({ kind: 'linearWarmup', epochs: 0 }))).toMatch(/weightSchedules\.kd\.epochs must be/);
  });
});

describe('migrations', () => {
  it('the built-in table is empty at schema version 1 (no older published format exists)', () => {
    expect(SCHEMA_VERSION).toBe(1);
    expect(migrations).toEqual([]);
  });

  it('applies a table step by step and re-checks the migrated file', () => {
    // A synthetic version 0 that called the experiment "title" and had no description.
    const fromZero: Migration = {
      from: 0,
      description: 'rename title to name; add description',
      migrate: ({ title, ...rest }) => ({ ...rest, name: title, description: '' }),
    };
    const current = rawPreset();
    const { name, description: _description, ...rest } = current;
    const versionZero = { ...rest, schemaVersion: 0, title: name };

    const parsed = parseExperiment(JSON.stringify(versionZero), { migrations: [fromZero] });
    expect(parsed).toEqual({ ...parseExperiment(current), description: '' });
    expect(migrateToCurrent(versionZero, [fromZero]).schemaVersion).toBe(1);
    // The caller's object is not modified.
    expect(versionZero.title).toBe(name);
  });

  it('refuses a version no migration leads from', () => {
    expect(messageOf({ ...rawPreset(), schemaVersion: 0 })).toBe(
      'schemaVersion is 0, and no migration leads from it to version 1: this file cannot be opened.');
  });

  it('a migration producing an invalid file is rejected like any other file', () => {
    const broken: Migration = { from: 0, description: 'drops the nodes', migrate: ({ nodes: _nodes, ...rest }) => rest };
    expect(() => parseExperiment({ ...rawPreset(), schemaVersion: 0 }, { migrations: [broken] })).toThrowError('nodes is missing.');
  });
});

describe('serializeExperiment', () => {
  it("round-trips the teacher's own augmentation shift", () => {
    const experiment = buildPresetExperiment('hinton-mnist.json');
    const teacher = experiment.nodes.find((node) => node.id === 'teacher');
    if (teacher?.kind !== 'model' || !teacher.params.teacherTraining) throw new Error('preset has no teacher training');
    teacher.params.teacherTraining.augmentShift = 3;
    expect(parseExperiment(serializeExperiment(experiment))).toEqual(experiment);
  });

  it("round-trips the teacher's own training subset and sampler", () => {
    const experiment = buildPresetExperiment('cc-mnist.json');
    const teacher = experiment.nodes.find((node) => node.id === 'teacher');
    if (teacher?.kind !== 'model' || !teacher.params.teacherTraining) throw new Error('preset has no teacher training');
    expect(teacher.params.teacherTraining).toMatchObject({ trainSubset: null, sampler: { kind: 'shuffled' } });
    expect(parseExperiment(serializeExperiment(experiment))).toEqual(experiment);
    teacher.params.teacherTraining.trainSubset = 30_000;
    expect(parseExperiment(serializeExperiment(experiment))).toEqual(experiment);
  });

  it('writes stable, pretty JSON in schema key order regardless of input key order', () => {
    const experiment = buildPresetExperiment('article-mnist.json');
    const reordered = {
      edges: experiment.edges, nodes: experiment.nodes.map((node) => ({ params: node.params, position: node.position, label: node.label, kind: node.kind, id: node.id })),
      description: experiment.description, name: experiment.name, schemaVersion: experiment.schemaVersion,
    } as typeof experiment;
    const text = serializeExperiment(experiment);
    expect(serializeExperiment(reordered)).toBe(text);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "name": ')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('refuses to write a file that could not be opened again', () => {
    const experiment = buildPresetExperiment('article-mnist.json');
    const kd = experiment.nodes.find((node) => node.id === 'kd');
    if (kd?.kind !== 'loss') throw new Error('preset has no kd node');
    kd.params.weight = Number.NaN;
    expect(() => serializeExperiment(experiment)).toThrowError(/params\.weight must be a number \(got NaN\)/);
  });
});

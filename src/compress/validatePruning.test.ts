import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../graph/compile';
import { buildPresetExperiment } from '../graph/presetExperiments';
import type { ExperimentFile, NodeOf } from '../graph/schema';
import { parseExperiment, serializeExperiment } from '../graph/serialize';
import { validateGraph } from '../graph/validate';
import { projectConfig } from '../export/pytorch/project';
import { DEFAULT_PRUNING } from './types';

/** Pruning settings through the file reader, the validator and the compiler. */

const trainer = (file: ExperimentFile): NodeOf<'trainer'> => file.nodes.find((node): node is NodeOf<'trainer'> => node.kind === 'trainer')!;

describe('pruning settings in experiment files', () => {
  it('old files (no pruning) read, save and compile exactly as before', () => {
    const file = buildPresetExperiment('hinton-mnist.json');
    expect(serializeExperiment(parseExperiment(serializeExperiment(file)))).toBe(serializeExperiment(file));
    expect(compileExperiment(file).phases.flatMap((phase) => phase.stages).every((stage) => !('pruning' in stage))).toBe(true);
  });

  it('a pruning block round-trips and reaches the stage plan', () => {
    const file = buildPresetExperiment('hinton-mnist.json');
    trainer(file).params.pruning = { ...DEFAULT_PRUNING.magnitude };
    const reread = parseExperiment(serializeExperiment(file));
    expect(trainer(reread).params.pruning).toEqual(DEFAULT_PRUNING.magnitude);
    const student = compileExperiment(reread).phases.find((phase) => phase.kind === 'student')!;
    expect(student.stages[0].pruning).toEqual(DEFAULT_PRUNING.magnitude);
    // The label-only baseline is pruned as the student is (its stages, cross-entropy alone), so the gain is at equal sparsity.
    const baseline = compileExperiment(reread).phases.find((phase) => phase.kind === 'baseline')!;
    expect(baseline.stages.map((stage) => [stage.pruning, stage.settings, stage.terms.map(({ term }) => term.lossId)]))
      .toEqual(student.stages.map((stage) => [stage.pruning, stage.settings, ['ce']]));
    // The PyTorch project cannot prune, so it refuses rather than train densely.
    expect(() => projectConfig({ plan: compileExperiment(reread) })).toThrow("The PyTorch export does not prune; stage 'Distil'");
  });

  it('bad values in a file are coded problems at their path', () => {
    const file = JSON.parse(serializeExperiment(buildPresetExperiment('hinton-mnist.json'))) as { nodes: { kind: string; params: Record<string, unknown> }[] };
    const index = file.nodes.findIndex((node) => node.kind === 'trainer');
    file.nodes[index].params.pruning = { ...DEFAULT_PRUNING.magnitude, targetSparsity: -0.5 };
    expect(() => parseExperiment(file)).toThrow(`nodes[${index}].params.pruning.targetSparsity must be at least 0 (got -0.5).`);
    file.nodes[index].params.pruning = { ...DEFAULT_PRUNING.magnitude, schedule: 'cubic' };
    expect(() => parseExperiment(file)).toThrow(`nodes[${index}].params.pruning.schedule must be one of 'oneShot', 'gradual'`);
    file.nodes[index].params.pruning = { ...DEFAULT_PRUNING.magnitude, extra: 1 };
    expect(() => parseExperiment(file)).toThrow(`nodes[${index}].params.pruning.extra is not a known field`);
  });

  it('channel pruning of an MLP student is an error naming it; magnitude pruning is fine', () => {
    const file = buildPresetExperiment('hinton-mnist.json');
    trainer(file).params.pruning = { ...DEFAULT_PRUNING.channel };
    const problems = validateGraph(file).filter((problem) => problem.detail.code === 'pruningNoLayers');
    expect(problems).toHaveLength(1);
    expect(problems[0].severity).toBe('error');
    expect(problems[0].detail).toEqual({ code: 'pruningNoLayers', method: 'channel', models: ['student'] });
    expect(problems[0].message).toContain('choose magnitude pruning');
    trainer(file).params.pruning = { ...DEFAULT_PRUNING.magnitude };
    expect(validateGraph(file).filter((problem) => problem.severity === 'error')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { buildPresetExperiment } from './presetExperiments';
import { featureLayers, guidancePaths, GuidancePathError, withGuidancePairing, type GuidanceCandidate } from './guidancePaths';
import { cifarArchitecturePresets } from '../models/cifarPresets';
import { summarizeArchitecture } from '../models/shapes';
import { edgesInto, edgesOutOf, nodeById, nodesOfKind } from './queries';
import { resolveAdapter } from './shapes';
import { validateGraph } from './validate';
import { baseGraph } from './testFixtures';
import type { ExperimentFile, NodeOf } from './schema';

const errorsOf = (file: ExperimentFile) => validateGraph(file).filter((problem) => problem.severity === 'error');
const pairOf = (candidate: GuidanceCandidate): string => `${candidate.teacherLayerId}>${candidate.studentLayerId}`;
/** The layer feeding `port` of the loss in a candidate's experiment. */
const tapLayer = (file: ExperimentFile, lossId: string, port: string): string => {
  const tap = nodeById(file, edgesInto(file, lossId, port)[0].source) as NodeOf<'guide'>;
  return tap.params.layerId;
};
const trainer = (file: ExperimentFile, id: string) => nodesOfKind(file, 'trainer').find((node) => node.id === id)!;

describe('guidancePaths: FitNet', () => {
  const fitnet = buildPresetExperiment('fitnet-mnist.json');

  it('lists every pairing an adapter can map, the drawn one first, then deepest teacher and student layers', () => {
    const before = structuredClone(fitnet);
    const paths = guidancePaths(fitnet, 'hint', { maxCandidates: 100 });
    expect(fitnet).toEqual(before);
    // Equal H x W: 28x28 3 x 3, 14x14 7 x 7, 7x7 4 x 1; vectors 3 x 1 (teacher flatten, fc1, relu5 x student flatten).
    expect(paths.total).toBe(9 + 49 + 4 + 3);
    expect(paths.candidates).toHaveLength(65);
    expect(paths.rejected).toEqual([]);
    expect(paths).toMatchObject({ lossId: 'fitnet', teacherModelId: 'teacher', studentModelId: 'student' });
    expect(paths.candidates.slice(0, 6).map(pairOf)).toEqual(['relu4>pool2', 'relu5>flatten', 'fc1>flatten', 'flatten>flatten', 'bn4>pool2', 'conv4>pool2']);
    expect(paths.candidates.map((c) => c.current)).toEqual([true, ...Array(64).fill(false)]);
    // Neither the logits, nor dropout, nor the 3x3 pool3 (no student map of that size) take part.
    const teacherLayers = new Set(paths.candidates.map((c) => c.teacherLayerId));
    for (const id of ['logits', 'drop1', 'pool3']) expect(teacherLayers.has(id)).toBe(false);
    for (const candidate of paths.candidates) {
      const resolution = resolveAdapter('auto', candidate.studentShape, candidate.teacherShape);
      expect(resolution).toMatchObject({ ok: true, kind: candidate.adapter });
      expect(errorsOf(candidate.experiment)).toEqual([]);
      expect(tapLayer(candidate.experiment, 'hint', 'guide')).toBe(candidate.teacherLayerId);
      expect(tapLayer(candidate.experiment, 'hint', 'guided')).toBe(candidate.studentLayerId);
      // Stage 1 trained up to the old guided layer: it follows the new one; the KD stage trains everything.
      expect(trainer(candidate.experiment, 'stage-hints').params.trainUpTo).toBe(candidate.studentLayerId);
      expect(trainer(candidate.experiment, 'stage-kd').params.trainUpTo).toBeNull();
      expect(candidate.experiment.nodes).toHaveLength(fitnet.nodes.length);
    }
    expect(paths.candidates[1]).toMatchObject({ adapter: 'dense', teacherShape: [128], studentShape: [392] });
    expect(paths.candidates[1].experiment.nodes.find((node) => node.id === 'guided-pool2')?.label).toBe('Guided flatten');
  });

  it('caps the list (12 by default) keeping the order, and can keep one layer per block', () => {
    const all = guidancePaths(fitnet, 'hint', { maxCandidates: 100 });
    const capped = guidancePaths(fitnet, 'hint');
    expect(capped.total).toBe(65);
    expect(capped.candidates.map(pairOf)).toEqual(all.candidates.slice(0, 12).map(pairOf));
    const blocks = guidancePaths(fitnet, 'hint', { layers: 'blockOutputs', maxCandidates: 100 });
    // Teacher relu1 pool1 relu2 relu3 pool2 relu4 pool3 flatten relu5; student relu1 pool1 relu2 relu3 pool2 flatten.
    expect(blocks.total).toBe(1 + 9 + 2 + 2);
    expect(blocks.candidates.map(pairOf)).toEqual([
      'relu4>pool2', 'relu5>flatten', 'flatten>flatten', 'pool2>pool2',
      'relu3>relu3', 'relu3>relu2', 'relu3>pool1', 'relu2>relu3', 'relu2>relu2', 'relu2>pool1', 'pool1>relu3', 'pool1>relu2', 'pool1>pool1',
      'relu1>relu1',
    ]);
    expect(() => guidancePaths(fitnet, 'hint', { maxCandidates: 0 })).toThrowError('whole number');
  });

  it("keeps one layer per block of a residual or separable network by its wiring, not its list order", () => {
    const blockOutputs = (name: string): string[] => {
      const spec = cifarArchitecturePresets[name];
      return featureLayers(spec, summarizeArchitecture(spec).layers, 'blockOutputs').map((layer) => layer.id);
    };
    // The shortcut conv and its batch norm are listed between the branch's bn2 and the add; neither is a block output.
    expect(blockOutputs('resnet8')).toEqual(['relu1', 's1b1-relu1', 's1b1-out', 's2b1-relu1', 's2b1-out', 's3b1-relu1', 's3b1-out', 'pool']);
    // resnet20: a block output read by the next block's conv and its identity shortcut's add is kept.
    expect(blockOutputs('resnet20').slice(0, 5)).toEqual(['relu1', 's1b1-relu1', 's1b1-out', 's1b2-relu1', 's1b2-out']);
    // ReLU6 (an activation layer) ends a depthwise or pointwise run as ReLU does.
    expect(blockOutputs('mobilenet-student')).toEqual(['relu1', ...[1, 2, 3, 4, 5].flatMap((n) => [`sep${n}-relu1`, `sep${n}-out`]), 'pool']);
  });

  it('applies one pairing to the drawn experiment, name kept, as the search retargets it', () => {
    const applied = withGuidancePairing(fitnet, 'hint', 'relu3', 'relu2');
    const candidate = guidancePaths(fitnet, 'hint', { maxCandidates: 100 }).candidates.find((c) => pairOf(c) === 'relu3>relu2')!;
    expect(applied).toEqual({ ...candidate.experiment, name: fitnet.name });
    expect(trainer(applied, 'stage-hints').params.trainUpTo).toBe('relu2');
  });

  it("with the guided adapter 'none', keeps only pairings of equal shape", () => {
    const file = structuredClone(fitnet);
    (nodeById(file, 'guided-pool2') as NodeOf<'guided'>).params.adapter = 'none';
    (nodeById(file, 'guide-relu4') as NodeOf<'guide'>).params.layerId = 'pool2';
    const paths = guidancePaths(file, 'hint', { maxCandidates: 100 });
    expect(paths.candidates.every((c) => c.adapter === null && c.teacherShape.join() === c.studentShape.join())).toBe(true);
    expect(paths.candidates[0]).toMatchObject({ teacherLayerId: 'pool2', studentLayerId: 'pool2', current: true });
    // [14, 14, 8]: teacher pool1..relu3 (7) x student conv2..relu3 (6); [7, 7, 8]: pool2 x pool2.
    expect(paths.total).toBe(7 * 6 + 1);
  });

  it('copies a guided node other losses also read, so they keep their layer', () => {
    const graph = baseGraph();
    graph.pairLoss('hint', 'fitnet', 'relu3', 'conv3');
    graph.loss('at', 'at');
    graph.connect('g-relu3', 'feature', 'at', 'guide');
    graph.connect('s-conv3', 'feature', 'at', 'guided');
    graph.connect('at', 'loss', 'trainer', 'losses');
    expect(errorsOf(graph.file)).toEqual([]);
    const paths = guidancePaths(graph.file, 'hint', { maxCandidates: 100 });
    const moved = paths.candidates.find((c) => pairOf(c) === 'conv2>relu1')!;
    expect(moved.adapter).toBe('conv1x1');
    expect(errorsOf(moved.experiment)).toEqual([]);
    expect([tapLayer(moved.experiment, 'hint', 'guide'), tapLayer(moved.experiment, 'hint', 'guided')]).toEqual(['conv2', 'relu1']);
    expect([tapLayer(moved.experiment, 'at', 'guide'), tapLayer(moved.experiment, 'at', 'guided')]).toEqual(['relu3', 'conv3']);
    expect(edgesOutOf(moved.experiment, 's-conv3', 'feature').map((edge) => edge.target)).toEqual(['at']);
    expect(moved.experiment.nodes.length).toBe(graph.file.nodes.length + 2);
  });
});

describe('guidancePaths: attention transfer', () => {
  const at = buildPresetExperiment('cnn-mnist-at.json');

  it('pairs maps of equal H x W, or any maps with Resize on, and leaves an unrelated train-up-to alone', () => {
    const paths = guidancePaths(at, 'at', { maxCandidates: 200 });
    // Maps only: 28x28 3 x 3, 14x14 7 x 7, 7x7 4 x 1 (no vectors, no adapters).
    expect(paths.total).toBe(9 + 49 + 4);
    expect(paths.candidates[0]).toMatchObject({ teacherLayerId: 'relu1', studentLayerId: 'relu1', current: true, adapter: null });
    for (const candidate of paths.candidates) {
      expect(candidate.teacherShape.slice(0, 2)).toEqual(candidate.studentShape.slice(0, 2));
      expect(errorsOf(candidate.experiment)).toEqual([]);
      // The FSP + AT stage trains up to relu3 for FSP, not for AT's guided layer: unchanged.
      expect(trainer(candidate.experiment, 'stage-init').params.trainUpTo).toBe('relu3');
    }
    const resized = structuredClone(at);
    (nodeById(resized, 'at') as NodeOf<'loss'>).params.params.resize = 1;
    const anyMaps = guidancePaths(resized, 'at', { maxCandidates: 200 });
    // Teacher maps conv1..pool3 (15) x student maps conv1..pool2 (11).
    expect(anyMaps.total).toBe(15 * 11);
    expect(anyMaps.candidates.every((c) => errorsOf(c.experiment).length === 0)).toBe(true);
  });

  it('refuses what it cannot search, saying what to pick', () => {
    const refusal = (file: ExperimentFile, id: string): string => {
      try {
        guidancePaths(file, id);
      } catch (error) {
        expect(error).toBeInstanceOf(GuidancePathError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(at, 'fsp')).toMatch(/'FSP matrix' block; .*give the id of a FitNet or attention transfer block \(here: 'at'\)/);
    expect(refusal(at, 'kd')).toMatch(/is a 'KD.*' block/);
    expect(refusal(at, 'stage-kd')).toMatch(/is a trainer node, not a loss/);
    expect(refusal(at, 'nope')).toMatch(/no node 'nope'/);
    const loose = structuredClone(at);
    loose.edges = loose.edges.filter((edge) => !(edge.source === 'at' && edge.target === 'stage-init'));
    expect(refusal(loose, 'at')).toMatch(/in no trainer.*connect its Loss to a Trainer/);
    const broken = structuredClone(at);
    nodesOfKind(broken, 'dataset')[0].params.testSubset = 10_000_000;
    expect(refusal(broken, 'at')).toMatch(/Fix the experiment before searching/);
  });
});

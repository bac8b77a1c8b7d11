import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { GuidancePathError } from '../graph/guidancePaths';
import { createNode } from '../graph/factory';
import { TestGraph, tinyMlp } from '../graph/testFixtures';
import type { ExperimentFile } from '../graph/schema';
import type { TrainEvent } from '../protocol';
import { spread } from '../seedStatistics';
import {
  rankResults, searchGuidancePaths, searchExperiment, type GuidanceProgress, type GuidanceResult, type GuidanceRunRef, type GuidanceSearchEnv,
} from './guidanceSearch';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * MLPs (fast on the cpu backend): teacher fc [64] relu [64], student tinyMlp fc [32] relu [32], with
 * cross-entropy and a FitNet hint teacher relu -> student relu through a dense adapter; batches of 32.
 */
function hintExperiment(): ExperimentFile {
  const graph = new TestGraph();
  graph.add(createNode('dataset', { id: 'dataset' }));
  graph.model('teacher', 'teacher', { ...tinyMlp, name: 'mlp-teacher', layers: tinyMlp.layers.map((layer) => (layer.id === 'fc' ? { ...layer, units: 64 } : layer)) });
  graph.model('student', 'student', tinyMlp);
  graph.trainer('trainer', 'Hints + CE').params.batchSize = 32;
  graph.crossEntropy('ce', 'student', 'trainer');
  graph.pairLoss('hint', 'fitnet', 'relu', 'relu');
  return graph.file;
}

/** 128 training images: 4 steps a run; the teacher trains 1 epoch. */
const tiny = { trainSubset: 128, validationSize: 64, testSubset: 64, epochs: 1, teacherEpochs: 1 };

function env(extra: Partial<GuidanceSearchEnv> = {}): GuidanceSearchEnv {
  return { readAsset: nodeAssetReader(), backend: 'cpu', now: () => performance.now(), ...extra };
}

describe('searchGuidancePaths', () => {
  it('trains each pairing over the seeds with one teacher, ranks by validation accuracy and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const progress: GuidanceProgress[] = [];
    const events: { event: TrainEvent; run: GuidanceRunRef }[] = [];
    const report = await searchGuidancePaths(hintExperiment(), 'hint', { ...tiny, maxCandidates: 3, seeds: 2 }, env({
      onProgress: (p) => progress.push(p),
      onTrainEvent: (event, run) => events.push({ event, run }),
    }));
    expect(tf.memory().numTensors).toBe(before);

    expect(report).toMatchObject({ lossId: 'fitnet', candidates: 3, seeds: 2, stopped: false, teacherModelId: 'teacher', studentModelId: 'student' });
    expect(report.data).toEqual({ trainSubset: 128, validationSize: 64, testSubset: 64, epochs: 1, teacherEpochs: 1 });
    expect(report.ranked.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(report.ranked.map((r) => r.index).sort()).toEqual([0, 1, 2]);
    // The drawn pairing, then the deepest teacher layer first: relu > relu, relu > fc, fc > relu (fc > fc left out by the cap).
    const tried = [...report.ranked].sort((a, b) => a.index - b.index).map((r) => `${r.teacherLayerId}>${r.studentLayerId}:${r.adapter}`);
    expect(tried).toEqual(['relu>relu:dense', 'relu>fc:dense', 'fc>relu:dense']);
    expect(report.ranked.find((r) => r.index === 0)!.current).toBe(true);
    const means = report.ranked.map((r) => r.validation!.mean);
    expect([...means].sort((a, b) => b - a)).toEqual(means);
    for (const result of report.ranked) {
      expect(result.error).toBeNull();
      // Trainer seed 1, moved on by the offsets 0 and 1.
      expect(result.runs.map((run) => run.seed)).toEqual([1, 2]);
      expect(result.validation!.n).toBe(2);
      expect(result.validation!.mean).toBeCloseTo((result.runs[0].validationAccuracy + result.runs[1].validationAccuracy) / 2, 12);
      expect(result.withinSpreadOfBest).not.toBeNull();
    }
    expect(report.ranked[0].withinSpreadOfBest).toBe(true);
    expect(report.teacher!.testAccuracy).toBeGreaterThan(0);

    // Trained in the first run only, restored in the five others; no baseline anywhere.
    const teacherSteps = events.filter(({ event }) => event.type === 'step' && event.kind === 'teacher');
    expect(teacherSteps.length).toBeGreaterThan(0);
    expect(teacherSteps.every(({ run }) => run.index === 0 && run.seedOffset === 0)).toBe(true);
    const teacherDone = events.flatMap(({ event }) => (event.type === 'phaseDone' && event.kind === 'teacher' ? [event.fromCache] : []));
    expect(teacherDone).toEqual([false, true, true, true, true, true]);
    expect(events.some(({ event }) => event.type === 'phaseDone' && event.kind === 'baseline')).toBe(false);

    expect(progress.map((p) => (p.type === 'run' ? `run ${p.index}.${p.seedOffset}/${p.total}` : `done ${p.index}/${p.total}`))).toEqual([
      'run 0.0/3', 'run 0.1/3', 'done 0/3', 'run 1.0/3', 'run 1.1/3', 'done 1/3', 'run 2.0/3', 'run 2.1/3', 'done 2/3',
    ]);
    expect(report.notes.join('\n')).toMatch(/No baseline was trained/);
    expect(report.notes.join('\n')).toMatch(/Differences within the seed spread .* mean nothing/);
    expect(report.notes.join('\n')).toMatch(/4 pairings fit the loss and the first 3 were tried/);
  });

  it('stops mid-run when asked, ranking only the pairings that finished', async () => {
    const before = tf.memory().numTensors;
    let stop = false;
    const report = await searchGuidancePaths(hintExperiment(), 'hint', { ...tiny, maxCandidates: 3 }, env({
      shouldStop: () => stop,
      onTrainEvent: (event, run) => {
        if (run.index === 1 && event.type === 'step') stop = true;
      },
    }));
    expect(tf.memory().numTensors).toBe(before);
    expect(report.stopped).toBe(true);
    expect(report.ranked.map((r) => [r.index, r.runs.length])).toEqual([[0, 1]]);
    expect(report.ranked[0].withinSpreadOfBest).toBeNull();
    expect(report.notes.join('\n')).toMatch(/One run per pairing, so the seed-to-seed spread is unknown/);
    expect(report.notes.join('\n')).toMatch(/Stopped early: 1 of 3 pairings ran/);
  });

  it('refuses bad options and other losses before training anything', async () => {
    const events: TrainEvent[] = [];
    const quiet = env({ onTrainEvent: (event) => events.push(event) });
    await expect(searchGuidancePaths(hintExperiment(), 'ce', tiny, quiet)).rejects.toBeInstanceOf(GuidancePathError);
    await expect(searchGuidancePaths(hintExperiment(), 'hint', { ...tiny, seeds: 0 }, quiet)).rejects.toThrowError('seeds must be a whole number');
    await expect(searchGuidancePaths(hintExperiment(), 'hint', { ...tiny, validationSize: 0 }, quiet)).rejects.toThrowError('validation size');
    // Subsets that do not fit the data set are the graph's own error, reported before any run.
    await expect(searchGuidancePaths(hintExperiment(), 'hint', { trainSubset: 60_000 }, quiet)).rejects.toThrowError(/Fix the experiment.*lower one of them/s);
    expect(events).toEqual([]);
    // Explicit null means all images; epochs stay as drawn unless given.
    const file = searchExperiment(hintExperiment(), { trainSubset: null, testSubset: null });
    const dataset = file.nodes.find((node) => node.kind === 'dataset')!;
    expect(dataset.params).toMatchObject({ trainSubset: null, testSubset: null, validationSize: 1000 });
  });
});

describe('rankResults', () => {
  const result = (index: number, validation: number[], test: number[], error: string | null = null): GuidanceResult => ({
    rank: 0, index, teacherLayerId: `t${index}`, studentLayerId: `s${index}`, teacherShape: [4], studentShape: [4], adapter: null, current: index === 0,
    runs: [], validation: error === null ? spread(validation) : null, test: error === null ? spread(test) : null, withinSpreadOfBest: null, error,
  });

  it('orders by validation, then test, then candidate order; failures last; marks who the seed spread cannot separate from the best', () => {
    const ranked = rankResults([
      result(0, [0.90, 0.92], [0.90, 0.90]),
      result(1, [0.95, 0.95], [0.90, 0.91]),
      result(2, [0.50, 0.50], [0.50, 0.50], 'diverged'),
      result(3, [0.95, 0.95], [0.92, 0.92]),
      result(4, [0.50, 0.51], [0.50, 0.51]),
    ]);
    expect(ranked.map((r) => [r.rank, r.index])).toEqual([[1, 3], [2, 1], [3, 0], [4, 4], [5, 2]]);
    // The best's 95 % interval (sd 0) is 0.95 exactly; candidate 0's (0.91 ± 12.7 * 0.01) reaches it, candidate 4's (0.505 ± 0.064) does not.
    expect(ranked.map((r) => r.withinSpreadOfBest)).toEqual([true, true, true, false, null]);
    expect(rankResults([result(0, [0.9], [0.9])])[0].withinSpreadOfBest).toBeNull();
  });
});

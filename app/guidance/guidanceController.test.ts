import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { createNode } from '../../src/graph/factory';
import type { ExperimentFile } from '../../src/graph/schema';
import { TestGraph, tinyMlp } from '../../src/graph/testFixtures';
import type { GuidanceWorkerMessage } from '../../src/protocol';
import { MemoryCache } from '../../src/train/testSupport';
import { createGuidanceSession } from '../../workers/guidanceSession';
import { createGuidanceController, type GuidanceWorkerHandlers, type SpawnGuidanceWorker } from './guidanceController';
import { DEFAULT_GUIDANCE_SETTINGS, idleGuidance, type GuidanceSearchState } from './guidanceState';

/**
 * The controller with the real guidance session (workers/guidanceSession.ts) run in-process on the
 * Node cpu backend instead of in a Web Worker, messages delivered asynchronously as postMessage would.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** MLP teacher and student with cross-entropy and a FitNet hint relu -> relu; the teacher trains 1 epoch. */
function hintExperiment(): ExperimentFile {
  const graph = new TestGraph();
  graph.add(createNode('dataset', { id: 'dataset' }));
  graph.model('teacher', 'teacher', tinyMlp).params.teacherTraining!.epochs = 1;
  graph.model('student', 'student', tinyMlp);
  graph.trainer('trainer', 'Hints + CE').params.batchSize = 32;
  graph.crossEntropy('ce', 'student', 'trainer');
  graph.pairLoss('hint', 'fitnet', 'relu', 'relu');
  return graph.file;
}

const tinySettings = { ...DEFAULT_GUIDANCE_SETTINGS, trainSubset: 128, maxCandidates: 2 };

function harness(onMessage: (message: GuidanceWorkerMessage, handlers: GuidanceWorkerHandlers) => void = () => undefined) {
  const workers: { terminated: boolean; handlers: GuidanceWorkerHandlers }[] = [];
  const spawnWorker: SpawnGuidanceWorker = (handlers) => {
    const worker = { terminated: false, handlers };
    workers.push(worker);
    const session = createGuidanceSession({
      post: (message) => setTimeout(() => {
        if (worker.terminated) return;
        handlers.message(message);
        onMessage(message, handlers);
      }),
      chooseBackend: async () => ({ backend: 'cpu', reason: 'Node test' }),
      env: { readAsset: nodeAssetReader(), teacherCache: new MemoryCache(), now: () => performance.now() },
      stepIntervalMs: 0,
    });
    return {
      postMessage: (command) => setTimeout(() => session.handle(structuredClone(command))),
      terminate: () => {
        worker.terminated = true;
        session.handle({ type: 'stop' });
      },
    };
  };
  let state: GuidanceSearchState = idleGuidance();
  const seen: GuidanceSearchState[] = [];
  const controller = createGuidanceController({
    getState: () => state,
    update: (update) => {
      state = update(state);
      seen.push(state);
    },
    spawnWorker,
  });
  const start = (lossNodeId = 'hint') => controller.start({ experiment: hintExperiment(), lossNodeId, settings: tinySettings, backend: 'cpu', generation: 3 });
  return { controller, workers, start, seen, state: () => state };
}

const settle = { timeout: 100_000, interval: 20 };

describe('guidance controller', () => {
  it('runs a search in the worker session: progress pairing by pairing, then the ranked report, and ends the worker', async () => {
    const h = harness();
    h.start();
    expect(h.state()).toMatchObject({ status: 'running', lossNodeId: 'hint', generation: 3 });
    await expect.poll(() => h.state().status, settle).toBe('done');
    const report = h.state().report!;
    expect(report.ranked.map((r) => r.rank)).toEqual([1, 2]);
    expect(report.data.trainSubset).toBe(128);
    expect(report.notes.join('\n')).toMatch(/differences within it mean nothing/);
    expect(h.seen.flatMap((s) => (s.current === null ? [] : [`${s.current.index + 1}/${s.current.total}`]))).toContain('2/2');
    expect(h.seen.some((s) => s.step !== null)).toBe(true);
    expect(h.workers.map((w) => w.terminated)).toEqual([true]);
  }, 120_000);

  it('stops after the current step with what finished (nothing here) and refuses a second start while one runs', async () => {
    const h = harness((message) => {
      if (message.type === 'step') h.controller.stop();
    });
    h.start();
    h.start();
    expect(h.workers).toHaveLength(1);
    await expect.poll(() => h.state().status, settle).toBe('done');
    expect(h.seen.some((s) => s.status === 'stopping')).toBe(true);
    expect(h.state().report).toMatchObject({ stopped: true, ranked: [] });
    expect(h.workers[0].terminated).toBe(true);
  }, 120_000);

  it('reports a block the search cannot serve as a request to change, and a crash with what to do', async () => {
    const h = harness();
    h.start('ce');
    await expect.poll(() => h.state().status, settle).toBe('failed');
    expect(h.state().error).toMatchObject({ kind: 'request' });
    expect(h.state().error!.message).toMatch(/give the id of a FitNet or attention transfer block \(here: 'hint'\)/);

    h.start();
    const [first, second] = h.workers;
    expect(first.terminated).toBe(true);
    // A crash of a worker already replaced changes nothing; the current one's ends the search.
    first.handlers.crash('late');
    expect(h.state().status).toBe('running');
    second.handlers.crash('out of memory');
    expect(h.state().status).toBe('failed');
    expect(h.state().error!.message).toMatch(/crashed: out of memory\. Your graph is kept/);
    expect(second.terminated).toBe(true);
  }, 120_000);
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import type { ExperimentFile } from '../../src/graph/schema';
import { baseGraph } from '../../src/graph/testFixtures';
import type { TrainWorkerMessage } from '../../src/protocol';
import { modelResultById } from '../../src/results';
import { MemoryCache, tinyStudent, tinyTeacher } from '../../src/train/testSupport';
import { createTrainSession } from '../../workers/trainSession';
import { initialRunData, type RunData } from '../store/runSlice';
import { createRunController, type RequestedSweepAxis, type RunController, type SpawnTrainWorker, type TrainWorkerHandlers } from './runController';

/**
 * Parameter sweeps through the run controller with the real training session in-process (the same
 * harness as runController.test.ts): runs queue one after another on the variants, the teacher
 * trains once, Stop keeps the finished runs, and a variant the graph check refuses starts nothing.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Tiny MLP teacher and student with cross-entropy and KD, on 128 training images for one epoch. */
function tinyExperiment(): ExperimentFile {
  const graph = baseGraph();
  graph.loss('kd', 'kd');
  graph.connect('teacher', 'logits', 'kd', 'teacherLogits');
  graph.connect('student', 'logits', 'kd', 'studentLogits');
  graph.connect('kd', 'loss', 'trainer', 'losses');
  const file = graph.file;
  for (const node of file.nodes) {
    if (node.kind === 'model') node.params.architecture = structuredClone(node.params.role === 'teacher' ? tinyTeacher : tinyStudent);
    if (node.kind === 'dataset') Object.assign(node.params, { trainSubset: 128, testSubset: 64, validationSize: 32, probeCount: 0 });
    if (node.kind === 'trainer') Object.assign(node.params, { epochs: 1, batchSize: 32, seed: 7 });
    if (node.kind === 'model' && node.params.teacherTraining) Object.assign(node.params.teacherTraining, { epochs: 1, batchSize: 32 });
  }
  return file;
}

type DeliveryHook = (message: TrainWorkerMessage, handlers: TrainWorkerHandlers, deliver: () => void) => void;

function harness(onDeliver: DeliveryHook = (_message, _handlers, deliver) => deliver()) {
  const teacherCache = new MemoryCache();
  const spawned: { terminated: boolean }[] = [];
  const spawnWorker: SpawnTrainWorker = (handlers) => {
    const worker = { terminated: false };
    spawned.push(worker);
    const session = createTrainSession({
      post: (message) => setTimeout(() => {
        if (!worker.terminated) onDeliver(message, handlers, () => handlers.message(message));
      }),
      chooseBackend: async () => ({ backend: 'cpu', reason: 'Node test' }),
      env: { readAsset: nodeAssetReader(), teacherCache, now: () => performance.now() },
    });
    return {
      postMessage: (command) => setTimeout(() => session.handle(structuredClone(command))),
      terminate: () => {
        worker.terminated = true;
        session.handle({ type: 'stop' });
      },
    };
  };
  let run: RunData = initialRunData();
  const experiment = tinyExperiment();
  const controller: RunController = createRunController({
    getExperiment: () => experiment,
    getRun: () => run,
    getBackendPreference: () => 'cpu',
    language: () => 'en',
    updateRun: (update) => { run = update(run); },
    spawnWorker,
  });
  return { controller, spawned, teacherCache, run: () => run };
}

const isFinished = (message: TrainWorkerMessage): boolean => message.type === 'status' && message.state === 'finished';
const settle = { timeout: 100_000, interval: 20 };

const temperature = (values: number[]): RequestedSweepAxis => ({ parameter: { kind: 'lossParam', nodeId: 'kd', key: 'T' }, symbol: 'T', label: 'KD: T', values });

describe('run controller: parameter sweeps', () => {
  it('runs each value in turn on its own variant, training the teacher once', async () => {
    const { controller, teacherCache, run } = harness();
    controller.startParamSweep([temperature([2, 8])]);
    await vi.waitFor(() => expect(run().paramSweep?.state).toBe('done'), settle);
    const sweep = run().paramSweep!;
    expect(sweep.finished.map((r) => r.values)).toEqual([[2], [8]]);
    expect(sweep.finished.map((r) => modelResultById(r.results, 'teacher')?.fromCache ?? false)).toEqual([false, true]);
    expect(teacherCache.puts).toBe(1);
    // The last run trained the second variant: its plan carries T = 8.
    const kdTerms = (run().plan?.phases ?? []).flatMap((phase) => phase.stages).flatMap((stage) => stage.terms).filter(({ term }) => term.nodeId === 'kd');
    expect(kdTerms.map(({ term }) => term.params.T)).toEqual([8]);
    expect(run().log.filter((line) => line.message.startsWith('Run ')).map((line) => line.message)).toEqual(['Run 1 of 2: T = 2.', 'Run 2 of 2: T = 8.']);
    expect(run().sweep).toBeNull();
  });

  it('a Stop while the first run finishes keeps that run and starts no other', async () => {
    let controller: RunController | null = null;
    const setup = harness((message, _handlers, deliver) => {
      if (isFinished(message)) controller?.stop();
      deliver();
    });
    controller = setup.controller;
    controller.startParamSweep([temperature([2, 8, 20])]);
    await vi.waitFor(() => expect(setup.run().paramSweep?.state).toBe('stopped'), settle);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(setup.spawned).toHaveLength(1);
    expect(setup.run().paramSweep!.finished.map((r) => r.values)).toEqual([[2]]);
  });

  it('refuses a sweep with a variant the graph check rejects, before any worker starts', () => {
    const experiment = tinyExperiment();
    let run = initialRunData();
    const controller = createRunController({
      getExperiment: () => experiment,
      getRun: () => run,
      getBackendPreference: () => 'cpu',
      language: () => 'en',
      updateRun: (update) => { run = update(run); },
      spawnWorker: () => { throw new Error('no worker may start'); },
    });
    const weight = (nodeId: string): RequestedSweepAxis => ({ parameter: { kind: 'lossWeight', nodeId }, symbol: nodeId, label: nodeId, values: [0, 1] });
    controller.startParamSweep([weight('ce'), weight('kd')]);
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(/^The sweep cannot start: With ce = 0, kd = 0: /);
    expect(run.paramSweep).toBeNull();
  });
});

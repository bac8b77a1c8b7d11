import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import type { ExperimentFile } from '../../src/graph/schema';
import { baseGraph } from '../../src/graph/testFixtures';
import type { TrainWorkerMessage } from '../../src/protocol';
import { modelResultById } from '../../src/results';
import { baselineIdFor } from '../../src/train/plan';
import { MemoryCache, tinyStudent, tinyTeacher } from '../../src/train/testSupport';
import { createTrainSession } from '../../workers/trainSession';
import { ALL_PHASES, initialRunData, type RunData } from '../store/runSlice';
import { createRunController, type RunController, type SpawnTrainWorker, type TrainWorkerHandlers } from './runController';

/**
 * The run controller with the real training session (workers/trainSession.ts) run in-process on
 * the Node cpu backend instead of in a Web Worker: real tiny runs, with messages delivered
 * asynchronously as postMessage would. The hooks let a test act at the moment a message arrives,
 * to reproduce the races between a run finishing and the user's Stop or a crash.
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

describe('run controller: seed sweeps', () => {
  it('runs one seed after the other, trains the teacher once and keeps every seed\'s results', async () => {
    const { controller, spawned, teacherCache, run } = harness();
    controller.start(ALL_PHASES, 2);
    await vi.waitFor(() => expect(run().sweep?.state).toBe('done'), settle);

    const sweep = run().sweep!;
    const model = (index: number, modelId: string) => modelResultById(sweep.finished[index].results, modelId);
    expect(sweep.finished.map((seedRun, i) => [seedRun.seed, model(i, baselineIdFor('student'))?.seed, model(i, 'student')?.seed])).toEqual([[7, 7, 7], [8, 8, 8]]);
    expect(sweep.finished.map((_, i) => model(i, 'teacher')?.fromCache ?? false)).toEqual([false, true]);
    expect(model(1, 'teacher')?.testAccuracy).toBe(model(0, 'teacher')?.testAccuracy);
    // The store kept each run's plan and the models it trained, keyed by model id.
    expect(run().plan?.phases.map((phase) => phase.kind)).toEqual(['teacher', 'baseline', 'student']);
    expect(Object.keys(run().trainedModels).sort()).toEqual([baselineIdFor('student'), 'student'].sort());
    expect(Object.keys(run().epochMetrics).sort()).toEqual([baselineIdFor('student'), 'student'].sort());
    expect(teacherCache.puts).toBe(1);
    expect(spawned.map((worker) => worker.terminated)).toEqual([true, false]);
    expect(run().status).toBe('finished');
    expect(run().log.filter((line) => line.message.startsWith('Seed ')).map((line) => line.message)).toEqual([
      'Seed 1 of 2: baseline and student seed 7.',
      'Seed 2 of 2: baseline and student seed 8.',
    ]);
  });

  it('a Stop pressed while the run\'s "finished" is still queued keeps that seed and starts no other', async () => {
    let controller: RunController | null = null;
    const setup = harness((message, _handlers, deliver) => {
      if (isFinished(message)) controller?.stop();
      deliver();
    });
    controller = setup.controller;
    controller.start(ALL_PHASES, 3);
    await vi.waitFor(() => expect(setup.run().sweep?.state).toBe('stopped'), settle);
    // Give a wrongly started next seed the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(setup.spawned).toHaveLength(1);
    expect(setup.run().sweep!.finished.map((seedRun) => seedRun.seed)).toEqual([7]);
    expect(setup.run().status).toBe('finished');
  });

  it('Stop shows at once (stopping) and the run ends stopped once the worker confirms', async () => {
    const setup = harness();
    setup.controller.start(ALL_PHASES, 1);
    await vi.waitFor(() => expect(setup.run().progress).not.toBeNull(), settle);
    expect(setup.run().stopping).toBe(false);
    setup.controller.stop();
    expect(setup.run().stopping).toBe(true);
    expect(setup.run().status).toBe('running');
    await vi.waitFor(() => expect(setup.run().status).toBe('stopped'), settle);
    // A new run starts without the flag.
    setup.controller.start(ALL_PHASES, 1);
    expect(setup.run().stopping).toBe(false);
    setup.controller.stop();
    await vi.waitFor(() => expect(setup.run().status).toBe('stopped'), settle);
  });

  it('a crash right after a seed finished is reported and starts no other seed', async () => {
    const setup = harness((message, handlers, deliver) => {
      deliver();
      if (isFinished(message)) handlers.crash('simulated failure after the run');
    });
    setup.controller.start(ALL_PHASES, 3);
    await vi.waitFor(() => expect(setup.run().status).toBe('error'), settle);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(setup.spawned).toHaveLength(1);
    expect(setup.run().error?.kind).toBe('crash');
    expect(setup.run().error?.message).toContain('simulated failure after the run');
    expect(setup.run().sweep?.state).toBe('stopped');
  });

  it('refuses a sweep whose last seed would pass the largest seed, before training anything', () => {
    const experiment = tinyExperiment();
    for (const node of experiment.nodes) if (node.kind === 'trainer') node.params.seed = 2 ** 31 - 2;
    let run = initialRunData();
    const controller = createRunController({
      getExperiment: () => experiment,
      getRun: () => run,
      getBackendPreference: () => 'cpu',
      language: () => 'en',
      updateRun: (update) => { run = update(run); },
      spawnWorker: () => { throw new Error('no worker may start'); },
    });
    controller.start(ALL_PHASES, 3);
    expect(run.status).toBe('error');
    expect(run.error?.message).toContain('past the largest seed');
  });

  it('writes its own messages in the page\'s language, around the English reason from the core', () => {
    const experiment = tinyExperiment();
    for (const node of experiment.nodes) if (node.kind === 'trainer') node.params.seed = 2 ** 31 - 2;
    let run = initialRunData();
    const controller = createRunController({
      getExperiment: () => experiment,
      getRun: () => run,
      getBackendPreference: () => 'cpu',
      language: () => 'zh',
      updateRun: (update) => { run = update(run); },
      spawnWorker: () => { throw new Error('no worker may start'); },
    });
    controller.start(ALL_PHASES, 3);
    expect(run.error?.message).toContain('past the largest seed');
    expect(run.error?.message).toMatch(/请减少种子数或调低训练器的种子。$/);
    controller.start({ teacher: false, baseline: false, student: false });
    expect(run.error?.message).toBe('请至少选择教师、基线或学生中的一项来运行。');
  });
});

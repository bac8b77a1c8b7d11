import { describe, expect, it, vi } from 'vitest';
import { PROBE_VERSION, type BackendProbeRecord } from '../../src/backendChoice';
import { baseGraph } from '../../src/graph/testFixtures';
import type { BackendPreference, TrainCommand } from '../../src/protocol';
import { initialRunData, type RunData } from '../store/runSlice';
import { MemoryStorage } from '../store/memoryStorage';
import { backendProbeStore } from './backendProbeStore';
import { createRunController, type SpawnTrainWorker, type TrainWorkerHandlers } from './runController';

/** The page's half of Auto's measurement: stored when the worker reports one, sent with later Auto runs. */

const measurement: BackendProbeRecord = {
  version: PROBE_VERSION,
  fingerprint: 'test device',
  measuredAt: '2026-12-05T10:00:00.000Z',
  outcomes: [{ backend: 'wasm', status: 'measured', samplesPerSecond: 1400 }],
};

function harness(preference: BackendPreference) {
  const commands: TrainCommand[] = [];
  let handlers: TrainWorkerHandlers | null = null;
  const spawnWorker: SpawnTrainWorker = (workerHandlers) => {
    handlers = workerHandlers;
    return { postMessage: (command) => commands.push(command), terminate: () => undefined };
  };
  const probeStore = backendProbeStore(new MemoryStorage());
  let run: RunData = initialRunData();
  const controller = createRunController({
    getExperiment: () => baseGraph().file,
    getRun: () => run,
    getBackendPreference: () => preference,
    language: () => 'en',
    updateRun: (update) => { run = update(run); },
    spawnWorker,
    probeStore,
  });
  const starts = () => commands.filter((command): command is Extract<TrainCommand, { type: 'start' }> => command.type === 'start');
  const reportBackend = (probe?: BackendProbeRecord) => {
    const runId = starts().at(-1)!.runId;
    handlers!.message({ type: 'backend', backend: 'wasm', reason: 'Auto: 1,400 samples/s', runId, ...(probe && { probe }) });
    handlers!.message({ type: 'status', state: 'finished', runId });
  };
  return { controller, probeStore, starts, reportBackend, status: () => run.status };
}

describe('run controller: Auto measurements', () => {
  it('stores a measurement the worker reports and sends it with the next Auto run', async () => {
    const { controller, probeStore, starts, reportBackend, status } = harness('auto');
    controller.start({ teacher: false, baseline: true, student: false });
    expect(starts()[0].knownProbes).toEqual([]);
    reportBackend(measurement);
    expect(probeStore.load()).toEqual([measurement]);
    await vi.waitFor(() => expect(status()).toBe('finished'));
    controller.start({ teacher: false, baseline: true, student: false });
    expect(starts()[1].knownProbes).toEqual([measurement]);
  });

  it('sends no measurements with an explicit backend and stores none without a probe', () => {
    const { controller, probeStore, starts, reportBackend } = harness('webgl');
    controller.start({ teacher: false, baseline: true, student: false });
    expect(starts()[0].knownProbes).toBeUndefined();
    reportBackend();
    expect(probeStore.load()).toEqual([]);
  });
});

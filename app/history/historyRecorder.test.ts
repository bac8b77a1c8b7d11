import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ExperimentFile } from '../../src/graph/schema';
import { initialRunData } from '../store/runSlice';
import type { HistoryDatabase } from './historyDatabase';
import type { HistoryRun } from './historyRecord';
import { startHistoryRecorder, type HistorySource } from './historyRecorder';

const graph = (name: string): ExperimentFile => ({ schemaVersion: 1 as ExperimentFile['schemaVersion'], name, description: '', nodes: [], edges: [] });

function setup(put: HistoryDatabase['put']) {
  const store = createStore<HistorySource>()(() => ({ experiment: graph('first'), run: initialRunData() }));
  const stored: HistoryRun[] = [];
  const failures: string[] = [];
  const database: HistoryDatabase = { list: () => Promise.resolve([]), remove: () => Promise.resolve(), put };
  startHistoryRecorder(store, database, (run) => stored.push(run), (message) => failures.push(message));
  const start = (runId: string) => store.setState((s) => ({ run: { ...s.run, status: 'running', runId, startedAt: 1 } }));
  const end = (status: 'finished' | 'stopped' | 'error') => store.setState((s) => ({ run: { ...s.run, status } }));
  return { store, stored, failures, start, end };
}

describe('startHistoryRecorder', () => {
  it('stores finished and stopped runs with the graph as it was at start, not failed ones', async () => {
    const { store, stored, start, end } = setup(() => Promise.resolve());
    start('run-a');
    store.setState({ experiment: graph('edited while training') });
    end('finished');
    start('run-b');
    end('error');
    start('run-c');
    end('stopped');
    await Promise.resolve();
    await Promise.resolve();
    expect(stored.map((run) => [run.id, run.status, run.experiment.name])).toEqual([
      ['run-a', 'finished', 'first'], ['run-c', 'stopped', 'edited while training'],
    ]);
  });

  it('reports a failed write as a message and lets the run state be', async () => {
    const { store, stored, failures, start, end } = setup(() => Promise.reject(new DOMException('full', 'QuotaExceededError')));
    start('run-a');
    end('finished');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stored).toEqual([]);
    expect(failures).toEqual([expect.stringMatching(/^Browser storage is full, so keeping "first" in History failed/)]);
    expect(store.getState().run.status).toBe('finished');
  });
});

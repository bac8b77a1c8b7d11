import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryDatabase } from './historyDatabase';
import type { HistoryRun } from './historyRecord';
import { configureHistory, useHistory } from './historyStore';

const run = (id: string, startedAt: number): HistoryRun => ({ id, name: id, notes: '', startedAt } as HistoryRun);

function memoryDatabase(initial: HistoryRun[], failWrites = false): HistoryDatabase & { records: Map<string, HistoryRun> } {
  const records = new Map(initial.map((one) => [one.id, one]));
  const write = (change: () => void) => (failWrites ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : Promise.resolve(change()));
  return {
    records,
    list: () => Promise.resolve([...records.values()]),
    put: (one) => write(() => records.set(one.id, one)),
    remove: (id) => write(() => records.delete(id)),
  };
}

let failures: string[] = [];

beforeEach(() => {
  failures = [];
  useHistory.setState({ runs: [], selected: [], loaded: false, open: false });
});

describe('useHistory', () => {
  it('loads runs newest first, saves a rename and forgets a deleted run\'s selection', async () => {
    const database = memoryDatabase([run('old', 1), run('new', 2)]);
    configureHistory({ database, reportFailure: (message) => failures.push(message) });
    await useHistory.getState().refresh();
    expect(useHistory.getState().runs.map((one) => one.id)).toEqual(['new', 'old']);
    await useHistory.getState().update('old', { name: 'Renamed', notes: 'why' });
    expect(database.records.get('old')).toMatchObject({ name: 'Renamed', notes: 'why' });
    useHistory.getState().toggleSelected('old');
    useHistory.getState().toggleSelected('new');
    await useHistory.getState().remove('old');
    expect([...database.records.keys()]).toEqual(['new']);
    expect(useHistory.getState().selected).toEqual(['new']);
    expect(failures).toEqual([]);
  });

  it('keeps the list as it was and reports when storage refuses a write', async () => {
    const database = memoryDatabase([run('only', 1)], true);
    configureHistory({ database, reportFailure: (message) => failures.push(message) });
    await useHistory.getState().refresh();
    await useHistory.getState().update('only', { name: 'Renamed' });
    await useHistory.getState().remove('only');
    expect(useHistory.getState().runs.map((one) => one.name)).toEqual(['only']);
    expect(failures).toHaveLength(2);
    expect(failures.every((message) => message.startsWith('Browser storage is full'))).toBe(true);
  });
});

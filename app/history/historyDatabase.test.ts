import { describe, expect, it } from 'vitest';
import { historyFailureMessage } from './historyDatabase';

describe('historyFailureMessage', () => {
  it('tells a full quota apart from unavailable storage and other failures', () => {
    expect(historyFailureMessage({ kind: 'save', name: 'Run 1' }, new DOMException('full', 'QuotaExceededError')))
      .toMatch(/^Browser storage is full, so saving the changes to "Run 1" failed\. Delete old runs/);
    expect(historyFailureMessage({ kind: 'keep', name: 'Run 1' }, new DOMException('no', 'InvalidStateError'))).toMatch(/private browsing/);
    expect(historyFailureMessage({ kind: 'delete', name: 'Run 1' }, new Error('disk on fire'))).toMatch(/deleting "Run 1" failed \(disk on fire\)/);
    expect(historyFailureMessage({ kind: 'read' }, new Error('x'))).toMatch(/^History storage failed, so reading the run history failed/);
  });
});

import { describe, expect, it } from 'vitest';
import { historyFailureMessage } from './historyDatabase';

describe('historyFailureMessage', () => {
  it('tells a full quota apart from unavailable storage and other failures', () => {
    expect(historyFailureMessage('saving the run', new DOMException('full', 'QuotaExceededError'))).toMatch(/^Browser storage is full, so saving the run failed\. Delete old runs/);
    expect(historyFailureMessage('saving the run', new DOMException('no', 'InvalidStateError'))).toMatch(/private browsing/);
    expect(historyFailureMessage('deleting the run', new Error('disk on fire'))).toMatch(/deleting the run failed \(disk on fire\)/);
  });
});

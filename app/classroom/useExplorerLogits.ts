import { useCallback, useEffect, useState } from 'react';
import type { ExplorerLogits } from '../../src/classroom/explorerTeacher';
import type { ExplorerCommand, ExplorerWorkerMessage } from '../../src/protocol';
import { textsNow } from '../i18n/texts';
import { classroomTexts } from '../i18n/catalogs/classroom';

export type ExplorerLoad =
  | { status: 'loading' }
  | { status: 'ready'; result: ExplorerLogits }
  | { status: 'failed'; message: string };

/**
 * The shipped teacher's logits, computed in workers/explorer.worker.ts (tfjs never runs on the
 * page). The worker lives for one request and is ended with it, freeing its tensors; `retry`
 * spawns a fresh one.
 */
export function useExplorerLogits(): { load: ExplorerLoad; retry: () => void } {
  const [load, setLoad] = useState<ExplorerLoad>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const worker = new Worker(new URL('../../workers/explorer.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ExplorerWorkerMessage>) => {
      const message = event.data;
      setLoad(message.type === 'logits' ? { status: 'ready', result: message.result } : { status: 'failed', message: message.message });
      worker.terminate();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const tx = textsNow(classroomTexts);
      setLoad({ status: 'failed', message: tx.workerFailed(event.message || tx.scriptDidNotLoad) });
      worker.terminate();
    };
    worker.postMessage({ type: 'load' } satisfies ExplorerCommand);
    return () => worker.terminate();
  }, [attempt]);

  const retry = useCallback(() => {
    setLoad({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  return { load, retry };
}

import { useEffect, useRef, useState } from 'react';
import type { ExportJobRequest, ExportJobResult } from '../../src/export/exportRequest';
import type { ExportCommand, ExportWorkerMessage } from '../../src/protocol';
import { textsNow } from '../i18n/texts';
import { exportTexts } from '../i18n/catalogs/export';

/**
 * Runs export jobs in workers/export.worker.ts. Only the latest request's answer is kept, so
 * changing an option while a job runs never shows a stale verification.
 */

export type ExportJobState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; result: ExportJobResult }
  | { status: 'failed'; message: string; layerId?: string };

export function useExportJob(request: ExportJobRequest | null): ExportJobState {
  const workerRef = useRef<Worker | null>(null);
  const latestRequestId = useRef<string | null>(null);
  const [state, setState] = useState<ExportJobState>({ status: 'idle' });

  useEffect(() => () => {
    workerRef.current?.terminate();
    workerRef.current = null;
  }, []);

  useEffect(() => {
    if (!request) {
      latestRequestId.current = null;
      setState({ status: 'idle' });
      return;
    }
    if (!workerRef.current) {
      const worker = new Worker(new URL('../../workers/export.worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<ExportWorkerMessage>) => {
        const message = event.data;
        if (message.requestId !== latestRequestId.current) return;
        if (message.type === 'exported') setState({ status: 'done', result: message.result });
        else if (message.type === 'exportFailed') setState({ status: 'failed', message: message.message, layerId: message.layerId });
      };
      worker.onerror = (event) => setState({ status: 'failed', message: textsNow(exportTexts).workerCrashed(event.message) });
      workerRef.current = worker;
    }
    const requestId = `export-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    latestRequestId.current = requestId;
    setState({ status: 'running' });
    const command: ExportCommand = { type: 'export', requestId, request };
    workerRef.current.postMessage(command);
  }, [request]);

  return state;
}

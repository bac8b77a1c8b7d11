import { useEffect, useRef, useState } from 'react';
import { compileExperiment } from '../../src/graph/compile';
import { projectInputFor } from '../../src/export/pytorch/project';
import type { ExportCommand, ExportWorkerMessage } from '../../src/protocol';
import { errorMessage } from '../../src/errorMessage';
import { useStudio } from '../store';
import { downloadFile } from '../download';
import { useTexts } from '../i18n/texts';
import { exportTexts } from '../i18n/catalogs/export';

/**
 * "PyTorch project (.zip)": compiles the graph as Run does and has the export worker generate and
 * zip the project (src/export/pytorch), with the weights of every network the last run trained
 * whose architecture is still the graph's.
 */
export function PyTorchProjectButton() {
  const tx = useTexts(exportTexts);
  const workerRef = useRef<Worker | null>(null);
  const [state, setState] = useState<{ status: 'idle' | 'running' } | { status: 'failed'; message: string }>({ status: 'idle' });

  useEffect(() => () => workerRef.current?.terminate(), []);

  const generate = (): void => {
    const { experiment, run } = useStudio.getState();
    let command: ExportCommand;
    try {
      const input = projectInputFor(compileExperiment(experiment), run.trainedModels);
      command = { type: 'pytorchProject', requestId: `pytorch-${Date.now()}`, input };
    } catch (error) {
      setState({ status: 'failed', message: errorMessage(error) });
      return;
    }
    if (!workerRef.current) {
      const worker = new Worker(new URL('../../workers/export.worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<ExportWorkerMessage>) => {
        const message = event.data;
        if (message.type === 'pytorchProjectReady') {
          downloadFile(message.zip, message.fileName, 'application/zip');
          setState({ status: 'idle' });
        } else if (message.type === 'exportFailed') {
          setState({ status: 'failed', message: message.message });
        }
      };
      worker.onerror = (event) => setState({ status: 'failed', message: tx.workerCrashed(event.message) });
      workerRef.current = worker;
    }
    setState({ status: 'running' });
    workerRef.current.postMessage(command);
  };

  return (
    <>
      <button type="button" data-testid="export-download-pytorch" disabled={state.status === 'running'} onClick={generate}>
        {state.status === 'running' ? tx.pytorchRunning : tx.downloadPytorch}
      </button>
      {state.status === 'failed' && (
        <p className="export-panel__error" role="alert" data-testid="export-pytorch-error">{tx.pytorchFailed(state.message)}</p>
      )}
    </>
  );
}
